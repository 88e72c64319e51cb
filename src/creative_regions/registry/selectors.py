"""Reads of the registry app: what the store holds, and the imports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from creative_regions.core.exceptions import ApplicationError
from creative_regions.core.models import User, sees_all_regions
from creative_regions.geo.models import Region
from creative_regions.registry.duck import duck_cursor
from creative_regions.registry.models import QuarantinedRecord, RegistryImport
from creative_regions.registry.store import RegisterStore


@dataclass(frozen=True)
class SnapshotRow:
    snapshot: date
    records: int
    by_kind: dict[str, int]
    by_region: dict[str, int]


@dataclass(frozen=True)
class StoreSummary:
    snapshots: list[SnapshotRow]
    files: int
    quarantined: int
    quarantine_by_reason: dict[str, int] = field(default_factory=dict)


def registry_snapshot_summary(*, store: RegisterStore) -> StoreSummary:
    """Records per snapshot, kind and region in the published store, computed by
    DuckDB over the Parquet files."""
    snapshots = store.published_snapshots()
    rows: list[SnapshotRow] = []
    if snapshots:
        cursor = duck_cursor()
        result = cursor.execute(
            """
            SELECT snapshot_date, kind, region_code, count(*) AS records
            FROM read_parquet(?)
            GROUP BY ALL
            """,
            [store.parquet_glob()],
        ).fetchall()
        grouped: dict[date, SnapshotRow] = {}
        for snapshot, kind, region, count in result:
            row = grouped.setdefault(snapshot, SnapshotRow(snapshot, 0, {}, {}))
            row.by_kind[kind] = row.by_kind.get(kind, 0) + count
            row.by_region[region] = row.by_region.get(region, 0) + count
            grouped[snapshot] = SnapshotRow(
                snapshot, row.records + count, row.by_kind, row.by_region
            )
        rows = [grouped[snapshot] for snapshot in sorted(grouped)]
    reasons = dict(
        QuarantinedRecord.objects.filter(registry_import__source=store.source)
        .values_list("reason")
        .annotate(count=Count("pk"))
        .values_list("reason", "count")
    )
    return StoreSummary(
        snapshots=rows,
        files=len(store.manifest()),
        quarantined=sum(reasons.values()),
        quarantine_by_reason=reasons,
    )


def registry_import_list(*, user: User) -> QuerySet[RegistryImport]:
    """Imports, newest first. The register is national data: staff see it all;
    regional partners have no access to imports (checked in the views)."""
    return RegistryImport.objects.select_related("created_by").order_by(
        "-created_at", "-pk"
    )


def registry_quarantine_list(
    *, registry_import: RegistryImport
) -> QuerySet[QuarantinedRecord]:
    return registry_import.quarantine.order_by("file_name", "pk")


def registry_enriched_query(
    *, register: RegisterStore, headcount: RegisterStore, finance: RegisterStore
) -> tuple[str, list]:
    """SQL (with its parameters) over the register joined by INN and year with the
    headcount and the income/expenses datasets, where they are imported.

    A register snapshot of year Y is joined with the figures for year Y − 1, the
    last full year. ``employees`` keeps the register's own value and falls back to
    the headcount dataset; ``headcount`` and ``income``/``expenses`` come as they
    are. Datasets not imported yet give empty columns.
    """
    columns = ["r.*", "coalesce(r.employees, h.employees) AS employees_known"]
    joins = []
    parameters: list = [register.parquet_glob()]
    if headcount.published_snapshots():
        columns.append("h.employees AS headcount")
        joins.append(
            "LEFT JOIN read_parquet(?) h ON h.inn = r.inn"
            " AND year(h.snapshot_date) = year(r.snapshot_date) - 1"
        )
        parameters.append(headcount.parquet_glob())
    else:
        columns[1] = "r.employees AS employees_known"
        columns.append("CAST(NULL AS INTEGER) AS headcount")
    if finance.published_snapshots():
        columns += ["f.income", "f.expenses"]
        joins.append(
            "LEFT JOIN read_parquet(?) f ON f.inn = r.inn"
            " AND year(f.snapshot_date) = year(r.snapshot_date) - 1"
        )
        parameters.append(finance.parquet_glob())
    else:
        columns += [
            "CAST(NULL AS DECIMAL(20, 2)) AS income",
            "CAST(NULL AS DECIMAL(20, 2)) AS expenses",
        ]
    sql = f"SELECT {', '.join(columns)} FROM read_parquet(?) r {' '.join(joins)}"
    return sql, parameters


@dataclass(frozen=True)
class SourceRow:
    source: str
    snapshots: list[date]
    records: int


def registry_source_list(*, root) -> list[SourceRow]:
    """Every source in the store (the tax datasets and tables from elsewhere) with
    its snapshots and records."""
    rows = []
    for folder in sorted(root.glob("source=*")):
        store = RegisterStore(root, folder.name.removeprefix("source="))
        snapshots = store.published_snapshots()
        if not snapshots:
            continue
        records = (
            duck_cursor()
            .execute("SELECT count(*) FROM read_parquet(?)", [store.parquet_glob()])
            .fetchall()[0][0]
        )
        rows.append(SourceRow(store.source, snapshots, records))
    return rows


# Firm history ---------------------------------------------------------------------

FIRM_KINDS = {
    "legal_entity": gettext_lazy("legal entity"),
    "sole_trader": gettext_lazy("sole trader"),
    "farm_head": gettext_lazy("head of a peasant farm"),
}
FIRM_CATEGORIES = {
    "micro": gettext_lazy("micro"),
    "small": gettext_lazy("small"),
    "medium": gettext_lazy("medium"),
}


@dataclass(frozen=True)
class FirmSnapshot:
    """A firm's record in one snapshot of the register."""

    snapshot: date
    name: str | None
    kind: str
    category: str | None
    region_code: str
    okved_main: str | None
    employees: int | None
    included_date: date | None
    ogrn: str | None = None
    city: str | None = None

    @property
    def kind_label(self) -> str:
        return str(FIRM_KINDS.get(self.kind, self.kind))

    @property
    def category_label(self) -> str:
        return str(FIRM_CATEGORIES.get(self.category or "", self.category or "—"))


