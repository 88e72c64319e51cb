"""Organisations and people from a CSV or XLSX table, previewed before anything is
written.

The preview reads the table through a column mapping (the user's, or the last
one used for the kind, or guessed from Russian and English headers) and works
out every row's fate: a new record, an update of the record it duplicates (same
INN; same name in the region; same e-mail or phone), nothing new, or an error
naming the column and the problem. It runs the rows through the very services a
form calls, inside a transaction that is then rolled back, so the preview cannot
drift from the rules and writes nothing. The confirm runs the same again and
keeps it, a savepoint per row so that a bad row never blocks the others, and
records the import with every row's fate.

A row that matches a recorded organisation or person fills that record's empty
fields instead of making a second copy, and never overwrites what is recorded:
importing a file twice changes nothing the second time.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from creative_regions.community import services
from creative_regions.community.duplicates import (
    comparable_words,
    email_key,
    organisation_name_key,
    person_name_key,
)
from creative_regions.community.models import (
    Affiliation,
    CommunityImport,
    Consent,
    Organisation,
    Person,
)
from creative_regions.community.validators import normalise_phone
from creative_regions.core.exceptions import ApplicationError
from creative_regions.core.models import User
from creative_regions.core.tables import TableFormatError, blank, read_table
from creative_regions.geo.models import Region

ORGANISATIONS = CommunityImport.Kind.ORGANISATIONS.value
PEOPLE = CommunityImport.Kind.PEOPLE.value
KINDS = (ORGANISATIONS, PEOPLE)
# A table is previewed and imported while the user waits, at 15–20 ms a row of
# new records on this hardware: a thousand rows keep each step under about 20 s.
MAX_ROWS = 1000
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
UPLOAD_SUFFIXES = (".csv", ".xlsx")
# A table waits this long for its import to be confirmed, then goes at the next
# upload: a preview left open overnight asks for the file again.
UPLOAD_KEPT_SECONDS = 24 * 60 * 60
MAX_HEADERS_IN_MESSAGE = 30
NOTE_VALUE_LENGTH = 80
_LIST_SEPARATORS = re.compile(r"[;,\n]+")


# Fields and headers ------------------------------------------------------------


@dataclass(frozen=True)
class ImportField:
    """A value a column can feed: its name, its label (the template's header),
    the other headers it goes by, and what it may hold."""

    name: str
    label: Promise
    headers: tuple[str, ...] = ()
    help_text: Promise | str = ""
    is_required: bool = False


def _choice_help(choices) -> str:
    return ", ".join(str(label) for _value, label in choices)


ORGANISATION_FIELDS: tuple[ImportField, ...] = (
    ImportField(
        "inn",
        gettext_lazy("INN"),
        ("инн", "инн организации", "инн юл", "инн ип", "инн юл ип", "inn", "tin"),
        gettext_lazy("10 digits for an organisation, 12 for a sole trader."),
    ),
    ImportField(
        "full_name",
        gettext_lazy("Name"),
        (
            "наименование",
            "полное наименование",
            "наименование организации",
            "название",
            "название организации",
            "организация",
            "name",
            "full name",
            "organisation",
            "organization",
            "company",
        ),
        gettext_lazy("The organisation's full name, with or without the legal form."),
        is_required=True,
    ),
    ImportField(
        "short_name",
        gettext_lazy("Short name"),
        ("краткое наименование", "сокращенное наименование", "short name"),
    ),
    ImportField(
        "kind",
        gettext_lazy("Kind of organisation"),
        ("тип", "вид", "тип организации", "вид организации", "kind", "type"),
        gettext_lazy(
            "Blank: a company (a sole trader for a 12-digit INN). Otherwise one of: "
            "%(kinds)s."
        ),
    ),
    ImportField(
        "region",
        gettext_lazy("Region"),
        ("регион", "субъект", "субъект рф", "код региона", "region", "region code"),
        gettext_lazy(
            "The region's code (16), name (Республика Татарстан, Татарстан, "
            "Tatarstan) or short name (ТАТ)."
        ),
        is_required=True,
    ),
    ImportField(
        "ogrn", gettext_lazy("OGRN"), ("огрн", "огрнип", "огрн огрнип", "ogrn")
    ),
    ImportField("city", gettext_lazy("City"), ("город", "населенный пункт", "city")),
    ImportField("address", gettext_lazy("Address"), ("адрес", "address")),
    ImportField(
        "website", gettext_lazy("Website"), ("сайт", "веб сайт", "website", "site")
    ),
    ImportField("telegram", gettext_lazy("Telegram"), ("телеграм", "telegram")),
    ImportField("vk", gettext_lazy("VK"), ("вк", "вконтакте", "vk", "vkontakte")),
    ImportField(
        "sectors",
        gettext_lazy("Creative sectors"),
        ("отрасль", "отрасли", "креативные индустрии", "направление", "sectors"),
        gettext_lazy(
            "Sectors as the classifications name them, separated by commas or "
            "semicolons."
        ),
    ),
    ImportField(
        "tags",
        gettext_lazy("Tags"),
        ("теги", "метки", "tags"),
        gettext_lazy("Separated by commas or semicolons."),
    ),
    ImportField(
        "description",
        gettext_lazy("Description"),
        ("описание", "комментарий", "примечание", "description", "notes"),
    ),
)

PERSON_FIELDS: tuple[ImportField, ...] = (
    ImportField(
        "surname",
        gettext_lazy("Surname"),
        ("фамилия", "surname", "last name", "family name"),
        gettext_lazy("Or give the whole name in one column (ФИО)."),
    ),
    ImportField(
        "first_name",
        gettext_lazy("First name"),
        ("имя", "first name", "given name"),
    ),
    ImportField(
        "patronymic",
        gettext_lazy("Patronymic"),
        ("отчество", "patronymic", "middle name"),
    ),
    ImportField(
        "full_name",
        gettext_lazy("Full name"),
        ("фио", "ф и о", "полное имя", "full name"),
        gettext_lazy("Surname, name and patronymic in this order."),
    ),
    ImportField("position", gettext_lazy("Position"), ("должность", "position")),
    ImportField(
        "phone",
        gettext_lazy("Phone"),
        ("телефон", "тел", "мобильный телефон", "phone", "mobile", "phone number"),
        gettext_lazy("With the area code, e.g. +7 912 345-67-89 or 8 912 345 67 89."),
    ),
    ImportField(
        "email",
        gettext_lazy("E-mail"),
        (
            "e mail",
            "email",
            "эл почта",
            "электронная почта",
            "почта",
            "адрес электронной почты",
        ),
    ),
    ImportField("telegram", gettext_lazy("Telegram"), ("телеграм", "telegram")),
    ImportField(
        "region",
        gettext_lazy("Region"),
        ("регион", "субъект", "субъект рф", "код региона", "region", "region code"),
        gettext_lazy(
            "The region's code (16), name (Республика Татарстан, Татарстан, "
            "Tatarstan) or short name (ТАТ)."
        ),
        is_required=True,
    ),
    ImportField(
        "expertise",
        gettext_lazy("Expertise"),
        ("экспертиза", "компетенции", "expertise"),
    ),
    ImportField(
        "organisation_inn",
        gettext_lazy("Organisation's INN"),
        (
            "инн организации",
            "инн работодателя",
            "инн места работы",
            "organisation inn",
            "organization inn",
            "employer inn",
        ),
        gettext_lazy(
            "Links the person to a recorded organisation (import organisations first)."
        ),
    ),
    ImportField(
        "organisation_name",
        gettext_lazy("Organisation"),
        ("организация", "место работы", "работодатель", "organisation", "employer"),
        gettext_lazy(
            "Links the person to the recorded organisation of this name in their "
            "region, when there is no INN column."
        ),
    ),
    ImportField(
        "consent_purpose",
        gettext_lazy("Consent: purpose"),
        ("согласие", "цель согласия", "согласие цель", "consent", "consent purpose"),
        gettext_lazy(
            "What the person consented to (152-ФЗ), several separated by commas: "
            "%(purposes)s. Blank: no consent; the person is left out of mailings "
            "and exports."
        ),
    ),
    ImportField(
        "consent_date",
        gettext_lazy("Consent: date"),
        ("дата согласия", "согласие дата", "consent date", "consent given on"),
        gettext_lazy("DD.MM.YYYY; required with a purpose."),
    ),
    ImportField(
        "consent_channel",
        gettext_lazy("Consent: how it was given"),
        (
            "способ получения согласия",
            "канал согласия",
            "согласие способ",
            "согласие канал",
            "consent channel",
        ),
        gettext_lazy("One of: %(channels)s; required with a purpose."),
    ),
    ImportField(
        "consent_evidence",
        gettext_lazy("Consent: evidence"),
        ("подтверждение согласия", "где хранится согласие", "consent evidence"),
        gettext_lazy("Where the signed form or the message is kept."),
    ),
)

IMPORT_FIELDS: dict[str, tuple[ImportField, ...]] = {
    ORGANISATIONS: ORGANISATION_FIELDS,
    PEOPLE: PERSON_FIELDS,
}


def import_fields(kind: str) -> tuple[ImportField, ...]:
    return IMPORT_FIELDS[kind]


def import_field_label(kind: str, name: str) -> str:
    for import_field in IMPORT_FIELDS[kind]:
        if import_field.name == name:
            return str(import_field.label)
    return name


def import_field_help(import_field: ImportField) -> str:
    """The field's help, with the lists of values it accepts filled in."""
    text = str(import_field.help_text)
    if "%(" not in text:
        return text
    return text % {
        "kinds": _choice_help(Organisation.Kind.choices),
        "purposes": _choice_help(Consent.Purpose.choices),
        "channels": _choice_help(Consent.Channel.choices),
    }


def header_key(text: object) -> str:
    """A header (or a value) as compared: its words, with case, ё, punctuation
    and spacing set aside ("E-mail:" and "e mail" read the same)."""
    return " ".join(comparable_words(str(text if text is not None else "")))


def header_names(header: Sequence[object]) -> list[str]:
    """The non-empty column names of a header row, as written, without repeats."""
    names: list[str] = []
    keys: set[str] = set()
    for cell in header:
        name = " ".join(str(cell if cell is not None else "").split())
        if name and header_key(name) not in keys:
            names.append(name)
            keys.add(header_key(name))
    return names


def _header_index(kind: str) -> dict[str, str]:
    """Field by header key: each field's label in every interface language (the
    template's headers), then the other names it goes by."""
    index: dict[str, str] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for import_field in IMPORT_FIELDS[kind]:
                index.setdefault(header_key(import_field.label), import_field.name)
    for import_field in IMPORT_FIELDS[kind]:
        for header in import_field.headers:
            index.setdefault(header_key(header), import_field.name)
    return index


def _guess_field(key: str, index: Mapping[str, str]) -> str | None:
    """The field of a header: by its whole name, or else by the longest known
    name it starts with ("Телефон (мобильный)" is a phone)."""
    if not key:
        return None
    if key in index:
        return index[key]
    for known in sorted(index, key=len, reverse=True):
        if key.startswith(f"{known} "):
            return index[known]
    return None


def import_mapping_guess(*, kind: str, header: Sequence[object]) -> dict[str, str]:
    """The column of each field whose usual header appears in ``header``; a column
    feeds one field at most, the first column of a field wins."""
    index = _header_index(kind)
    guessed: dict[str, str] = {}
    for name in header_names(header):
        guessed_field = _guess_field(header_key(name), index)
        if guessed_field is not None and guessed_field not in guessed:
            guessed[guessed_field] = name
    return guessed


def import_mapping_remembered(*, kind: str) -> dict[str, str]:
    """The mapping of the last import of ``kind`` that kept a row, or an empty
    one."""
    # An import of which every row failed probably had a wrong mapping.
    latest = (
        CommunityImport.objects.filter(kind=kind, failed_count__lt=F("rows_total"))
        .order_by("-created_at", "-pk")
        .values_list("mapping", flat=True)
        .first()
    )
    return dict(latest or {})


def import_mapping_initial(*, kind: str, header: Sequence[object]) -> dict[str, str]:
    """The mapping to start a file's preview with: the remembered columns that
    the file has, and guesses for the other fields."""
    spelling = {header_key(name): name for name in header_names(header)}
    mapping: dict[str, str] = {}
    for name, column in import_mapping_remembered(kind=kind).items():
        if header_key(column) in spelling and name in _field_names(kind):
            mapping[name] = spelling[header_key(column)]
    used = {header_key(column) for column in mapping.values()}
    for name, column in import_mapping_guess(kind=kind, header=header).items():
        if name not in mapping and header_key(column) not in used:
            mapping[name] = column
            used.add(header_key(column))
    return _ordered(kind, mapping)


def _field_names(kind: str) -> list[str]:
    return [import_field.name for import_field in IMPORT_FIELDS[kind]]


def _ordered(kind: str, mapping: Mapping[str, str]) -> dict[str, str]:
    return {name: mapping[name] for name in _field_names(kind) if mapping.get(name)}


class ImportMappingError(ApplicationError):
    """The mapping cannot be used; ``errors`` has a message by field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(
            _("Check the columns: %(problems)s")
            % {"problems": " ".join(errors.values())},
            field="mapping",
        )
        self.errors = errors


def _quoted(names: Sequence[str]) -> str:
    shown = [
        _("“%(name)s”") % {"name": name} for name in names[:MAX_HEADERS_IN_MESSAGE]
    ]
    if len(names) > MAX_HEADERS_IN_MESSAGE:
        shown.append("…")
    return ", ".join(shown)


def import_mapping_check(
    *,
    kind: str,
    header: Sequence[object],
    mapping: Mapping[str, str],
    has_default_region: bool = False,
) -> dict[str, str]:
    """The mapping with each column as the file spells it. Raises
    ``ImportMappingError`` naming each field whose column is not in the file or
    is taken twice, and the required fields left without a column."""
    unknown = sorted(set(mapping) - set(_field_names(kind)))
    if unknown:
        raise ApplicationError(
            _("“%(field)s” is not a field of this import; use one of: %(fields)s.")
            % {"field": unknown[0], "fields": ", ".join(_field_names(kind))},
            field="mapping",
        )
    names = header_names(header)
    spelling = {header_key(name): name for name in names}
    repeated = {key for key in (header_key(cell) for cell in header) if key}
    repeated = {
        key for key in repeated if [header_key(cell) for cell in header].count(key) > 1
    }
    errors: dict[str, str] = {}
    checked: dict[str, str] = {}
    taken: dict[str, str] = {}
    for name, column in _ordered(kind, mapping).items():
        key = header_key(column)
        if key not in spelling:
            errors[name] = _(
                "The column “%(column)s” is not in the file. Its header has: "
                "%(header)s."
            ) % {"column": column, "header": _quoted(names)}
        elif key in repeated:
            errors[name] = _(
                "The column “%(column)s” appears twice in the header; rename one "
                "of them."
            ) % {"column": column}
        elif key in taken:
            errors[name] = _(
                "The column “%(column)s” is already chosen for “%(field)s”."
            ) % {"column": column, "field": import_field_label(kind, taken[key])}
        else:
            taken[key] = name
            checked[name] = spelling[key]
    if kind == ORGANISATIONS and "full_name" not in mapping:
        errors.setdefault(
            "full_name", _("Choose the column that holds the organisation's name.")
        )
    if kind == PEOPLE and "full_name" not in mapping:
        for name in ("surname", "first_name"):
            if name not in mapping:
                errors.setdefault(
                    name,
                    _(
                        "Choose the columns of the surname and the name, or the "
                        "one column that holds the full name (ФИО)."
                    ),
                )
    if "region" not in mapping and not has_default_region:
        errors.setdefault(
            "region",
            _(
                "Choose the column that holds the region, or the region of the "
                "rows that give none."
            ),
        )
    if errors:
        raise ImportMappingError(errors)
    return checked


# Reading cells -----------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if not value.time() else value.isoformat()
    return " ".join(str(value).split())


def _identifier_text(value: object) -> str:
    text = "".join(_text(value).split())
    # A number cell drops the leading zero of INNs such as 0274…; the checksum
    # still guards the padded value.
    if isinstance(value, int | float) and len(text) in (9, 11):
        text = text.zfill(len(text) + 1)
    return text


DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%y")


def _date(value: object) -> date | None:
    """A date from a date cell or text as people write it; ``None`` when empty;
    ValueError otherwise (a bare number is a date cell that lost its format)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(value)
    text = value.strip()
    if not text:
        return None
    for date_format in DATE_FORMATS:
        try:
            return datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    raise ValueError(value)


def _list(value: object) -> list[str]:
    return [part.strip() for part in _LIST_SEPARATORS.split(_text(value)) if part]


def _choices(choices, synonyms: Mapping[str, str]) -> dict[str, str]:
    """Value by key: the codes, the labels in every interface language, and the
    words people use for them."""
    lookup: dict[str, str] = {}
    for value, label in choices:
        lookup[header_key(value)] = value
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                lookup[header_key(str(label))] = value
    lookup.update({header_key(word): value for word, value in synonyms.items()})
    return lookup


KIND_SYNONYMS = {
    "компания": "company",
    "организация": "company",
    "юл": "company",
    "юридическое лицо": "company",
    "ооо": "company",
    "ао": "company",
    "пао": "company",
    "зао": "company",
    "оао": "company",
    "ип": "sole_trader",
    "индивидуальный предприниматель": "sole_trader",
    "кфх": "sole_trader",
    "креативное пространство": "creative_space",
    "креативный кластер": "creative_space",
    "кластер": "creative_space",
    "арт пространство": "creative_space",
    "вуз": "education",
    "университет": "education",
    "колледж": "education",
    "школа": "education",
    "фонд": "fund",
    "институт развития": "fund",
    "нко": "non_profit",
    "ано": "non_profit",
    "некоммерческая организация": "non_profit",
    "сми": "media",
    "медиа": "media",
    "министерство": "regional_authority",
    "орган власти": "regional_authority",
    "региональная власть": "regional_authority",
    "администрация": "municipal_authority",
    "муниципалитет": "municipal_authority",
    "местная власть": "municipal_authority",
}
PURPOSE_SYNONYMS = {
    "обработка": "processing",
    "обработка персональных данных": "processing",
    "учет": "processing",
    "рассылка": "mailing",
    "рассылки": "mailing",
    "новости": "mailing",
    "мероприятия": "events",
    "приглашения": "events",
    "опросы": "surveys",
    "исследования": "surveys",
    "публикация": "publication",
    "передача": "transfer",
    "передача партнерам": "transfer",
}
CHANNEL_SYNONYMS = {
    "бумага": "paper",
    "бумажная форма": "paper",
    "письменно": "paper",
    "письменное": "paper",
    "онлайн": "web_form",
    "сайт": "web_form",
    "веб форма": "web_form",
    "форма на сайте": "web_form",
    "online": "web_form",
    "e mail": "email",
    "электронная почта": "email",
    "почта": "email",
    "письмо": "email",
    "регистрация": "event_registration",
    "регистрация на мероприятие": "event_registration",
    "другое": "other",
    "иное": "other",
}


class _Regions:
    """Regions by the ways a table names them: the code (16 or 016 → 16), the
    ISO code (RU-TA), the Russian and English names with or without their
    bracketed part and "Республика"/"Republic", and the short names of the tile
    map (ТАТ, TAT). A name two regions would share is left out."""

    _DROPPED = {"республика", "республики", "republic", "of", "the", "г", "город"}
    _ABBREVIATIONS = {"обл": "область", "респ": "республика"}

    def __init__(self) -> None:
        found: dict[str, set[int]] = {}
        self.by_code: dict[str, Region] = {}
        for region in Region.objects.order_by("code"):
            self.by_code[region.code] = region
            names = {region.iso_code, region.short_ru, region.short_en}
            for name in (region.name_ru, region.name_en):
                names.add(name)
                names.add(re.sub(r"\s*\(.*?\)", "", name))
                names.update(re.findall(r"\((.*?)\)", name))
            for name in names:
                for key in {self._key(name), self._key(name, drop=True)}:
                    if key:
                        found.setdefault(key, set()).add(region.pk)
        regions = {region.pk: region for region in self.by_code.values()}
        self.by_name = {
            key: regions[next(iter(ids))] for key, ids in found.items() if len(ids) == 1
        }

    @classmethod
    def _key(cls, text: str, *, drop: bool = False) -> str:
        words = comparable_words(text)
        words = [cls._ABBREVIATIONS.get(word, word) for word in words]
        if drop:
            words = [word for word in words if word not in cls._DROPPED]
        return " ".join(words)

    def get(self, text: str) -> Region | None:
        text = text.strip()
        if text.isascii() and text.isdigit():
            return self.by_code.get(text.lstrip("0").zfill(2))
        return self.by_name.get(self._key(text)) or self.by_name.get(
            self._key(text, drop=True)
        )


# Outcomes ----------------------------------------------------------------------


class Fate:
    CREATE = "create"
    UPDATE = "update"
    DUPLICATE = "duplicate"
    ERROR = "error"

    ORDER = (CREATE, UPDATE, DUPLICATE, ERROR)
    PREVIEW_LABELS = {
        CREATE: gettext_lazy("Will be created"),
        UPDATE: gettext_lazy("Will update or link"),
        DUPLICATE: gettext_lazy("Duplicate, nothing new"),
        ERROR: gettext_lazy("Error"),
    }
    PREVIEW_COUNT_LABELS = {
        CREATE: gettext_lazy("To be created"),
        UPDATE: gettext_lazy("To update or link"),
        DUPLICATE: gettext_lazy("Duplicates, nothing new"),
        ERROR: gettext_lazy("Rows with errors"),
    }
    RESULT_LABELS = {
        CREATE: gettext_lazy("Created"),
        UPDATE: gettext_lazy("Updated or linked"),
        DUPLICATE: gettext_lazy("Skipped as duplicate"),
        ERROR: gettext_lazy("Failed"),
    }


@dataclass(frozen=True)
class RowError:
    """What is wrong with a row: the field, the column it came from, the value
    and the message."""

    field: str
    column: str
    value: str
    message: str


@dataclass(frozen=True)
class RowOutcome:
    """What a row becomes. ``match`` is the duplicate rule that found the
    record (see ``duplicates.RULE_LABELS``), ``match_row`` the earlier row of
    the same file that made it; ``changes`` the fields a matched record gets."""

    row: int
    fate: str
    label: str = ""
    record_id: int | None = None
    match: str = ""
    match_row: int | None = None
    changes: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    errors: tuple[RowError, ...] = ()
    is_without_consent: bool = False

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RowOutcome:
        values = dict(data)
        values["changes"] = tuple(values.get("changes", ()))
        values["notes"] = tuple(values.get("notes", ()))
        values["errors"] = tuple(
            RowError(**error) for error in values.get("errors", ())
        )
        return cls(**values)

    def as_dict(self) -> dict[str, Any]:
        """The outcome as stored in JSON (lists, not tuples)."""
        data = asdict(self)
        data["changes"] = list(self.changes)
        data["notes"] = list(self.notes)
        data["errors"] = [asdict(error) for error in self.errors]
        return data

    def fingerprint(self) -> tuple:
        """The outcome without the ids of records made in the run, which differ
        between the preview and the confirm."""
        record_id = (
            None if self.fate == Fate.CREATE or self.match_row else self.record_id
        )
        return (
            self.row,
            self.fate,
            self.label,
            record_id,
            self.match,
            self.match_row,
            self.changes,
            self.notes,
            tuple((error.field, error.message) for error in self.errors),
        )


@dataclass(frozen=True)
class ImportReport:
    """The fate of every row of a table, as previewed or as imported."""

    kind: str
    file_name: str
    headers: list[str]
    mapping: dict[str, str]
    rows: list[RowOutcome]
    is_committed: bool = False
    default_region: str = ""

    def count(self, fate: str) -> int:
        return sum(1 for row in self.rows if row.fate == fate)

    @property
    def counts(self) -> dict[str, int]:
        return {fate: self.count(fate) for fate in Fate.ORDER}

    @property
    def writes(self) -> int:
        """Rows that would create or change a record."""
        return self.count(Fate.CREATE) + self.count(Fate.UPDATE)

    @property
    def without_consent(self) -> int:
        return sum(
            1 for row in self.rows if row.is_without_consent and row.fate != Fate.ERROR
        )

    @property
    def digest(self) -> str:
        data = json.dumps(
            [row.fingerprint() for row in self.rows], ensure_ascii=False, default=str
        )
        return hashlib.sha256(data.encode()).hexdigest()


class _RowRefused(Exception):
    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__(errors)
        self.errors = tuple(errors)


class _DryRun(Exception):
    """Rolls the preview's transaction back."""


class ImportChangedError(ApplicationError):
    """The records changed between the preview and the confirm, so the rows would
    not become what the user saw; ``report`` is the new preview."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(
            _(
                "The records changed since the preview, so some rows would not "
                "become what it showed. Nothing was imported; check the new "
                "preview and confirm again."
            ),
            field=None,
        )
        self.report = report


# Matching records --------------------------------------------------------------


class _Index:
    """Records the user may see by the keys rows are matched on, kept up to
    date with the records the run makes or fills in."""

    def __init__(self) -> None:
        self.keys: dict[tuple[str, Any], list[int]] = {}

    def add(self, pk: int, keys: Iterable[tuple[str, Any]]) -> None:
        for key in keys:
            ids = self.keys.setdefault(key, [])
            if pk not in ids:
                ids.append(pk)

    def get(self, key: tuple[str, Any]) -> list[int]:
        return self.keys.get(key, [])


def _organisation_keys(organisation: Organisation) -> list[tuple[str, Any]]:
    keys = []
    for name in (organisation.full_name, organisation.short_name):
        key = organisation_name_key(name or "")
        if key:
            keys.append(("name", (organisation.region_id, key)))
    return keys


def _person_keys(person: Person) -> list[tuple[str, Any]]:
    keys: list[tuple[str, Any]] = []
    if email_key(person.email):
        keys.append(("email", email_key(person.email)))
    if person.phone:
        keys.append(("phone", person.phone))
    name = person_name_key(person.surname, person.first_name, person.patronymic)
    if name:
        keys.append(("full_name", (person.region_id, name)))
    return keys


# The run -----------------------------------------------------------------------


class _Run:
    """Imports the rows of one table through the services, each row in a
    savepoint of its own."""

    def __init__(
        self,
        *,
        user: User,
        kind: str,
        header: Sequence[object],
        mapping: Mapping[str, str],
        default_region: Region | None,
    ) -> None:
        self.user = user
        self.kind = kind
        keys = [header_key(cell) for cell in header]
        self.columns = {
            name: keys.index(header_key(column)) for name, column in mapping.items()
        }
        self.mapping = dict(mapping)
        self.default_region = default_region
        self.regions = _Regions()
        self.made_by_row: dict[int, int] = {}
        self.cells: Sequence[object] = ()
        self.today = timezone.localdate()
        self.index = _Index()
        self.organisation_names: _Index | None = None
        if kind == ORGANISATIONS:
            visible = Organisation.objects.visible_to(user).only(
                "pk", "full_name", "short_name", "region_id"
            )
            for organisation in visible.iterator():
                self.index.add(organisation.pk, _organisation_keys(organisation))
        else:
            visible = Person.objects.visible_to(user).only(
                "pk",
                "email",
                "phone",
                "surname",
                "first_name",
                "patronymic",
                "region_id",
            )
            for person in visible.iterator():
                self.index.add(person.pk, _person_keys(person))
        self.kind_lookup = _choices(Organisation.Kind.choices, KIND_SYNONYMS)
        self.purpose_lookup = _choices(Consent.Purpose.choices, PURPOSE_SYNONYMS)
        self.channel_lookup = _choices(Consent.Channel.choices, CHANNEL_SYNONYMS)

    # Rows

    def run(self, rows: Sequence[Sequence[object]]) -> list[RowOutcome]:
        outcomes = []
        for number, row in enumerate(rows, start=2):
            if all(blank(cell) for cell in row):
                continue
            outcomes.append(self._row(number, row))
        return outcomes

    def _row(self, number: int, row: Sequence[object]) -> RowOutcome:
        self.cells = row
        try:
            with transaction.atomic():
                if self.kind == ORGANISATIONS:
                    outcome, keys = self._organisation(number)
                else:
                    outcome, keys = self._person(number)
        except _RowRefused as refused:
            return RowOutcome(
                row=number,
                fate=Fate.ERROR,
                label=self._row_label(),
                errors=refused.errors,
            )
        if outcome.record_id is not None:
            self.index.add(outcome.record_id, keys)
        return outcome

    def _row_label(self) -> str:
        if self.kind == ORGANISATIONS:
            return self._text("full_name") or self._text("inn")
        return self._text("full_name") or " ".join(
            part
            for part in (
                self._text("surname"),
                self._text("first_name"),
                self._text("patronymic"),
            )
            if part
        )

    # Cells and errors

    def _cell(self, name: str) -> object:
        index = self.columns.get(name)
        if index is None or index >= len(self.cells):
            return None
        return self.cells[index]

    def _text(self, name: str) -> str:
        return _text(self._cell(name))

    def _error(self, name: str, message: str) -> RowError:
        return RowError(
            field=name,
            column=self.mapping.get(name, ""),
            value=self._text(name),
            message=message,
        )

    def _call(
        self, service: Callable[..., Any], fields: Mapping[str, str], **kwargs: Any
    ) -> Any:
        """Calls a service; its messages by field become the row's errors, on the
        column each field came from (``fields`` renames the service's fields)."""
        try:
            return service(user=self.user, **kwargs)
        except ValidationError as error:
            messages = (
                error.message_dict
                if hasattr(error, "error_dict")
                else {"__all__": error.messages}
            )
            errors = []
            for name, texts in messages.items():
                name = fields.get(name, name)
                errors.extend(self._error(name, text) for text in texts)
            raise _RowRefused(errors) from error

    def _region(self, errors: list[RowError]) -> Region | None:
        text = self._text("region")
        if not text:
            if self.default_region is None:
                errors.append(self._error("region", _("The region is empty.")))
            return self.default_region
        region = self.regions.get(text)
        if region is None:
            errors.append(
                self._error(
                    "region",
                    _(
                        "“%(value)s” is neither a region's code nor its name "
                        "(e.g. 16, Республика Татарстан, Татарстан, ТАТ)."
                    )
                    % {"value": text},
                )
            )
        return region

    def _choice(
        self,
        name: str,
        lookup: Mapping[str, str],
        choices,
        errors: list[RowError],
        text: str | None = None,
    ) -> str | None:
        text = self._text(name) if text is None else text
        value = lookup.get(header_key(text))
        if value is None:
            errors.append(
                self._error(
                    name,
                    _("“%(value)s” is not one of: %(choices)s.")
                    % {"value": text, "choices": _choice_help(choices)},
                )
            )
        return value

    def _match(self, rule: str, key: Any, model, accept=None) -> tuple[Any, str] | None:
        """The one visible record with ``key`` under ``rule``; the row is refused
        when several have it, since the import cannot tell which one it is."""
        ids = self.index.get((rule, key))
        records = list(model.objects.filter(pk__in=ids).order_by("pk")) if ids else []
        if accept is not None:
            records = [record for record in records if accept(record)]
        if not records:
            return None
        if len(records) > 1:
            field_name = {"name": "full_name", "full_name": "full_name"}.get(rule, rule)
            raise _RowRefused(
                [
                    self._error(
                        field_name,
                        _(
                            "Several recorded entries match this row (%(records)s); "
                            "merge the duplicates first."
                        )
                        % {
                            "records": ", ".join(
                                self._describe(record) for record in records[:5]
                            )
                        },
                    )
                ]
            )
        return records[0], rule

    def _describe(self, record) -> str:
        # Records made earlier in the run have no id the preview could show.
        if record.pk in self.made_by_row:
            return _("row %(row)s") % {"row": self.made_by_row[record.pk]}
        return f"#{record.pk} {record}"

    def _matched(
        self, number: int, record, rule: str, fate: str, **values: Any
    ) -> RowOutcome:
        return RowOutcome(
            row=number,
            fate=fate,
            label=str(record),
            record_id=record.pk,
            match=rule,
            match_row=self.made_by_row.get(record.pk),
            **values,
        )

    def _kept_note(self, name: str, recorded: str, given: str) -> str:
        return _(
            "%(field)s: kept the recorded “%(recorded)s”, the file has “%(given)s”."
        ) % {
            "field": capfirst(import_field_label(self.kind, name)),
            "recorded": Truncator(recorded).chars(NOTE_VALUE_LENGTH),
            "given": Truncator(given).chars(NOTE_VALUE_LENGTH),
        }

    # Organisations

    ORGANISATION_TEXT_FIELDS = (
        "short_name",
        "ogrn",
        "city",
        "address",
        "website",
        "telegram",
        "vk",
        "description",
    )

    def _organisation(self, number: int) -> tuple[RowOutcome, list[tuple[str, Any]]]:
        errors: list[RowError] = []
        inn = _identifier_text(self._cell("inn"))
        full_name = self._text("full_name")
        if not full_name:
            errors.append(self._error("full_name", _("The name is empty.")))
        region = self._region(errors)
        kind = None
        if self._text("kind"):
            kind = self._choice(
                "kind", self.kind_lookup, Organisation.Kind.choices, errors
            )
        values = {name: self._text(name) for name in self.ORGANISATION_TEXT_FIELDS}
        values["ogrn"] = _identifier_text(self._cell("ogrn"))
        sectors, tags = _list(self._cell("sectors")), _list(self._cell("tags"))
        if errors:
            raise _RowRefused(errors)
        if kind is None:
            kind = (
                Organisation.Kind.SOLE_TRADER
                if len(inn) == 12
                else Organisation.Kind.COMPANY
            )

        match = self._match_organisation(inn, full_name, region)
        if match is None:
            organisation = self._call(
                services.organisation_create,
                {},
                full_name=full_name,
                kind=kind,
                region=region,
                inn=inn or None,
                sectors=sectors,
                tags=tags,
                **values,
            )
            self.made_by_row[organisation.pk] = number
            return (
                RowOutcome(
                    row=number,
                    fate=Fate.CREATE,
                    label=str(organisation),
                    record_id=organisation.pk,
                ),
                _organisation_keys(organisation),
            )

        organisation, rule = match
        changes: dict[str, Any] = {}
        notes = []
        given = {"inn": inn, **values}
        for name, value in given.items():
            normalise = Organisation.NORMALISERS.get(name)
            value = (normalise(value) if normalise else value) or ""
            recorded = getattr(organisation, name) or ""
            if not value or value == recorded:
                continue
            if recorded:
                notes.append(self._kept_note(name, recorded, value))
            else:
                changes[name] = value
        changed = list(changes)
        known_tags = {tag.normalised for tag in organisation.tags.all()}
        new_tags = [
            tag for tag in tags if header_key(tag) and _tag_key(tag) not in known_tags
        ]
        if new_tags:
            changes["tags"] = [tag.name for tag in organisation.tags.all()] + new_tags
            changed.append("tags")
        known_sectors = {sector.name for sector in organisation.sectors.all()}
        new_sectors = [sector for sector in sectors if sector not in known_sectors]
        if new_sectors:
            changes["sectors"] = sorted(known_sectors) + new_sectors
            changed.append("sectors")
        if changes:
            self._call(
                services.organisation_update,
                {},
                organisation=organisation,
                **changes,
            )
        fate = Fate.UPDATE if changes else Fate.DUPLICATE
        return (
            self._matched(
                number,
                organisation,
                rule,
                fate,
                changes=tuple(changed),
                notes=tuple(notes),
            ),
            _organisation_keys(organisation),
        )

    def _match_organisation(
        self, inn: str, full_name: str, region: Region | None
    ) -> tuple[Organisation, str] | None:
        if inn:
            # An INN is unique whatever the region: a record elsewhere blocks the
            # row rather than making a second one.
            existing = Organisation.objects.filter(inn=inn).first()
            if existing is not None:
                if not Organisation.objects.visible_to(self.user).filter(
                    pk=existing.pk
                ):
                    # The words a partner gets from the register's door too:
                    # nothing of the other region's record.
                    raise _RowRefused(
                        [self._error("inn", services.firm_outside_regions_message())]
                    )
                return existing, "inn"
        key = organisation_name_key(full_name)
        if not key or region is None:
            return None
        return self._match(
            "name",
            (region.pk, key),
            Organisation,
            # A recorded INN other than the row's is another firm of that name.
            accept=lambda record: not (inn and record.inn and record.inn != inn),
        )

    # People

    PERSON_TEXT_FIELDS = (
        "patronymic",
        "position",
        "phone",
        "email",
        "telegram",
        "expertise",
    )

    def _person_names(self, errors: list[RowError]) -> tuple[str, str, str]:
        surname = self._text("surname")
        first_name = self._text("first_name")
        patronymic = self._text("patronymic")
        if not (surname or first_name) and self._text("full_name"):
            parts = self._text("full_name").split(" ", 2)
            surname = parts[0]
            first_name = parts[1] if len(parts) > 1 else ""
            patronymic = patronymic or (parts[2] if len(parts) > 2 else "")
        name_field = "surname" if "surname" in self.mapping else "full_name"
        if not surname:
            errors.append(self._error(name_field, _("The surname is empty.")))
        elif not first_name:
            name_field = "first_name" if "first_name" in self.mapping else "full_name"
            errors.append(self._error(name_field, _("The name is empty.")))
        return surname, first_name, patronymic

    def _person_fields(self) -> dict[str, str]:
        """Service fields → the import field their errors belong to."""
        names = {}
        for name in ("surname", "first_name", "patronymic"):
            if name not in self.mapping and "full_name" in self.mapping:
                names[name] = "full_name"
        return names

    def _consents(
        self, errors: list[RowError]
    ) -> tuple[list[str], date | None, str | None, str]:
        purposes_text = _list(self._cell("consent_purpose"))
        purposes = []
        for text in purposes_text:
            purpose = self._choice(
                "consent_purpose",
                self.purpose_lookup,
                Consent.Purpose.choices,
                errors,
                text=text,
            )
            if purpose is not None and purpose not in purposes:
                purposes.append(purpose)
        date_cell = self._cell("consent_date")
        try:
            given_on = _date(date_cell)
        except ValueError:
            given_on = None
            errors.append(
                self._error(
                    "consent_date",
                    _("“%(value)s” is not a date (DD.MM.YYYY).")
                    % {"value": _text(date_cell)},
                )
            )
        channel = None
        if self._text("consent_channel"):
            channel = self._choice(
                "consent_channel", self.channel_lookup, Consent.Channel.choices, errors
            )
        evidence = self._text("consent_evidence")
        if purposes_text:
            if given_on is None and not _text(date_cell):
                errors.append(
                    self._error(
                        "consent_date",
                        _("Give the date the consent was given (152-ФЗ)."),
                    )
                )
            if not self._text("consent_channel"):
                errors.append(
                    self._error(
                        "consent_channel",
                        _("Say how the consent was given: %(channels)s.")
                        % {"channels": _choice_help(Consent.Channel.choices)},
                    )
                )
        elif given_on or channel or evidence:
            errors.append(
                self._error(
                    "consent_purpose",
                    _("Say what the person consented to; the purpose is empty."),
                )
            )
        return purposes, given_on, channel, evidence

    def _organisation_link(
        self, region: Region | None, errors: list[RowError]
    ) -> Organisation | None:
        inn = _identifier_text(self._cell("organisation_inn"))
        name = self._text("organisation_name")
        visible = Organisation.objects.visible_to(self.user)
        if inn:
            organisation = visible.filter(inn=inn).first()
            if organisation is None:
                errors.append(
                    self._error(
                        "organisation_inn",
                        _(
                            "No organisation with this INN is recorded in your "
                            "regions; import the organisations first."
                        ),
                    )
                )
            return organisation
        key = organisation_name_key(name)
        if not key or region is None:
            return None
        if self.organisation_names is None:
            self.organisation_names = _Index()
            for known in visible.only(
                "pk", "full_name", "short_name", "region_id"
            ).iterator():
                self.organisation_names.add(known.pk, _organisation_keys(known))
        ids = self.organisation_names.get(("name", (region.pk, key)))
        found = list(visible.filter(pk__in=ids)) if ids else []
        if len(found) != 1:
            errors.append(
                self._error(
                    "organisation_name",
                    _(
                        "No organisation of this name is recorded in %(region)s; "
                        "import the organisations first or give its INN."
                    )
                    % {"region": region}
                    if not found
                    else _(
                        "Several organisations of this name are recorded in "
                        "%(region)s; give the organisation's INN."
                    )
                    % {"region": region},
                )
            )
            return None
        return found[0]

    def _person(self, number: int) -> tuple[RowOutcome, list[tuple[str, Any]]]:
        errors: list[RowError] = []
        surname, first_name, patronymic = self._person_names(errors)
        region = self._region(errors)
        values = {name: self._text(name) for name in self.PERSON_TEXT_FIELDS}
        values["patronymic"] = patronymic
        purposes, given_on, channel, evidence = self._consents(errors)
        organisation = self._organisation_link(region, errors)
        if errors:
            raise _RowRefused(errors)
        person_fields = self._person_fields()

        match = self._match_person(values, surname, first_name, patronymic, region)
        changed: list[str] = []
        notes: list[str] = []
        if match is None:
            person = self._call(
                services.person_create,
                person_fields,
                surname=surname,
                first_name=first_name,
                region=region,
                **values,
            )
            self.made_by_row[person.pk] = number
            rule = ""
        else:
            person, rule = match
            changes: dict[str, str] = {}
            for name, value in values.items():
                normalise = Person.NORMALISERS.get(name)
                value = (normalise(value) if normalise else value) or ""
                recorded = getattr(person, name) or ""
                if not value or value == recorded:
                    continue
                if name == "email" and email_key(value) == email_key(recorded):
                    continue
                if recorded:
                    notes.append(self._kept_note(name, recorded, value))
                else:
                    changes[name] = value
            if changes:
                self._call(
                    services.person_update, person_fields, person=person, **changes
                )
                changed.extend(changes)

        for purpose in purposes:
            if self._consent_record(
                person, purpose, given_on, channel, evidence, notes
            ):
                changed.append("consent_purpose")
        if (
            organisation is not None
            and not Affiliation.objects.filter(
                person=person, organisation=organisation
            ).exists()
        ):
            self._call(
                services.affiliation_add,
                {
                    "organisation": "organisation_inn"
                    if "organisation_inn" in self.mapping
                    else "organisation_name",
                    "person": "region",
                    "role": "position",
                },
                person=person,
                organisation=organisation,
                role=person.position,
            )
            changed.append(
                "organisation_inn"
                if "organisation_inn" in self.mapping
                else "organisation_name"
            )

        is_without_consent = (
            not Consent.objects.filter(person=person).valid_on(self.today).exists()
        )
        if is_without_consent:
            notes.append(
                _(
                    "No consent is recorded: the person will be left out of "
                    "mailings and exports until one is."
                )
            )
        if match is None:
            outcome = RowOutcome(
                row=number,
                fate=Fate.CREATE,
                label=str(person),
                record_id=person.pk,
                notes=tuple(notes),
                is_without_consent=is_without_consent,
            )
        else:
            outcome = self._matched(
                number,
                person,
                rule,
                Fate.UPDATE if changed else Fate.DUPLICATE,
                changes=tuple(dict.fromkeys(changed)),
                notes=tuple(notes),
                is_without_consent=is_without_consent,
            )
        return outcome, _person_keys(person)

    def _consent_record(
        self,
        person: Person,
        purpose: str,
        given_on: date | None,
        channel: str | None,
        evidence: str,
        notes: list[str],
    ) -> bool:
        """Records the row's consent unless the person has one in force for the
        purpose, or withdrew it after the row's date: a table kept since then
        must not give back a consent the person took away."""
        consents = Consent.objects.filter(person=person, purpose=purpose)
        if consents.filter(withdrawn_on__isnull=True).exists():
            return False
        label = Consent.Purpose(purpose).label
        if (
            given_on is not None
            and consents.filter(withdrawn_on__gte=given_on).exists()
        ):
            latest = consents.order_by("-withdrawn_on").first()
            notes.append(
                _(
                    "Consent “%(purpose)s” was withdrawn on %(date)s; the file's "
                    "consent, dated on or before that day, is not recorded again "
                    "(a consent given anew is recorded on the person's page)."
                )
                % {"purpose": label, "date": latest.withdrawn_on.strftime("%d.%m.%Y")}
            )
            return False
        self._call(
            services.consent_record,
            {
                "given_on": "consent_date",
                "purpose": "consent_purpose",
                "channel": "consent_channel",
                "evidence": "consent_evidence",
                "person": "region",
                "__all__": "consent_purpose",
            },
            person=person,
            purpose=purpose,
            given_on=given_on,
            channel=channel,
            evidence=evidence,
        )
        return True

    def _match_person(
        self,
        values: Mapping[str, str],
        surname: str,
        first_name: str,
        patronymic: str,
        region: Region | None,
    ) -> tuple[Person, str] | None:
        email = email_key(values["email"])
        if email:
            match = self._match("email", email, Person)
            if match is not None:
                return match
        phone = normalise_phone(values["phone"])
        if phone.startswith("+"):
            match = self._match("phone", phone, Person)
            if match is not None:
                return match
        name = person_name_key(surname, first_name, patronymic)
        if not name or region is None:
            return None

        def has_no_other_contact(person: Person) -> bool:
            # Namesakes with different e-mails or phones are different people.
            other_email = email and person.email and email_key(person.email) != email
            other_phone = phone and person.phone and person.phone != phone
            return not (other_email or other_phone)

        return self._match(
            "full_name", (region.pk, name), Person, accept=has_no_other_contact
        )


def _tag_key(name: str) -> str:
    # As ``Tag`` keeps it: one tag whatever the case or ё/е it was typed with.
    return " ".join(name.split()).casefold().replace("ё", "е")


# Files -------------------------------------------------------------------------


def _uploads_dir() -> Path:
    return (Path(settings.DATA_DIR) / "uploads" / "community").resolve()


def import_upload_save(*, name: str, chunks: Iterable[bytes]) -> str:
    """Keeps an uploaded table until its import is confirmed; returns the token
    that names it (a random folder and the file's name). Tables of previews
    abandoned for a day are deleted on the way, since they hold personal data."""
    _uploads_prune(older_than=time.time() - UPLOAD_KEPT_SECONDS)
    safe_name = Path(name).name or "table"
    folder = _uploads_dir() / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / safe_name, "wb") as file:
        for chunk in chunks:
            file.write(chunk)
    return f"{folder.name}/{safe_name}"


def import_upload_discard(*, path: Path) -> None:
    """Deletes an uploaded table once its import is done, with its folder."""
    folder = path.parent
    if folder.parent == _uploads_dir():
        shutil.rmtree(folder, ignore_errors=True)


def _uploads_prune(*, older_than: float) -> None:
    uploads = _uploads_dir()
    if not uploads.is_dir():
        return
    for folder in uploads.iterdir():
        try:
            is_stale = folder.stat().st_mtime < older_than
        except FileNotFoundError:  # another request pruned it first
            continue
        if is_stale and re.fullmatch(r"[0-9a-f]{32}", folder.name):
            shutil.rmtree(folder, ignore_errors=True)


def import_upload_path(token: str) -> Path | None:
    """The uploaded table ``token`` names, never a path outside the uploads."""
    if not token or not re.fullmatch(r"[0-9a-f]{32}/[^/\\]+", token):
        return None
    folder = _uploads_dir()
    path = (folder / token).resolve()
    if (
        not path.is_relative_to(folder)
        or not path.is_file()
        or not path.name.lower().endswith(UPLOAD_SUFFIXES)
    ):
        return None
    return path


def _read(path: Path) -> tuple[bytes, list[list[object]]]:
    try:
        content = path.read_bytes()
    except OSError as error:
        raise ApplicationError(
            _("The file “%(path)s” cannot be read (%(problem)s).")
            % {"path": path.name, "problem": error.strerror or error},
            field="file",
        ) from error
    try:
        rows = read_table(content, file_name=path.name)
    except TableFormatError as error:
        raise ApplicationError(str(error), field="file") from error
    if len(rows) < 2:
        raise ApplicationError(_("The file has a header but no rows."), field="file")
    if len(rows) - 1 > MAX_ROWS:
        raise ApplicationError(
            _(
                "The file has %(count)s rows; import at most %(limit)s at a time, "
                "splitting the table."
            )
            % {"count": len(rows) - 1, "limit": MAX_ROWS},
            field="file",
        )
    return content, rows


def import_header(*, path: Path) -> list[str]:
    """The column names of a table, to choose a mapping from."""
    _content, rows = _read(path)
    return header_names(rows[0])


def _default_region(text: str | None) -> Region | None:
    if not text or not text.strip():
        return None
    region = _Regions().get(text)
    if region is None:
        raise ApplicationError(
            _("“%(value)s” is neither a region's code nor its name.") % {"value": text},
            field="region",
        )
    return region


def _prepare(
    *,
    user: User,
    kind: str,
    path: Path,
    mapping: Mapping[str, str] | None,
    default_region: str | None,
) -> tuple[bytes, list[list[object]], dict[str, str], Region | None]:
    if kind not in KINDS:
        raise ApplicationError(
            _("Choose what the table holds: organisations or people."), field="kind"
        )
    if not services.user_can_write(user):
        raise PermissionDenied(
            _("Your role does not allow changing community records.")
        )
    region = _default_region(default_region)
    content, rows = _read(path)
    if mapping is None:
        mapping = import_mapping_initial(kind=kind, header=rows[0])
    checked = import_mapping_check(
        kind=kind,
        header=rows[0],
        mapping=mapping,
        has_default_region=region is not None,
    )
    return content, rows, checked, region


def _report(
    *,
    kind: str,
    path: Path,
    rows: list[list[object]],
    mapping: dict[str, str],
    outcomes: list[RowOutcome],
    region: Region | None,
    is_committed: bool,
) -> ImportReport:
    return ImportReport(
        kind=kind,
        file_name=path.name,
        headers=header_names(rows[0]),
        mapping=mapping,
        rows=outcomes,
        is_committed=is_committed,
        default_region=region.code if region else "",
    )


def community_import_preview(
    *,
    user: User,
    kind: str,
    path: Path,
    mapping: Mapping[str, str] | None = None,
    default_region: str | None = None,
) -> ImportReport:
    """What importing the table would do to each row, without writing anything.

    ``mapping`` names the column of each field (by default the remembered one,
    else guessed); ``default_region`` is the region (code or name) of rows that
    give none. Raises ``ApplicationError`` when the file or the mapping cannot be
    used (``ImportMappingError`` with a message by field).
    """
    _content, rows, checked, region = _prepare(
        user=user, kind=kind, path=path, mapping=mapping, default_region=default_region
    )
    outcomes: list[RowOutcome] = []
    try:
        with transaction.atomic():
            run = _Run(
                user=user,
                kind=kind,
                header=rows[0],
                mapping=checked,
                default_region=region,
            )
            outcomes = run.run(rows[1:])
            raise _DryRun
    except _DryRun:
        pass
    return _report(
        kind=kind,
        path=path,
        rows=rows,
        mapping=checked,
        outcomes=[
            # Records made in the preview were rolled back with it.
            _without_new_ids(outcome)
            for outcome in outcomes
        ],
        region=region,
        is_committed=False,
    )


def _without_new_ids(outcome: RowOutcome) -> RowOutcome:
    if outcome.fate == Fate.CREATE or outcome.match_row:
        return replace(outcome, record_id=None)
    return outcome


@transaction.atomic
def community_import_commit(
    *,
    user: User,
    kind: str,
    path: Path,
    mapping: Mapping[str, str] | None = None,
    default_region: str | None = None,
    expected_digest: str | None = None,
) -> CommunityImport:
    """Imports the table as ``community_import_preview`` showed it and records
    the import (its mapping becomes the kind's remembered one).

    With ``expected_digest`` (the preview's ``digest``), raises
    ``ImportChangedError`` with a new preview, having written nothing, when the
    rows would not become what the preview showed.
    """
    content, rows, checked, region = _prepare(
        user=user, kind=kind, path=path, mapping=mapping, default_region=default_region
    )
    run = _Run(
        user=user, kind=kind, header=rows[0], mapping=checked, default_region=region
    )
    outcomes = run.run(rows[1:])
    report = _report(
        kind=kind,
        path=path,
        rows=rows,
        mapping=checked,
        outcomes=outcomes,
        region=region,
        is_committed=True,
    )
    if expected_digest is not None and report.digest != expected_digest:
        raise ImportChangedError(
            _report(
                kind=kind,
                path=path,
                rows=rows,
                mapping=checked,
                outcomes=[_without_new_ids(outcome) for outcome in outcomes],
                region=region,
                is_committed=False,
            )
        )
    counts = report.counts
    community_import = CommunityImport(
        kind=kind,
        file_name=path.name[:255],
        file_sha256=hashlib.sha256(content).hexdigest(),
        mapping=checked,
        rows=[outcome.as_dict() for outcome in outcomes],
        rows_total=len(outcomes),
        created_count=counts[Fate.CREATE],
        updated_count=counts[Fate.UPDATE],
        duplicate_count=counts[Fate.DUPLICATE],
        failed_count=counts[Fate.ERROR],
        created_by=user,
    )
    community_import.full_clean()
    community_import.save()
    return community_import


def community_import_report(*, community_import: CommunityImport) -> ImportReport:
    """A recorded import as a report, for its page."""
    return ImportReport(
        kind=community_import.kind,
        file_name=community_import.file_name,
        headers=list(community_import.mapping.values()),
        mapping=dict(community_import.mapping),
        rows=[RowOutcome.from_dict(row) for row in community_import.rows],
        is_committed=True,
    )


def community_import_list(*, user: User):
    """Imports the user may see, newest first."""
    return CommunityImport.objects.visible_to(user).select_related("created_by")


# Template files ----------------------------------------------------------------


def import_template_xlsx(*, kind: str) -> bytes:
    """An empty table with the headers the import expects, in the interface's
    language, and a second sheet saying what each column holds."""
    fields = IMPORT_FIELDS[kind]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(CommunityImport.Kind(kind).label)[:31]
    sheet.append([capfirst(str(import_field.label)) for import_field in fields])
    for index, import_field in enumerate(fields, start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = max(
            14, len(str(import_field.label)) + 4
        )
    sheet.freeze_panes = "A2"
    help_sheet = workbook.create_sheet(_("Columns")[:31])
    help_sheet.append([_("Column"), _("Required"), _("What it holds")])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for import_field in fields:
        help_sheet.append(
            [
                capfirst(str(import_field.label)),
                _("yes") if import_field.is_required else "",
                import_field_help(import_field),
            ]
        )
    help_sheet.column_dimensions["A"].width = 30
    help_sheet.column_dimensions["B"].width = 12
    help_sheet.column_dimensions["C"].width = 100
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_template_name(kind: str) -> str:
    return f"community-{kind}-template.xlsx"
