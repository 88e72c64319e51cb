"""Template filters of the community pages: contacts as links people can follow."""

from __future__ import annotations

import phonenumbers
from django import template

register = template.Library()


@register.filter
def telegram_url(value: str) -> str:
    """The t.me link of a Telegram name stored as ``@name`` (links stay as they are)."""
    if value.startswith("@"):
        return f"https://t.me/{value[1:]}"
    return value


@register.filter
def phone_display(value: str) -> str:
    """A number stored in E.164 as people read it: ``+7 912 345-67-89``."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
