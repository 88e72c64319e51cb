"""Reading classification tables from CSV and XLSX, and matching activity codes.

Parsing never raises on bad content: every problem becomes a ``RowError`` naming the
row, the column and what is wrong, so the user can fix the file in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from creative_regions.core.tables import TableFormatError, blank, read_table

MAX_ROWS = 100_000
MAX_LENGTHS = {"code": 12, "name": 500, "sector": 200, "sector_en": 200}

CODE_PATTERNS = {
    # OKVED2: 01, 01.4, 62.01, 01.41.1, 01.41.11
    "okved2": re.compile(r"^\d{2}(\.\d|\.\d{2}(\.\d{1,2})?)?$"),
    # UK SIC 2007: 58, 58.2, 58.29, 58.29/1
    "sic2007": re.compile(r"^\d{2}(\.\d{1,2}(/\d)?)?$"),
}
CODE_EXAMPLES = {"okved2": "58.11, 62.01, 32.99.8", "sic2007": "58.11, 62.01, 58.29/1"}

CODE_COLUMNS = ("code", "okved2", "okved", "sic2007", "sic")
# Headers of our own XLSX export, in each interface language, so an exported table
# can be edited and imported back.
EXPORT_HEADERS = {
    "Code": "code",
    "Activity": "name",
    "Sector": "sector",
    "Sector in English": "sector_en",
    "Confidence": "confidence",
    "Source": "source",
}
NAME_COLUMNS = ("name", "name_ru", "name_en")
CONFIDENCE_VALUES = ("official", "confirmed", "inferred_high", "inferred_low")
CONFIDENCE_TAGS = {
    "[CONFIRMED-ACTIVITY]": "confirmed",
    "[CONFIRMED]": "confirmed",
    "[INFERRED-HIGH]": "inferred_high",
    "[INFERRED-LOW]": "inferred_low",
    "[OFFICIAL]": "official",
}


@dataclass(frozen=True)
class EntryRow:
    code: str
    name: str
    sector: str
    sector_en: str
    confidence: str
    source: str


@dataclass(frozen=True)
class RowError:
    """A problem in the file: ``row`` is the spreadsheet row number (the header is
    row 1), or ``None`` for the whole file."""

    row: int | None
    field: str
    value: str
    message: str


@dataclass(frozen=True)
class ParsedTable:
    rows: list[EntryRow]
    errors: list[RowError]


def _cell_text(value: object, *, column: str) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and column in CODE_COLUMNS:
        # 74.10 typed as a number arrives as 74.1: the code is lost, not guessable.
        raise ValueError(
            _(
                "The code is stored as a number, so a trailing zero may be lost "
                "(74.10 becomes 74.1). Format the column as text and type the "
                "codes again."
            )
        )
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header_aliases() -> dict[str, str]:
    aliases = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for header, column in EXPORT_HEADERS.items():
                aliases[translation.gettext(header).strip().lower()] = column
    return aliases


def _confidence_labels() -> dict[str, str]:
    from creative_regions.research.models import ClassificationEntry

    labels = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for value, label in ClassificationEntry.Confidence.choices:
                labels[str(label).lower()] = value
    return labels


def _confidence(value: str, source: str) -> str | None:
    if value:
        normalised = value.strip().lower().replace("-", "_").replace(" ", "_")
        if normalised in CONFIDENCE_VALUES:
            return normalised
        return _confidence_labels().get(value.strip().lower())
    for tag, confidence in CONFIDENCE_TAGS.items():
        if source.lstrip().upper().startswith(tag):
            return confidence
    return "official"


def parse_classification_table(
    content: bytes,
    *,
    file_name: str,
    code_system: str,
    sector_translations: Mapping[str, str] | None = None,
) -> ParsedTable:
    """Parses and validates a classification table.

    Returns the valid rows and every error found; a caller keeps the rows only when
    there are no errors, so a file is taken whole or not at all.
    """
    try:
        table = read_table(content, file_name=file_name)
    except TableFormatError as error:
        return ParsedTable(
            rows=[], errors=[RowError(None, "file", file_name, str(error))]
        )

    aliases = _header_aliases()
    header = [str(cell or "").strip().lower() for cell in table[0]]
    header = [aliases.get(name, name) for name in header]
    columns = {name: index for index, name in enumerate(header) if name}
    errors: list[RowError] = []

    code_column = next((name for name in CODE_COLUMNS if name in columns), None)
    if code_column is None:
        errors.append(
            RowError(
                1,
                "code",
                "",
                _("No code column: name one column “code” (or %(names)s).")
                % {"names": ", ".join(CODE_COLUMNS[1:])},
            )
        )
    if "sector" not in columns:
        errors.append(RowError(1, "sector", "", _("No “sector” column.")))
    if errors:
        return ParsedTable(rows=[], errors=errors)
    if len(table) - 1 > MAX_ROWS:
        message = _("The file has more than %(limit)s rows.") % {"limit": MAX_ROWS}
        return ParsedTable(rows=[], errors=[RowError(None, "file", file_name, message)])
    if len(table) == 1:
        message = _("The file has a header but no rows of codes.")
        return ParsedTable(rows=[], errors=[RowError(None, "file", file_name, message)])

    name_column = next((name for name in NAME_COLUMNS if name in columns), None)
    pattern = CODE_PATTERNS[code_system]
    translations = sector_translations or {}
    rows: list[EntryRow] = []
    first_row_of_code: dict[str, int] = {}

    for row_number, raw in enumerate(table[1:], start=2):
        if all(blank(cell) for cell in raw):
            continue

        def cell(
            column: str | None, raw: list[object] = raw, row: int = row_number
        ) -> str:
            if column is None or columns[column] >= len(raw):
                return ""
            try:
                return _cell_text(raw[columns[column]], column=column)
            except ValueError as problem:
                errors.append(
                    RowError(row, column, str(raw[columns[column]]), str(problem))
                )
                return ""

        errors_before = len(errors)
        code = cell(code_column)
        sector = cell("sector")
        source = cell("source" if "source" in columns else None)
        confidence_text = cell("confidence" if "confidence" in columns else None)
        values = {
            "code": code,
            "name": cell(name_column),
            "sector": sector,
            "sector_en": cell("sector_en" if "sector_en" in columns else None),
        }
        if len(errors) > errors_before:
            continue
        if not code:
            errors.append(
                RowError(row_number, code_column or "code", "", _("The code is empty."))
            )
        elif not pattern.match(code):
            errors.append(
                RowError(
                    row_number,
                    code_column or "code",
                    code,
                    _(
                        "“%(code)s” is not a code of this system; "
                        "expected e.g. %(examples)s."
                    )
                    % {"code": code, "examples": CODE_EXAMPLES[code_system]},
                )
            )
        elif code in first_row_of_code:
            errors.append(
                RowError(
                    row_number,
                    code_column or "code",
                    code,
                    _("The code %(code)s repeats row %(row)s.")
                    % {"code": code, "row": first_row_of_code[code]},
                )
            )
        else:
            first_row_of_code[code] = row_number
        if not sector:
            errors.append(RowError(row_number, "sector", "", _("The sector is empty.")))
        for field, limit in MAX_LENGTHS.items():
            if len(values[field]) > limit:
                errors.append(
                    RowError(
                        row_number,
                        field,
                        values[field][:40] + "…",
                        _("Longer than %(limit)s characters.") % {"limit": limit},
                    )
                )
        confidence = _confidence(confidence_text, source)
        if confidence is None:
            errors.append(
                RowError(
                    row_number,
                    "confidence",
                    confidence_text,
                    _("Unknown confidence; use one of: %(values)s.")
                    % {"values": ", ".join(CONFIDENCE_VALUES)},
                )
            )
        if len(errors) > errors_before:
            continue
        rows.append(
            EntryRow(
                code=code,
                name=values["name"],
                sector=sector,
                sector_en=values["sector_en"] or translations.get(sector, ""),
                confidence=confidence or "official",
                source=source,
            )
        )
    return ParsedTable(rows=rows if not errors else [], errors=errors)


def code_is_covered(code: str, class_code: str) -> bool:
    """True when ``class_code`` is ``code`` or one of its ancestors.

    OKVED2 and SIC codes nest by extension (``58`` ⊃ ``58.1`` ⊃ ``58.11`` ⊃
    ``58.11.2``; ``58.29`` ⊃ ``58.29/1``), so for valid codes "is an ancestor" is
    "is a string prefix".
    """
    return code.startswith(class_code)


def best_match(code: str, class_codes: Iterable[str]) -> str | None:
    """The most specific class code that covers ``code``, or ``None``."""
    covering = [
        candidate for candidate in class_codes if code_is_covered(code, candidate)
    ]
    return max(covering, key=len) if covering else None
