"""``creative-regions community import FILE --kind organisations|people``: a table
of organisations or people from the terminal, previewed unless ``--commit``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from rich.console import Console
from rich.markup import escape

from creative_regions.community.duplicates import RULE_LABELS
from creative_regions.community.imports import (
    KINDS,
    Fate,
    ImportMappingError,
    ImportReport,
    community_import_commit,
    community_import_preview,
    community_import_report,
    import_field_label,
    import_fields,
    import_header,
    import_mapping_initial,
)
from creative_regions.core.exceptions import ApplicationError
from creative_regions.core.models import User


def parse_column(value: str) -> tuple[str, str]:
    """``field=Column`` → (field, column)."""
    name, separator, column = value.partition("=")
    if not separator or not name.strip():
        raise CommandError(f"--map: {value!r} is not FIELD=COLUMN, e.g. --map inn=ИНН.")
    return name.strip().lower(), column.strip()


def acting_user(username: str | None) -> User:
    """The user the import is recorded as: the one named, or else the only
    active administrator."""
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"--user: No user “{username}” with an active account.")
        return user
    administrators = list(
        User.objects.filter(
            Q(is_superuser=True) | Q(role=User.Role.ADMINISTRATOR), is_active=True
        )[:2]
    )
    if len(administrators) != 1:
        raise CommandError(
            "Say who imports: --user USERNAME (the history records them)."
        )
    return administrators[0]


class Command(BaseCommand):
    help = "Community records from the terminal: import a CSV or XLSX table."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        importing = commands.add_parser(
            "import",
            help="Preview (or with --commit, import) organisations or people from "
            "a CSV or XLSX table.",
        )
        importing.add_argument("file", type=Path, help="The .csv or .xlsx file.")
        importing.add_argument("--kind", choices=KINDS, required=True)
        importing.add_argument(
            "--commit",
            action="store_true",
            help="Write the rows; without it, only show what each would become.",
        )
        importing.add_argument(
            "--map",
            dest="columns",
            type=parse_column,
            action="append",
            default=[],
            metavar="FIELD=COLUMN",
            help="The column of a field, repeated per field; the others are the "
            "remembered or guessed ones. Fields: organisations: "
            + ", ".join(field.name for field in import_fields("organisations"))
            + "; people: "
            + ", ".join(field.name for field in import_fields("people"))
            + ".",
        )
        importing.add_argument(
            "--region",
            default=None,
            help="The region (code or name) of rows that give none.",
        )
        importing.add_argument(
            "--user",
            default=None,
            help="Username to record the import as (default: the only administrator).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(file=self.stdout, highlight=False, width=200)
        user = acting_user(options["user"])
        kind, path = options["kind"], options["file"]
        mapping = None
        if options["columns"]:
            # Named columns on top of what the file would get by default.
            try:
                header = import_header(path=path)
            except ApplicationError as error:
                raise CommandError(f"{path}: {error.message}") from error
            mapping = import_mapping_initial(kind=kind, header=header)
            for name, column in options["columns"]:
                if column:
                    mapping[name] = column
                else:
                    mapping.pop(name, None)
        arguments = {
            "user": user,
            "kind": kind,
            "path": path,
            "mapping": mapping,
            "default_region": options["region"],
        }
        try:
            if options["commit"]:
                community_import = community_import_commit(**arguments)
                report = community_import_report(community_import=community_import)
            else:
                report = community_import_preview(**arguments)
        except ImportMappingError as error:
            problems = "; ".join(
                f"{name}: {message}" for name, message in error.errors.items()
            )
            raise CommandError(f"{path}: {problems}") from error
        except ApplicationError as error:
            raise CommandError(f"{path}: {error.message}") from error
        except PermissionDenied as error:
            raise CommandError(f"--user: {error}") from error
        self._print(console, report, user)
        if options["commit"]:
            console.print(f"Recorded as import #{community_import.pk}.")
        else:
            console.print("Nothing was written; run again with --commit to import.")

    def _print(self, console: Console, report: ImportReport, user: User) -> None:
        state = "import" if report.is_committed else "preview"
        console.print(
            f"{report.kind.capitalize()} from {escape(report.file_name)} "
            f"({state}, as {escape(user.get_username())})."
        )
        columns = "; ".join(
            f"{name} = “{column}”" for name, column in report.mapping.items()
        )
        console.print(f"Columns: {escape(columns)}")
        counts = report.counts
        if report.is_committed:
            console.print(
                f"Created: {counts[Fate.CREATE]}; updated or linked: "
                f"{counts[Fate.UPDATE]}; skipped as duplicates: "
                f"{counts[Fate.DUPLICATE]}; failed: {counts[Fate.ERROR]}."
            )
        else:
            console.print(
                f"Will be created: {counts[Fate.CREATE]}; will update or link: "
                f"{counts[Fate.UPDATE]}; duplicates, nothing new: "
                f"{counts[Fate.DUPLICATE]}; errors: {counts[Fate.ERROR]}."
            )
        if report.kind == "people" and report.without_consent:
            console.print(
                f"Without consent (left out of mailings and exports): "
                f"{report.without_consent}."
            )
        for row in report.rows:
            prefix = f"  row {row.row}  {row.fate}  "
            if row.fate == Fate.ERROR:
                for error in row.errors:
                    column = error.column or import_field_label(
                        report.kind, error.field
                    )
                    console.print(
                        f"{prefix}{escape(column)}: {escape(error.message)}",
                        style="yellow",
                    )
                continue
            details = []
            if row.match:
                where = f"row {row.match_row}" if row.match_row else f"#{row.record_id}"
                details.append(f"{RULE_LABELS[row.match]} as {where}")
            if row.changes:
                details.append("fills: " + ", ".join(row.changes))
            details.extend(row.notes)
            suffix = f" ({'; '.join(details)})" if details else ""
            console.print(f"{prefix}{escape(row.label)}{escape(suffix)}")
