"""``creative-regions research run|export|export-leaders|export-ranking``: research
runs from the terminal."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    no_translations,
)
from django.http import Http404
from rich.console import Console
from rich.table import Table

from creative_regions.core.exceptions import ApplicationError
from creative_regions.core.exports import xlsx_bytes
from creative_regions.registry.schema import SOURCE_FNS_RSMP
from creative_regions.research.engine import SUB_SCORES
from creative_regions.research.models import ProfileCell, ResearchRun
from creative_regions.research.selectors import (
    classification_get,
    research_export_rows,
    research_run_get,
)
from creative_regions.research.services import (
    research_run_create,
    research_run_execute,
)

EXPORTS = {
    "export": "profile",
    "export-leaders": "leaders",
    "export-ranking": "ranking",
}


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{value!r} is not a date like 2024-01-10.") from error


def parse_weights(value: str) -> dict[str, float]:
    """``size=2,growth=1`` → {"size": 2.0, "growth": 1.0}."""
    weights = {}
    for part in value.split(","):
        name, _, number = part.partition("=")
        try:
            weights[name.strip()] = float(number)
        except ValueError as error:
            raise CommandError(
                f"--weights: {part!r} is not name=number; names are "
                f"{', '.join(SUB_SCORES)}."
            ) from error
    return weights


class Command(BaseCommand):
    help = "Runs the research engine and exports its results."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        run = commands.add_parser(
            "run", help="Diagnose every region between two dates."
        )
        run.add_argument("--classification", default="ru-minec-16")
        run.add_argument("--base", type=parse_date, help="Default: earliest snapshot.")
        run.add_argument("--target", type=parse_date, help="Default: latest snapshot.")
        run.add_argument("--source", default=SOURCE_FNS_RSMP)
        run.add_argument(
            "--weights",
            type=parse_weights,
            help=f"Index weights, e.g. size=2,growth=1 (of {', '.join(SUB_SCORES)}).",
        )
        run.add_argument("--min-organisations", type=int, default=20)
        run.add_argument("--leaders", type=int, default=10)
        run.add_argument("--seed", type=int, default=0)
        for action, table in EXPORTS.items():
            export = commands.add_parser(action, help=f"Write the {table} table.")
            export.add_argument("--run", default="latest", help="A run id or latest.")
            export.add_argument(
                "--out", type=Path, required=True, help="A .csv or .xlsx file."
            )

    # The terminal speaks English, as the other commands do.
    @no_translations
    def handle(self, *args, **options):
        console = Console(file=self.stdout, highlight=False)
        if options["action"] == "run":
            self.run(console, options)
        else:
            self.export(console, options)

    def run(self, console: Console, options: dict) -> None:
        parameters = {
            "min_organisations": options["min_organisations"],
            "leaders_per_cell": options["leaders"],
            "seed": options["seed"],
        }
        if options["weights"]:
            parameters["weights"] = options["weights"]
        try:
            run = research_run_create(
                classification=classification_get(key=options["classification"]),
                base=options["base"],
                target=options["target"],
                source=options["source"],
                parameters=parameters,
            )
        except ApplicationError as error:
            raise CommandError(error.message) from error
        except Http404 as error:
            raise CommandError(
                f"No classification {options['classification']!r}."
            ) from error
        with console.status(
            f"Run #{run.pk}: {run.classification_version}, "
            f"{run.base_snapshot} → {run.target_snapshot}…"
        ):
            run = research_run_execute(run=run)
        if run.status != ResearchRun.Status.SUCCEEDED:
            raise CommandError(f"Run #{run.pk} failed: {run.message}")
        cells = ProfileCell.objects.filter(run=run)
        summary = Table(title=f"Research run #{run.pk}", show_header=False)
        summary.add_row("Classification", str(run.classification_version))
        summary.add_row("Snapshots", f"{run.base_snapshot} → {run.target_snapshot}")
        summary.add_row("Regions", str(cells.values("region_code").distinct().count()))
        summary.add_row("Region × sector cells", str(cells.count()))
        summary.add_row(
            "Growth points", str(cells.filter(is_growth_point=True).count())
        )
        summary.add_row(
            "Time",
            f"{run.timings['compute']:.1f} s computing, "
            f"{run.timings['store']:.1f} s storing",
        )
        console.print(summary)

    def export(self, console: Console, options: dict) -> None:
        out: Path = options["out"]
        if out.suffix.lower() not in {".csv", ".xlsx"}:
            raise CommandError(f"--out: {out.name} must end in .csv or .xlsx.")
        run_id = options["run"]
        if run_id != "latest" and not run_id.isdigit():
            raise CommandError(f"--run: {run_id!r} is neither a run id nor latest.")
        try:
            run = research_run_get(run_id=run_id)
        except Http404 as error:
            raise CommandError(
                "No finished research run yet: run `creative-regions research run` "
                "first."
                if run_id == "latest"
                else f"No research run #{run_id}."
            ) from error
        table = EXPORTS[options["action"]]
        columns, rows = research_export_rows(run=run, table=table)
        out.parent.mkdir(parents=True, exist_ok=True)
        count = 0
        if out.suffix.lower() == ".csv":
            with open(out, "w", newline="", encoding="utf-8") as file:
                writer = csv.writer(file)
                writer.writerow(columns)
                for row in rows:
                    writer.writerow(_csv_value(value) for value in row)
                    count += 1
        else:
            materialised = list(rows)
            count = len(materialised)
            out.write_bytes(
                xlsx_bytes(
                    sheet_title=table,
                    headers=columns,
                    rows=materialised,
                    capitalise_headers=False,
                )
            )
        console.print(f"Run #{run.pk}: {count} rows of {table} written to {out}.")


def _csv_value(value: object) -> object:
    """Numbers unrounded (repr of a float is exact), empty for a missing value."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return value
