"""``creative-regions registry import|import-table|status|synth``: the register from
the terminal."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from creative_regions.registry.datasets import DATASETS
from creative_regions.registry.importer import FileOutcome
from creative_regions.registry.selectors import registry_snapshot_summary
from creative_regions.registry.services import (
    registry_import_create,
    registry_import_run,
    registry_store,
)
from creative_regions.registry.tables_cli import (
    add_import_table_arguments,
    handle_import_table,
)


def parse_snapshots(value: str) -> tuple[date, ...]:
    try:
        dates = tuple(sorted(date.fromisoformat(part) for part in value.split(",")))
    except ValueError as error:
        raise CommandError(
            f"--snapshots: {error}; give ISO dates separated by commas, "
            "e.g. 2023-01-10,2024-01-10."
        ) from error
    if len(set(dates)) != len(dates):
        raise CommandError("--snapshots: a date is given twice.")
    return dates


class Command(BaseCommand):
    help = "Imports, inspects and synthesises the SME register."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        importing = commands.add_parser(
            "import", help="Import zip archives, XML files or folders of them."
        )
        importing.add_argument("paths", nargs="+", type=Path)
        importing.add_argument(
            "--workers", type=int, default=None, help="Processes (default: all cores)."
        )
        importing.add_argument(
            "--dataset",
            choices=sorted(DATASETS),
            default="rsmp",
            help="rsmp: the SME register (default); sshr: average headcount; "
            "revexp: income and expenses.",
        )
        commands.add_parser("status", help="Snapshots and records in the store.")
        synth = commands.add_parser(
            "synth", help="Write a synthetic register in the real format."
        )
        synth.add_argument("--out", type=Path, required=True)
        synth.add_argument("--snapshots", type=parse_snapshots, required=True)
        synth.add_argument("--scale", type=float, default=0.01)
        synth.add_argument("--seed", type=int, default=42)
        add_import_table_arguments(commands)

    def handle(self, *args, **options):
        console = Console(file=self.stdout, highlight=False)
        action = options["action"]
        if action == "import":
            return self.handle_import(
                console, options["paths"], options["workers"], options["dataset"]
            )
        if action == "status":
            return self.handle_status(console)
        if action == "import-table":
            return handle_import_table(console, options)
        return self.handle_synth(console, options)

    def handle_import(
        self, console: Console, paths: list[Path], workers: int | None, dataset: str
    ):
        registry_import = registry_import_create(
            paths=paths, source=DATASETS[dataset].source
        )
        records = 0
        started = time.perf_counter()
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[records]} records · {task.fields[rate]}/s"),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            task = progress.add_task("Files", total=None, records="0", rate="0")

            def on_start(total: int) -> None:
                progress.update(task, total=total)

            def on_file(outcome: FileOutcome) -> None:
                nonlocal records
                records += outcome.records
                rate = records / max(time.perf_counter() - started, 1e-6)
                progress.update(
                    task, advance=1, records=f"{records:,}", rate=f"{rate:,.0f}"
                )

            summary = registry_import_run(
                registry_import=registry_import,
                workers=workers,
                on_start=on_start,
                on_file=on_file,
            )
        elapsed = time.perf_counter() - started
        console.print(
            f"Import #{registry_import.pk}: {summary.files_stored} files stored, "
            f"{summary.files_skipped} already imported, "
            f"{len(summary.file_errors)} problems, in {elapsed:.1f} s."
        )
        if summary.snapshots:
            console.print(
                "Snapshots published: "
                + ", ".join(snapshot.isoformat() for snapshot in summary.snapshots)
            )
        console.print(
            f"Records read: {summary.records_read:,};"
            f" stored: {summary.records_stored:,};"
            f" duplicates merged: {summary.duplicates_merged:,};"
            f" quarantined: {summary.quarantined:,}."
        )
        for reason, count in sorted(summary.quarantine_reasons.items()):
            console.print(f"  quarantined, {reason}: {count:,}")
        for error in summary.file_errors:
            console.print(f"  [yellow]{error.file}[/]: {error.message}")
        if not summary.imported_anything:
            raise CommandError("Nothing could be imported; see the problems above.")

    def handle_status(self, console: Console):
        summary = registry_snapshot_summary(store=registry_store())
        if not summary.snapshots:
            console.print(
                "The store is empty. Import the register: "
                "creative-regions registry import PATH"
            )
            return
        table = Table(
            "Snapshot",
            "Records",
            "Legal entities",
            "Sole traders",
            "Farm heads",
            "Regions",
        )
        for row in summary.snapshots:
            table.add_row(
                row.snapshot.isoformat(),
                f"{row.records:,}",
                f"{row.by_kind.get('legal_entity', 0):,}",
                f"{row.by_kind.get('sole_trader', 0):,}",
                f"{row.by_kind.get('farm_head', 0):,}",
                str(len(row.by_region)),
            )
        console.print(table)
        console.print(
            f"Files imported: {summary.files:,}; records quarantined: "
            f"{summary.quarantined:,}."
        )

    def handle_synth(self, console: Console, options: dict):
        from creative_regions.registry.synth import SynthConfig, synth_write_archives

        if options["scale"] <= 0:
            raise CommandError("--scale must be positive, e.g. 0.01.")
        config = SynthConfig(
            snapshots=options["snapshots"], scale=options["scale"], seed=options["seed"]
        )
        options["out"].mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        paths = synth_write_archives(config, options["out"])
        console.print(
            f"Wrote {len(paths)} archives to {options['out']} in "
            f"{time.perf_counter() - started:.1f} s:"
        )
        for path in paths:
            console.print(f"  {path.name}  {path.stat().st_size / 1e6:,.1f} MB")
