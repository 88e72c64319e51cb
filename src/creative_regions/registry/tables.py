"""Registers kept as tables: CSV or XLSX lists of creative-industry subjects.

Regions publish their own registers (law 330-ФЗ) and analysts keep lists of their
own. Each table is imported as a source of its own into the same Parquet store as
the tax register, with the same schema and the same rules for a record, so research
can run on the tax register, on a regional register, or on both. Which column of the
table feeds which store field is remembered per source.

A problem with the file as a whole (unreadable, no INN column, a mapped column that
is not there) refuses it before anything is written; a bad row goes to the
quarantine with the column and the problem, like a bad document of the tax register.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from creative_regions.core.exceptions import ApplicationError
from creative_regions.core.models import User
from creative_regions.core.tables import TableFormatError, read_table
from creative_regions.core.text import search_normalise
from creative_regions.geo.selectors import region_map_layout
from creative_regions.registry import messages
from creative_regions.registry.identifiers import is_valid_inn, is_valid_ogrn
from creative_regions.registry.models import (
    QuarantinedRecord,
    RegistryImport,
    TableSourceMapping,
)
from creative_regions.registry.parsers import BATCH_ROWS, Reason, parse_date
from creative_regions.registry.parsers import QuarantinedRecord as RejectedRow
from creative_regions.registry.schema import (
    CATEGORIES,
    KINDS,
    RECORD_SCHEMA,
    SOURCE_FNS_RSMP,
)
from creative_regions.registry.services import (
    QUARANTINE_BATCH,
    registry_import_create,
    registry_store,
)
from creative_regions.registry.store import ManifestEntry

FIELDS = TableSourceMapping.FIELDS
SOURCE_PATTERN = re.compile(TableSourceMapping.SOURCE_PATTERN)
OKVED_VERSION = "2014"
MAX_HEADERS_IN_MESSAGE = 30

FIELD_LABELS = {
    "inn": gettext_lazy("INN"),
    "name": gettext_lazy("name of the subject"),
    "region_code": gettext_lazy("region"),
    "okved_main": gettext_lazy("main OKVED code"),
    "okved_extra": gettext_lazy("additional OKVED codes"),
    "employees": gettext_lazy("employees"),
    "ogrn": gettext_lazy("OGRN"),
    "kind": gettext_lazy("kind of subject"),
    "category": gettext_lazy("SME category"),
    "city": gettext_lazy("city"),
    "district": gettext_lazy("district"),
    "settlement": gettext_lazy("settlement"),
    "included_date": gettext_lazy("date of inclusion in the register"),
}

# Headers seen in regional registers and analysts' lists, written as
# ``_header_key`` leaves them, tried when a source has no mapping yet.
HEADER_GUESSES: dict[str, tuple[str, ...]] = {
    "inn": (
        "инн",
        "инн юл",
        "инн ип",
        "инн юл/ип",
        "инн организации",
        "инн субъекта",
        "инн субъекта мсп",
        "inn",
        "tin",
    ),
    "name": (
        "наименование",
        "название",
        "наименование организации",
        "наименование субъекта",
        "наименование субъекта мсп",
        "полное наименование",
        "сокращенное наименование",
        "наименование/фио",
        "наименование (фио)",
        "наименование юл/фио ип",
        "фио",
        "name",
        "company",
        "company name",
        "organisation",
        "organization",
    ),
    "region_code": (
        "регион",
        "код региона",
        "субъект рф",
        "субъект",
        "region",
        "region code",
        "region_code",
    ),
    "okved_main": (
        "оквэд",
        "оквэд2",
        "основной оквэд",
        "оквэд основной",
        "код оквэд",
        "код основного оквэд",
        "основной вид деятельности",
        "okved",
        "main okved",
        "okved main",
        "okved_main",
    ),
    "okved_extra": (
        "дополнительные оквэд",
        "дополнительный оквэд",
        "доп. оквэд",
        "оквэд дополнительные",
        "дополнительные виды деятельности",
        "additional okved",
        "okved extra",
        "okved_extra",
    ),
    "employees": (
        "численность",
        "численность работников",
        "среднесписочная численность",
        "среднесписочная численность работников",
        "ссчр",
        "число работников",
        "количество работников",
        "employees",
        "headcount",
    ),
    "ogrn": ("огрн", "огрнип", "огрн/огрнип", "огрн (огрнип)", "ogrn"),
    "kind": ("вид субъекта", "вид субъекта мсп", "тип субъекта", "kind"),
    "category": (
        "категория",
        "категория субъекта",
        "категория субъекта мсп",
        "category",
    ),
    "city": ("город", "city"),
    "district": ("район", "муниципальный район", "district"),
    "settlement": ("населенный пункт", "settlement", "locality"),
    "included_date": (
        "дата включения",
        "дата включения в реестр",
        "дата включения в реестр мсп",
        "included",
        "included date",
        "included_date",
    ),
}
FIELD_BY_HEADER = {
    header: name for name, headers in HEADER_GUESSES.items() for header in headers
}

KIND_VALUES = {
    **KINDS,
    **{kind: kind for kind in KINDS.values()},
    "legal entity": "legal_entity",
    "sole trader": "sole_trader",
    "farm head": "farm_head",
    "юл": "legal_entity",
    "юридическое лицо": "legal_entity",
    "ип": "sole_trader",
    "индивидуальный предприниматель": "sole_trader",
    "кфх": "farm_head",
    "глава кфх": "farm_head",
    "глава крестьянского (фермерского) хозяйства": "farm_head",
}
CATEGORY_VALUES = {
    **CATEGORIES,
    **{category: category for category in CATEGORIES.values()},
    "микро": "micro",
    "микропредприятие": "micro",
    "малое": "small",
    "малое предприятие": "small",
    "среднее": "medium",
    "среднее предприятие": "medium",
}
KIND_BY_INN_LENGTH = {10: "legal_entity", 12: "sole_trader"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
INT32_MAX = 2**31 - 1


@dataclass
class TableParse:
    """What one table gave: the rows read and the quarantined ones."""

    file_name: str
    is_skipped: bool = False
    rows_read: int = 0
    records: int = 0
    quarantined: list[RejectedRow] = field(default_factory=list)


# Mapping ----------------------------------------------------------------------


def _header_key(text: object) -> str:
    """A header or a value as compared: trimmed, spaces collapsed, case and ё
    ignored."""
    return search_normalise(" ".join(str(text if text is not None else "").split()))


def _quoted(names: Sequence[str]) -> str:
    shown = [
        _("“%(name)s”") % {"name": name} for name in names[:MAX_HEADERS_IN_MESSAGE]
    ]
    if len(names) > MAX_HEADERS_IN_MESSAGE:
        shown.append("…")
    return ", ".join(shown)


def table_header_names(header: Sequence[object]) -> list[str]:
    """The non-empty column names of a header row, as written, without repeats."""
    names: list[str] = []
    for cell in header:
        name = " ".join(str(cell if cell is not None else "").split())
        if name and name not in names:
            names.append(name)
    return names


def table_mapping_guess(*, header: Sequence[object]) -> dict[str, str]:
    """Store fields whose usual header names appear in ``header``."""
    guessed: dict[str, str] = {}
    for name in table_header_names(header):
        field_name = FIELD_BY_HEADER.get(_header_key(name))
        if field_name is not None and field_name not in guessed:
            guessed[field_name] = name
    return guessed


def table_mapping_get(*, source: str) -> dict[str, str] | None:
    """The mapping remembered for ``source``, or ``None`` before its first import."""
    return (
        TableSourceMapping.objects.filter(source=source)
        .values_list("mapping", flat=True)
        .first()
    )


def _check_overrides(overrides: Mapping[str, str]) -> None:
    for name in overrides:
        if name not in FIELDS:
            raise ApplicationError(
                _(
                    "“%(field)s” is not a field a table can fill; use one of: "
                    "%(fields)s."
                )
                % {"field": name, "fields": ", ".join(FIELDS)},
                field="mapping",
            )


def _combined_mapping(
    *,
    source: str,
    header: Sequence[object],
    overrides: Mapping[str, str] | None,
) -> dict[str, str]:
    # A source's remembered mapping is taken whole, so a field left out on purpose
    # stays out; guesses are for a source seen for the first time.
    remembered = table_mapping_get(source=source)
    mapping = dict(remembered) if remembered else table_mapping_guess(header=header)
    for name, column in (overrides or {}).items():
        column = " ".join(column.split())
        if column:
            mapping[name] = column
        else:
            mapping.pop(name, None)
    return mapping


def table_mapping_suggest(
    *,
    source: str,
    header: Sequence[object],
    overrides: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The columns of ``header`` that would feed each field, leaving out the ones
    that cannot: what a form offers to correct after a refusal."""
    names = {_header_key(name): name for name in table_header_names(header)}
    mapping = _combined_mapping(
        source=source,
        header=header,
        overrides={
            name: column for name, column in (overrides or {}).items() if name in FIELDS
        },
    )
    return {
        name: names[_header_key(column)]
        for name, column in mapping.items()
        if _header_key(column) in names
    }


