"""Reads of the registry app: what the store holds, and the imports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, QuerySet

from creative_regions.core.models import User
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