def firm_inn_check(inn: str) -> str:
    """``inn`` when it has the shape of an INN (10 digits for an organisation, 12
    for a sole trader); ``ApplicationError`` naming the field otherwise. Only
    the shape: the register's own data decide whether the firm exists."""
    if not (inn.isascii() and inn.isdigit() and len(inn) in (10, 12)):
        raise ApplicationError(
            _(
                "“%(inn)s” is not an INN: an INN is 10 digits for an organisation "
                "or 12 digits for a sole trader."
            )
            % {"inn": inn[:40]},
            field="inn",
        )
    return inn


def firm_history_list(
    *, user: User, inn: str, store: RegisterStore
) -> list[FirmSnapshot]:
    """The records of the firm with ``inn`` in every snapshot of the store, oldest
    first, read by DuckDB with the INN as a bound parameter. A regional partner
    gets only the records in their regions (none for another region's firm).
    Raises ``ApplicationError`` for a malformed INN."""
    firm_inn_check(inn)
    if not store.published_snapshots():
        return []
    sql = """
        SELECT snapshot_date, name, kind, category, region_code, okved_main,
               employees, included_date, ogrn, city
        FROM read_parquet(?, hive_partitioning = false)
        WHERE inn = ?
    """
    parameters: list = [store.parquet_glob(), inn]
    if not sees_all_regions(user):
        codes = list(Region.objects.visible_to(user).values_list("code", flat=True))
        if not codes:
            return []
        sql += " AND list_contains(?, region_code)"
        parameters.append(codes)
    rows = duck_cursor().execute(sql + " ORDER BY snapshot_date", parameters).fetchall()
    return [FirmSnapshot(*row) for row in rows]


def firm_latest_region_code(*, inn: str, store: RegisterStore) -> str | None:
    """The region code the latest snapshot listing the firm with ``inn`` gives,
    or ``None`` when the store does not list it. Not scoped to a user: for the
    services that check that a regional partner adds a firm of their own
    regions, and tell them no more than that it is not. Raises
    ``ApplicationError`` for a malformed INN."""
    firm_inn_check(inn)
    if not store.published_snapshots():
        return None
    sql = """
        SELECT region_code
        FROM read_parquet(?, hive_partitioning = false)
        WHERE inn = ?
        ORDER BY snapshot_date DESC
        LIMIT 1
    """
    rows = duck_cursor().execute(sql, [store.parquet_glob(), inn]).fetchall()
    return rows[0][0] if rows else None
