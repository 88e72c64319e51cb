"""``creative-regions registry import-table``: a CSV or XLSX register from the
terminal. Wired into the ``registry`` command, which owns the other subcommands."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.db.models import Count
from rich.console import Console
from rich.markup import escape

from creative_regions.core.exceptions import ApplicationError
from creative_regions.registry.models import RegistryImport, TableSourceMapping
from creative_regions.registry.selectors import registry_quarantine_list
from creative_regions.registry.tables import (
    FIELDS,
    registry_table_import,
    table_mapping_get,
)

QUARANTINE_SHOWN = 10


def parse_snapshot(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            f"--snapshot: {value!r} is not a date; give it as YYYY-MM-DD, "
            "e.g. 2025-01-10."
        ) from error


def parse_column(value: str) -> tuple[str, str]:
    """``field=Column`` → (field, column); an empty column unmaps the field."""
    name, separator, column = value.partition("=")
    name = name.strip().lower()
    if not separator or not name:
        raise CommandError(
            f"--map: {value!r} is not FIELD=COLUMN; e.g. --map inn=ИНН "
            "(fields: " + ", ".join(FIELDS) + ")."
        )
    return name, column.strip()


def add_import_table_arguments(subparsers: Any) -> None:
    """Adds ``import-table`` to the subcommands of ``registry``."""
    parser = subparsers.add_parser(
        "import-table",
        help="Import a CSV or XLSX register of a region or an analyst as a source.",
    )
    parser.add_argument("file", type=Path, help="The .csv or .xlsx file.")
    parser.add_argument(
        "--snapshot",
        type=parse_snapshot,
        required=True,
        help="The date the table describes, YYYY-MM-DD.",
    )
    parser.add_argument(
        "--source",
        required=True,
        help="The source to store it as, e.g. tatarstan-330fz (not fns-rsmp).",
    )
    parser.add_argument(
        "--map",
        dest="columns",
        type=parse_column,
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help=(
            "The column that feeds a field, remembered for the source; repeat for "
            "more fields, leave COLUMN empty to unmap one. Fields: "
            + ", ".join(FIELDS)
            + "."
        ),
    )
    parser.add_argument(
        "--region",
        default=None,
        help="The region code (or name) of every row, for a table without a "
        "region column.",
    )


def handle_import_table(console: Console, options: dict[str, Any]) -> None:
    """Runs the import and prints what it did; raises ``CommandError`` when the
    file is refused or no row could be stored."""
    source = options["source"]
    try:
        registry_import = registry_table_import(
            path=options["file"],
            source=source,
            snapshot=options["snapshot"],
            mapping_overrides=dict(options["columns"]) or None,
            region_code=options["region"],
        )
    except ApplicationError as error:
        raise CommandError(f"{options['file']}: {error.message}") from error

    is_failed = registry_import.status == RegistryImport.Status.FAILED
    mapping = {} if is_failed else table_mapping_get(source=source) or {}
    console.print(
        f"Import #{registry_import.pk}: {escape(options['file'].name)} into source "
        f"{source}, snapshot {options['snapshot'].isoformat()}."
    )
    if mapping:
        # In the order of the store's fields: PostgreSQL keeps JSON keys its own way.
        columns = "; ".join(
            f"{name} = “{mapping[name]}”"
            for name in TableSourceMapping.FIELDS
            if name in mapping
        )
        console.print(f"Columns: {escape(columns)}")
    if registry_import.files_skipped:
        console.print(registry_import.message)
        return
    read = registry_import.records_read + registry_import.quarantined
    console.print(
        f"Rows read: {read:,}; valid: {registry_import.records_read:,};"
        f" quarantined: {registry_import.quarantined:,}."
    )
    if registry_import.snapshots:
        console.print(
            f"Records in the snapshot: {registry_import.records_stored:,};"
            f" duplicates merged: {registry_import.duplicates_merged:,}."
        )
    by_reason = (
        registry_quarantine_list(registry_import=registry_import)
        .order_by("reason")
        .values_list("reason")
        .annotate(count=Count("pk"))
    )
    for reason, count in by_reason:
        console.print(f"  quarantined, {reason}: {count:,}")
    quarantine = registry_quarantine_list(registry_import=registry_import)
    for record in quarantine[:QUARANTINE_SHOWN]:
        console.print(f"  [yellow]{record.document_id}[/]: {escape(record.detail)}")
    if registry_import.quarantined > QUARANTINE_SHOWN:
        console.print(
            f"  … and {registry_import.quarantined - QUARANTINE_SHOWN:,} more: see "
            "the quarantine on the import's page."
        )
    if is_failed:
        raise CommandError(registry_import.message)
