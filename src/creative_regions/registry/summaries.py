"""Summaries of a published partition, for readers that need totals rather than
records.

Research reads a snapshot's totals by region and activity code, its largest firms
and, for a few thousand firms, their headcount. Scanning 6.5 million records for
that takes most of a run; three small files beside the records answer it in a
fraction of the time. They are derived data, written on first use and never
edited:

    snapshot=2024-01-10/_activity_totals.parquet   one row per region x main code
    snapshot=2024-01-10/_activity_leaders.parquet  the largest firms of each
    snapshot=2024-01-10/_headcounts.parquet        headcount by INN

They live in the partition's folder, so a rebuilt partition (which replaces the
whole folder) never keeps the summaries of its predecessor; the leading underscore
makes pyarrow, pandas and Spark skip them when reading the folder as a dataset.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from creative_regions.registry.store import RegisterStore

# The largest firms kept per region x main activity code. A reader asking for
# more leaders than this reads the records themselves.
LEADERS_PER_CODE = 20

TOTALS_NAME = "_activity_totals.parquet"
LEADERS_NAME = "_activity_leaders.parquet"
HEADCOUNTS_NAME = "_headcounts.parquet"


@dataclass(frozen=True)
class PartitionSummary:
    """Paths of one published snapshot's records and its summaries.

    - ``totals``: ``region_code``, ``okved_main`` (NULL for records without one),
      ``organisations``, ``reporting`` (records with a headcount), ``employees``
      and ``employees_squared`` (sums over the records with a headcount);
    - ``leaders``: ``region_code``, ``okved_main``, ``inn``, ``name``,
      ``employees`` — the ``LEADERS_PER_CODE`` largest firms with a headcount of
      each region x code, ties to the smaller INN;
    - ``headcounts``: ``inn_key`` (the INN as a number, see ``inn_key_sql``) and
      ``employees`` for every record with a headcount.
    """

    records: Path
    totals: Path
    leaders: Path
    headcounts: Path


def inn_key_sql(column: str) -> str:
    """An INN as a BIGINT that keeps 10- and 12-digit INNs apart: "1" followed by
    the digits. The store holds only checked INNs, so the cast cannot fail; a
    number is read ten times faster than a string when thousands of INNs are
    looked up among millions."""
    return f"('1' || {column})::BIGINT"


SUMMARY_NAMES = ("totals", "leaders", "headcounts")


def partition_summary(
    store: RegisterStore,
    snapshot: date,
    *,
    needed: Collection[str] = SUMMARY_NAMES,
    memory_limit: str = "1GB",
) -> PartitionSummary:
    """The summaries of a published snapshot; those ``needed`` are written first
    when missing (a research run needs only some of each snapshot's).

    Each file is written under a temporary name and renamed, so a reader never
    sees a partial file; two processes writing at once write the same bytes.
    """
    folder = store.partition_dir(snapshot)
    summary = PartitionSummary(
        records=folder / "part-0.parquet",
        totals=folder / TOTALS_NAME,
        leaders=folder / LEADERS_NAME,
        headcounts=folder / HEADCOUNTS_NAME,
    )
    records = f"read_parquet('{summary.records}', hive_partitioning = false)"
    queries = {
        "totals": f"""
            SELECT region_code, okved_main,
                   count(*)::BIGINT AS organisations,
                   count(employees)::BIGINT AS reporting,
                   coalesce(sum(employees), 0)::BIGINT AS employees,
                   coalesce(sum(employees::DOUBLE * employees), 0) AS employees_squared
            FROM {records}
            GROUP BY ALL
            ORDER BY okved_main, region_code
        """,
        # The window runs only over the firms at least as large as the
        # LEADERS_PER_CODE-th of their code, found first by a cheap aggregate.
        "leaders": f"""
            WITH cut AS (
                SELECT region_code, okved_main,
                       list_min(max(employees, {LEADERS_PER_CODE})) AS smallest
                FROM {records}
                WHERE employees > 0
                GROUP BY ALL
            )
            SELECT firm.region_code, firm.okved_main, firm.inn, firm.name,
                   firm.employees
            FROM {records} AS firm JOIN cut
              ON firm.region_code = cut.region_code
             AND firm.okved_main IS NOT DISTINCT FROM cut.okved_main
             AND firm.employees >= cut.smallest
            QUALIFY row_number() OVER (
                PARTITION BY firm.region_code, firm.okved_main
                ORDER BY firm.employees DESC, firm.inn
            ) <= {LEADERS_PER_CODE}
            ORDER BY okved_main, region_code, employees DESC, inn
        """,
        "headcounts": f"""
            SELECT {inn_key_sql("inn")} AS inn_key, employees
            FROM {records}
            WHERE employees IS NOT NULL
        """,
    }
    missing = {
        getattr(summary, name): queries[name]
        for name in needed
        if not getattr(summary, name).exists()
    }
    if missing:
        _write(missing, memory_limit=memory_limit, temp_dir=store.root / "_tmp")
    return summary


def _write(queries: dict[Path, str], *, memory_limit: str, temp_dir: Path) -> None:
    # Imported here: the register import's workers import this app's modules and
    # never need DuckDB.
    import duckdb

    temp_dir.mkdir(parents=True, exist_ok=True)
    connection = duckdb.connect(
        config={"memory_limit": memory_limit, "temp_directory": str(temp_dir)}
    )
    try:
        for path, sql in queries.items():
            # A leading dot: ``RegisterStore.clean_leftovers`` removes what a
            # crash leaves behind.
            building = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
            try:
                connection.execute(
                    f"COPY ({sql}) TO '{building}' "
                    "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)"
                )
                os.replace(building, path)
            finally:
                building.unlink(missing_ok=True)
    finally:
        connection.close()
