"""Clean-up and checks of the identifiers and contacts people type in.

Each ``normalise_*`` returns the canonical form of a value, or the value as given
when it cannot be read (the matching ``validate_*`` then says why), so the model
can normalise first and leave every message to its field validators: whichever
door a value comes in by (API, form, admin, import), it meets the same rules.
"""

from __future__ import annotations

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from creative_regions.registry.identifiers import is_valid_inn, is_valid_ogrn

PHONE_DEFAULT_REGION = "RU"
# Characters people put between digits of a number; anything else is a typo.
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—.()/]+")
_TELEGRAM_HOSTS = ("t.me/", "telegram.me/", "telegram.dog/")
# Telegram's rules for public names: 5–32 Latin letters, digits and underscores,
# starting with a letter and not ending with an underscore.
_TELEGRAM_HANDLE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,30}[A-Za-z0-9]$")
_TELEGRAM_INVITE = re.compile(r"^(\+|joinchat/)[A-Za-z0-9_-]{8,64}$")
_VK_HOSTS = ("vk.com/", "vk.ru/", "m.vk.com/", "new.vk.com/")
_VK_PATH = re.compile(r"^[A-Za-z0-9_.]{2,64}$")


def _digits_only(value: str) -> str:
    return _SEPARATORS.sub("", value.strip())


def normalise_inn(value: str | None) -> str | None:
    """``None`` for an empty INN, otherwise the INN without spaces and dashes."""
    if value is None or not value.strip():
        return None
    return _digits_only(value)


def validate_inn(value: str) -> None:
    if not (value.isascii() and value.isdigit() and len(value) in (10, 12)):
        raise ValidationError(
            _(
                "INN must be 10 digits for an organisation or 12 digits for a sole "
                "trader or a person."
            ),
            code="inn_format",
        )
    if not is_valid_inn(value):
        raise ValidationError(
            _("INN failed its checksum: check the digits."), code="inn_checksum"
        )


def normalise_ogrn(value: str) -> str:
    return _digits_only(value) if value else ""


def validate_ogrn(value: str) -> None:
    if not (value.isascii() and value.isdigit() and len(value) in (13, 15)):
        raise ValidationError(
            _("OGRN must be 13 digits (OGRNIP of a sole trader: 15 digits)."),
            code="ogrn_format",
        )
    if not is_valid_ogrn(value):
        raise ValidationError(
            _(
                "OGRN failed its checksum: check the digits (the first digit is 1 "
                "or 5 for an organisation, 3 for a sole trader)."
            ),
            code="ogrn_checksum",
        )


def normalise_phone(value: str) -> str:
    """The number in E.164 (``+79123456789``); a Russian number may be typed with
    8 or without the country code."""
    if not value or not value.strip():
        return ""
    try:
        number = phonenumbers.parse(value, PHONE_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return value.strip()
    if not phonenumbers.is_valid_number(number):
        return value.strip()
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_phone(value: str) -> None:
    message = _(
        "This is not a phone number we can dial: enter it with the area code, "
        "e.g. +7 912 345-67-89."
    )
    try:
        number = phonenumbers.parse(value, PHONE_DEFAULT_REGION)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(message, code="phone") from error
    if not phonenumbers.is_valid_number(number) or value != phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.E164
    ):
        raise ValidationError(message, code="phone")


def normalise_telegram(value: str) -> str:
    """``@name`` for a public name given as ``name``, ``@name`` or a t.me link;
    ``https://t.me/+…`` for an invitation link to a private chat."""
    if not value or not value.strip():
        return ""
    text = value.strip()
    lowered = text.lower()
    for prefix in ("https://", "http://"):
        if lowered.startswith(prefix):
            text, lowered = text[len(prefix) :], lowered[len(prefix) :]
    if lowered.startswith("www."):
        text, lowered = text[4:], lowered[4:]
    for host in _TELEGRAM_HOSTS:
        if lowered.startswith(host):
            path = text[len(host) :].strip("/")
            if _TELEGRAM_INVITE.match(path):
                return f"https://t.me/{path}"
            text = path
            break
    name = text.removeprefix("@")
    return f"@{name}" if _TELEGRAM_HANDLE.match(name) else value.strip()


def validate_telegram(value: str) -> None:
    name = value.removeprefix("@")
    if value.startswith("@") and _TELEGRAM_HANDLE.match(name):
        return
    if value.startswith("https://t.me/") and _TELEGRAM_INVITE.match(
        value.removeprefix("https://t.me/")
    ):
        return
    raise ValidationError(
        _(
            "Telegram: enter a public name such as @studio_name (5–32 Latin "
            "letters, digits or underscores) or a t.me link."
        ),
        code="telegram",
    )


def normalise_vk(value: str) -> str:
    """``https://vk.com/<page>`` for a VK page given as a link or its short name."""
    if not value or not value.strip():
        return ""
    text = value.strip()
    lowered = text.lower()
    for prefix in ("https://", "http://"):
        if lowered.startswith(prefix):
            text, lowered = text[len(prefix) :], lowered[len(prefix) :]
    if lowered.startswith("www."):
        text, lowered = text[4:], lowered[4:]
    for host in _VK_HOSTS:
        if lowered.startswith(host):
            text = text[len(host) :]
            break
    page = text.removeprefix("@").strip("/")
    return f"https://vk.com/{page}" if _VK_PATH.match(page) else value.strip()


def validate_vk(value: str) -> None:
    page = value.removeprefix("https://vk.com/")
    if value.startswith("https://vk.com/") and _VK_PATH.match(page):
        return
    raise ValidationError(
        _("VK: enter a link to the page, e.g. https://vk.com/studio_name."),
        code="vk",
    )


def normalise_website(value: str) -> str:
    """A site typed without its scheme gets ``https://``."""
    if not value or not value.strip():
        return ""
    text = value.strip()
    if "://" not in text:
        text = f"https://{text}"
    return text


def normalise_email(value: str) -> str:
    """E-mail with the domain in lower case (the local part is the owner's)."""
    if not value or not value.strip():
        return ""
    local, at, domain = value.strip().rpartition("@")
    return f"{local}{at}{domain.lower()}" if at else value.strip()