def table_mapping_resolve(
    *,
    source: str,
    header: Sequence[object],
    overrides: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The mapping to import with: the remembered one (or the guessed one), with
    ``overrides`` on top; an empty column in ``overrides`` unmaps its field.

    Raises ``ApplicationError`` naming the field and the column when a column is
    not in ``header``, appears in it twice, or there is no INN column.
    """
    _check_overrides(overrides or {})
    mapping = _combined_mapping(source=source, header=header, overrides=overrides)
    names = table_header_names(header)
    spelling = {_header_key(name): name for name in names}
    keys = [_header_key(cell) for cell in header]
    for name in FIELDS:
        column = mapping.get(name)
        if column is None:
            continue
        found = keys.count(_header_key(column))
        if found == 0:
            raise ApplicationError(
                _(
                    "The column “%(column)s” given for %(field)s is not in the file. "
                    "Its header has: %(header)s."
                )
                % {
                    "column": column,
                    "field": FIELD_LABELS[name],
                    "header": _quoted(names),
                },
                field=f"column_{name}",
            )
        if found > 1:
            raise ApplicationError(
                _(
                    "The column “%(column)s” appears twice in the header; rename one "
                    "of them."
                )
                % {"column": column},
                field=f"column_{name}",
            )
    if "inn" not in mapping:
        raise ApplicationError(
            _(
                "The file has no INN column. Its header has: %(header)s. Say which "
                "column holds the INN."
            )
            % {"header": _quoted(names)},
            field="column_inn",
        )
    # Saved as the file spells them, whatever case the user typed.
    return {
        name: spelling[_header_key(mapping[name])] for name in FIELDS if name in mapping
    }


def _mapping_remember(
    *, source: str, mapping: dict[str, str], user: User | None
) -> None:
    record = TableSourceMapping.objects.filter(source=source).first()
    if record is None:
        record = TableSourceMapping(source=source)
    elif record.mapping == mapping:
        return
    record.mapping = mapping
    record.updated_by = user
    record.full_clean()
    record.save()


# Regions ----------------------------------------------------------------------


def _region_key(text: str) -> str:
    key = re.sub(r"\s*[-‐‑–—]\s*", "-", _header_key(text))
    return re.sub(r"^(г\.|г |город )\s*", "", key)


def region_codes_by_name() -> dict[str, str]:
    """Region codes by the ways a table may name a region: the Russian and English
    names, without or with only their bracketed part, and without "Республика"
    or "Republic". A name two regions would share is left out."""
    found: dict[str, set[str]] = {}
    for code, *names in region_map_layout().values_list("code", "name_ru", "name_en"):
        for name in names:
            variants = {name, re.sub(r"\s*\(.*?\)", "", name)}
            variants.update(re.findall(r"\((.*?)\)", name))
            for variant in list(variants):
                variants.add(
                    re.sub(
                        r"\b(республика|republic of|republic)\b",
                        "",
                        variant,
                        flags=re.IGNORECASE,
                    )
                )
            for variant in variants:
                key = _region_key(variant)
                if key:
                    found.setdefault(key, set()).add(code)
    return {key: codes.pop() for key, codes in found.items() if len(codes) == 1}


def _region_code(value: str, codes_by_name: Mapping[str, str]) -> str | None:
    """A 2-digit code from a code or a region's name; ``None`` when it is neither."""
    if value.isascii() and value.isdigit():
        code = value.zfill(2)
        return code if len(code) == 2 else None
    return codes_by_name.get(_region_key(value))


# Cells ------------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ").removesuffix(" 00:00:00")
    return str(value).strip()


def _inn_text(value: object) -> str:
    text = "".join(_text(value).split())
    # A number cell drops the leading zero of INNs such as 0274…; the checksum
    # still guards the padded value.
    if isinstance(value, int | float) and len(text) in (9, 11):
        text = text.zfill(len(text) + 1)
    return text


def _date(value: object) -> date | None:
    """A date from a date cell, ``DD.MM.YYYY`` or ``YYYY-MM-DD``; ``None`` when
    empty; raises ValueError otherwise."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        # A number is a date cell that lost its format: its meaning is a guess.
        raise ValueError(value)
    text = value.strip()
    if not text:
        return None
    if ISO_DATE.match(text):
        return date.fromisoformat(text)
    return parse_date(text)


def _whole_number(value: object) -> int | None:
    """A non-negative whole number; ``None`` when empty; raises ValueError."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        digits = "".join(str(value).split())
        if not (digits.isascii() and digits.isdigit()):
            raise ValueError(value)
        number = int(digits)
    if not 0 <= number <= INT32_MAX:
        raise ValueError(value)
    return number


def _okved_codes(value: object) -> list[str]:
    """Codes from a cell; raises ValueError for a fractional number, whose
    trailing zero may already be lost (74.10 reads 74.1)."""
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(value)
    return [code.strip() for code in re.split(r"[,;]", _text(value)) if code.strip()]


# Rows -------------------------------------------------------------------------


class _RowReader:
    """Turns the table's rows into store records, sending bad rows to the
    quarantine with the same reasons as the tax register's parser."""

    def __init__(
        self,
        *,
        header: Sequence[object],
        mapping: Mapping[str, str],
        snapshot: date,
        region_code: str | None,
        codes_by_name: Mapping[str, str],
        parse: TableParse,
    ) -> None:
        keys = [_header_key(cell) for cell in header]
        self.columns = {
            name: keys.index(_header_key(column)) for name, column in mapping.items()
        }
        self.headers = dict(mapping)
        self.snapshot = snapshot
        self.region_code = region_code
        self.codes_by_name = codes_by_name
        self.parse = parse
        self.data: dict[str, list] = {name: [] for name in RECORD_SCHEMA.names}

    def batches(self, rows: Sequence[Sequence[object]]) -> Iterator[pa.Table]:
        """The valid rows as Arrow tables; ``rows`` start at spreadsheet row 2."""
        for row_number, row in enumerate(rows, start=2):
            if all(_text(cell) == "" for cell in row):
                continue
            self.parse.rows_read += 1
            self._read_row(row, f"row-{row_number}")
            if len(self.data["inn"]) >= BATCH_ROWS:
                yield self._flush()
        if self.data["inn"]:
            yield self._flush()

    def _flush(self) -> pa.Table:
        table = pa.table(self.data, schema=RECORD_SCHEMA)
        self.parse.records += table.num_rows
        self.data = {name: [] for name in RECORD_SCHEMA.names}
        return table

    def _cell(self, row: Sequence[object], name: str) -> object:
        index = self.columns.get(name)
        if index is None or index >= len(row):
            return None
        return row[index]

    def _read_row(self, row: Sequence[object], document_id: str) -> None:
        inn = _inn_text(self._cell(row, "inn"))
        heading = self.headers

        def reject(reason: str, name: str, problem: str) -> None:
            detail = f"Column “{heading.get(name, name)}”: {problem}"
            self.parse.quarantined.append(
                RejectedRow(self.parse.file_name, document_id, inn, reason, detail)
            )

        if not inn:
            return reject(Reason.MISSING_INN, "inn", "the INN is empty.")
        if not is_valid_inn(inn):
            return reject(
                Reason.INVALID_INN, "inn", f"INN {inn} fails its checksum or length."
            )
        region_code = self.region_code
        if region_code is None:
            region_text = _text(self._cell(row, "region_code"))
            if not region_text:
                return reject(
                    Reason.MISSING_REGION, "region_code", "the region is empty."
                )
            region_code = _region_code(region_text, self.codes_by_name)
            if region_code is None:
                return reject(
                    Reason.INVALID_REGION,
                    "region_code",
                    f"“{region_text}” is neither a 2-digit region code nor the name "
                    "of a region.",
                )
        kind_text = _text(self._cell(row, "kind"))
        if kind_text:
            kind = KIND_VALUES.get(_header_key(kind_text))
            if kind is None:
                return reject(
                    Reason.BAD_KIND,
                    "kind",
                    f"“{kind_text}” is not a kind of subject (ЮЛ, ИП, КФХ or 1, 2, 3).",
                )
        else:
            kind = KIND_BY_INN_LENGTH[len(inn)]
        included_cell = self._cell(row, "included_date")
        try:
            included_date = _date(included_cell)
        except ValueError:
            return reject(
                Reason.BAD_DATE,
                "included_date",
                f"“{_text(included_cell)}” is not a date (DD.MM.YYYY or YYYY-MM-DD).",
            )
        employees_cell = self._cell(row, "employees")
        try:
            employees = _whole_number(employees_cell)
        except ValueError:
            return reject(
                Reason.BAD_NUMBER,
                "employees",
                f"“{_text(employees_cell)}” is not a whole number.",
            )
        codes: dict[str, list[str]] = {}
        for name in ("okved_main", "okved_extra"):
            cell = self._cell(row, name)
            try:
                codes[name] = _okved_codes(cell)
            except ValueError:
                return reject(
                    Reason.BAD_NUMBER,
                    name,
                    f"the code {cell} is stored as a number, so a trailing zero may "
                    "be lost (74.10 reads 74.1); format the column as text.",
                )
        okved_main = codes["okved_main"][0] if codes["okved_main"] else None
        ogrn = _text(self._cell(row, "ogrn")) or None

        data = self.data
        data["snapshot_date"].append(self.snapshot)
        data["inn"].append(inn)
        data["ogrn"].append(ogrn)
        data["is_ogrn_valid"].append(is_valid_ogrn(ogrn) if ogrn else None)
        data["kind"].append(kind)
        category_text = _header_key(_text(self._cell(row, "category")))
        data["category"].append(CATEGORY_VALUES.get(category_text))
        data["name"].append(_text(self._cell(row, "name")) or None)
        data["region_code"].append(region_code)
        for name in ("district", "city", "settlement"):
            data[name].append(_text(self._cell(row, name)) or None)
        data["okved_main"].append(okved_main)
        data["is_okved_from_reports"].append(False)
        data["okved_version"].append(OKVED_VERSION if okved_main else None)
        data["okved_extra"].append(codes["okved_extra"])
        data["employees"].append(employees)
        data["included_date"].append(included_date)
        data["is_new"].append(None)
        data["is_social_enterprise"].append(None)
        data["document_id"].append(document_id)
        data["source_file"].append(self.parse.file_name)
        return None


# Reading the file -------------------------------------------------------------


def _check_source(source: str) -> None:
    if source == SOURCE_FNS_RSMP:
        raise ApplicationError(
            _("“fns-rsmp” is the tax register's source; give the table another name."),
            field="source",
        )
    if not SOURCE_PATTERN.match(source):
        raise ApplicationError(
            _(
                "A source name is lowercase Latin letters, digits and hyphens, 2 to "
                "49 characters, e.g. tatarstan-330fz; “%(source)s” is not."
            )
            % {"source": source},
            field="source",
        )


def _read_rows(path: Path) -> tuple[bytes, list[list[object]]]:
    try:
        content = path.read_bytes()
    except OSError as error:
        raise ApplicationError(
            _("The file “%(path)s” cannot be read (%(problem)s).")
            % {"path": path, "problem": error.strerror or error},
            field="file",
        ) from error
    try:
        return content, read_table(content, file_name=path.name)
    except TableFormatError as error:
        raise ApplicationError(str(error), field="file") from error


def table_header(*, path: Path) -> list[str]:
    """The column names of a CSV or XLSX file, for choosing a mapping."""
    _content, rows = _read_rows(path)
    return table_header_names(rows[0])


# The service ------------------------------------------------------------------


def registry_table_import(
    *,
    path: Path,
    source: str,
    snapshot: date,
    mapping_overrides: Mapping[str, str] | None = None,
    region_code: str | None = None,
    user: User | None = None,
) -> RegistryImport:
    """Imports a CSV or XLSX register into the store as the source ``source``.

    ``mapping_overrides`` names the column of chosen fields (an empty name unmaps
    one) on top of the mapping remembered for the source, or guessed from the
    header the first time; ``region_code`` (a code or a name) is the region of every
    row of a table without a region column. The same file for the same snapshot is
    skipped, so a second run changes nothing.

    Raises ``ApplicationError`` when the file as a whole cannot be used; nothing is
    recorded or stored then. Otherwise returns the recorded import: succeeded, or
    failed with the quarantine when no row could be stored.
    """
    _check_source(source)
    codes_by_name = region_codes_by_name()
    fixed_region = None
    if region_code is not None and region_code.strip():
        fixed_region = _region_code(region_code.strip(), codes_by_name)
        if fixed_region is None:
            raise ApplicationError(
                _("“%(region)s” is neither a 2-digit region code nor a region's name.")
                % {"region": region_code},
                field="region",
            )
    content, rows = _read_rows(path)
    mapping = table_mapping_resolve(
        source=source, header=rows[0], overrides=mapping_overrides
    )
    if fixed_region is not None and "region_code" in mapping:
        raise ApplicationError(
            _(
                "The table has a region column (“%(column)s”) and a region for every "
                "row was given as well; keep one of the two."
            )
            % {"column": mapping["region_code"]},
            field="region",
        )
    if fixed_region is None and "region_code" not in mapping:
        raise ApplicationError(
            _(
                "The file has no region column. Its header has: %(header)s. Say which "
                "column holds the region, or give the region of every row."
            )
            % {"header": _quoted(table_header_names(rows[0]))},
            field="column_region_code",
        )
    if len(rows) < 2:
        raise ApplicationError(_("The file has a header but no rows."), field="file")

    registry_import = registry_import_create(paths=[path], source=source, user=user)
    registry_import.status = RegistryImport.Status.RUNNING
    registry_import.started_at = timezone.now()
    registry_import.files_total = 1
    registry_import.save(update_fields=["status", "started_at", "files_total"])
    try:
        parse, staged, published = _store_table(
            content=content,
            rows=rows,
            path=path,
            source=source,
            snapshot=snapshot,
            mapping=mapping,
            region_code=fixed_region,
            codes_by_name=codes_by_name,
        )
    except Exception as error:
        RegistryImport.objects.filter(pk=registry_import.pk).update(
            status=RegistryImport.Status.FAILED,
            message=f"{type(error).__name__}: {error}",
            finished_at=timezone.now(),
        )
        raise
    with transaction.atomic():
        _import_finish(
            registry_import=registry_import,
            parse=parse,
            staged=staged,
            published=published,
            snapshot=snapshot,
        )
        # A table of which no row was valid probably had a wrong mapping.
        if parse.is_skipped or parse.records:
            _mapping_remember(source=source, mapping=mapping, user=user)
    return registry_import


def _store_table(
    *,
    content: bytes,
    rows: list[list[object]],
    path: Path,
    source: str,
    snapshot: date,
    mapping: Mapping[str, str],
    region_code: str | None,
    codes_by_name: Mapping[str, str],
) -> tuple[TableParse, int | None, int | None]:
    """Stages the valid rows, records the file and publishes the snapshot.

    Returns the parse (empty when the file was imported before) and the records
    staged and published, or ``None`` when the snapshot needed no publishing.
    """
    store = registry_store(source)
    store.clean_leftovers()
    sha256 = hashlib.sha256(content).hexdigest()
    parse = TableParse(path.name)
    is_known = any(
        entry.sha256 == sha256 and snapshot.isoformat() in entry.snapshots
        for entry in store.manifest()
    )
    if is_known:
        parse.is_skipped = True
    else:
        reader = _RowReader(
            header=rows[0],
            mapping=mapping,
            snapshot=snapshot,
            region_code=region_code,
            codes_by_name=codes_by_name,
            parse=parse,
        )
        # Everything was checked in memory first: a table without one good row
        # leaves no trace in the store, and can come back with a better mapping.
        tables = list(reader.batches(rows[1:]))
        if parse.records:
            store.stage(tables, key=lambda: sha256)
            store.record_file(
                ManifestEntry(
                    name=path.name,
                    archive=path.name,
                    size=len(content),
                    sha256=sha256,
                    zip_crc=None,
                    records=parse.records,
                    quarantined=len(parse.quarantined),
                    snapshots=[snapshot.isoformat()],
                )
            )
    if snapshot in store.staged_snapshots() and not store.is_published(snapshot):
        staged, published = store.publish(snapshot)
        return parse, staged, published
    return parse, None, None


def _import_finish(
    *,
    registry_import: RegistryImport,
    parse: TableParse,
    staged: int | None,
    published: int | None,
    snapshot: date,
) -> None:
    registry_import.files_done = 1
    registry_import.files_skipped = int(parse.is_skipped)
    registry_import.records_read = parse.records
    registry_import.quarantined = len(parse.quarantined)
    registry_import.records_stored = published or 0
    registry_import.duplicates_merged = (staged or 0) - (published or 0)
    registry_import.snapshots = [snapshot.isoformat()] if published is not None else []
    registry_import.finished_at = timezone.now()
    if parse.is_skipped:
        registry_import.status = RegistryImport.Status.SUCCEEDED
        registry_import.message = messages.TABLE_ALREADY_IMPORTED
    elif parse.records:
        registry_import.status = RegistryImport.Status.SUCCEEDED
    else:
        registry_import.status = RegistryImport.Status.FAILED
        registry_import.message = messages.TABLE_NOTHING_VALID
    registry_import.full_clean()
    registry_import.save(
        update_fields=[
            "files_done",
            "files_skipped",
            "records_read",
            "quarantined",
            "records_stored",
            "duplicates_merged",
            "snapshots",
            "finished_at",
            "status",
            "message",
        ]
    )
    QuarantinedRecord.objects.bulk_create(
        (
            QuarantinedRecord(
                registry_import=registry_import,
                file_name=record.file_name[:255],
                document_id=record.document_id[:64],
                inn=record.inn[:32],
                reason=record.reason,
                detail=record.detail,
            )
            for record in parse.quarantined
        ),
        batch_size=QUARANTINE_BATCH,
    )
