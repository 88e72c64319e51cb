"""The DuckDB side of a research run: everything that touches the register records.

Each read of the Parquet store is filtered to the snapshots it needs (DuckDB skips
the row groups of other snapshots by their statistics):

1. the distinct main activity codes, mapped to sectors in Python;
2. totals by snapshot x region x sector, in one pass over both snapshots;
3. the firms of creative sectors at the target snapshot, ranked within their
   region x sector by a window function, and the base snapshot's headcount of
   the leaders among them.

Everything else in the run is arithmetic on a few thousand aggregated rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import duckdb
import pyarrow as pa

from creative_regions.research.parsers import best_match

# read_parquet would otherwise add the store's hive columns (source, snapshot),
# which research does not use: snapshot_date comes from the records themselves.
_READ = "read_parquet(?, hive_partitioning = false)"


@dataclass
class Counts:
    """Totals of a group of records at one snapshot."""

    organisations: int = 0
    # Records with a headcount; the rest count as organisations but not employees.
    reporting: int = 0
    employees: int = 0

    def add(self, other: Counts) -> None:
        self.organisations += other.organisations
        self.reporting += other.reporting
        self.employees += other.employees


@dataclass
class SnapshotTotals:
    """Totals at one snapshot: per region x creative sector, per region (every
    record), per creative sector (the nation), and for the whole economy."""

    cells: dict[tuple[str, str], Counts] = field(default_factory=dict)
    regions: dict[str, Counts] = field(default_factory=dict)
    sectors: dict[str, Counts] = field(default_factory=dict)
    nation: Counts = field(default_factory=Counts)

    def cell(self, region: str, sector: str) -> Counts:
        return self.cells.get((region, sector), Counts())

    def region(self, region: str) -> Counts:
        return self.regions.get(region, Counts())

    def sector(self, sector: str) -> Counts:
        return self.sectors.get(sector, Counts())


def research_connection(memory_limit: str) -> duckdb.DuckDBPyConnection:
    """A private in-memory connection for one run, so its temporary tables and
    memory limit do not touch the process's shared connection."""
    return duckdb.connect(config={"memory_limit": memory_limit})


def store_files(connection: duckdb.DuckDBPyConnection, parquet_glob: str) -> int:
    return len(
        connection.execute("SELECT file FROM glob(?)", [parquet_glob]).fetchall()
    )


def store_snapshots(
    connection: duckdb.DuckDBPyConnection, parquet_glob: str
) -> list[date]:
    rows = connection.execute(
        f"SELECT DISTINCT snapshot_date FROM {_READ} ORDER BY 1", [parquet_glob]
    ).fetchall()
    return [row[0] for row in rows]


def code_sectors(codes: Sequence[str], sectors: Mapping[str, str]) -> dict[str, str]:
    """The sector of each activity code that has one, by the classification's rule
    (the most specific class code covering it, see ``parsers.best_match``)."""
    result = {}
    for code in codes:
        class_code = best_match(code, sectors)
        if class_code is not None:
            result[code] = sectors[class_code]
    return result


def snapshot_totals(
    connection: duckdb.DuckDBPyConnection,
    *,
    parquet_glob: str,
    sectors: Mapping[str, str],
    base: date,
    target: date,
) -> tuple[SnapshotTotals, SnapshotTotals]:
    """Totals at the base and at the target snapshot.

    The sector of each distinct activity code (a few thousand) is found once in
    Python and joined to the records as a small table, so the rule lives in one
    place (``parsers.best_match``) and no record is matched against patterns.
    Leaves the table ``code_sector`` (creative codes only) for ``creative_firms``.
    """
    codes = connection.execute(
        f"""
        SELECT DISTINCT okved_main FROM {_READ}
        WHERE snapshot_date IN (?, ?) AND okved_main IS NOT NULL
        """,
        [parquet_glob, base, target],
    ).fetchall()
    mapping = code_sectors([row[0] for row in codes], sectors)
    code_sector = pa.table(
        {
            "okved_main": pa.array(list(mapping), pa.string()),
            "sector": pa.array(list(mapping.values()), pa.string()),
        }
    )
    connection.register("code_sector_arrow", code_sector)
    connection.execute(
        "CREATE OR REPLACE TEMP TABLE code_sector AS SELECT * FROM code_sector_arrow"
    )
    connection.unregister("code_sector_arrow")
    rows = connection.execute(
        f"""
        SELECT records.snapshot_date = ? AS is_target, records.region_code,
               code_sector.sector,
               count(*), count(records.employees),
               coalesce(sum(records.employees), 0)::BIGINT
        FROM {_READ} AS records LEFT JOIN code_sector USING (okved_main)
        WHERE records.snapshot_date IN (?, ?)
        GROUP BY ALL
        """,
        [target, parquet_glob, base, target],
    ).fetchall()

    base_totals, target_totals = SnapshotTotals(), SnapshotTotals()
    for is_target, region, sector, *values in rows:
        counts = Counts(*values)
        totals = target_totals if is_target else base_totals
        totals.regions.setdefault(region, Counts()).add(counts)
        totals.nation.add(counts)
        if sector is not None:
            totals.cells[(region, sector)] = counts
            totals.sectors.setdefault(sector, Counts()).add(counts)
    return base_totals, target_totals


@dataclass(frozen=True)
class CellFirms:
    """Firm sizes of one region x creative sector at the target snapshot."""

    # Σ employees², for the Herfindahl-Hirschman index.
    employees_squared: float
    # Employees of the 3 and of the 5 largest firms.
    top3: int
    top5: int


def creative_firms(
    connection: duckdb.DuckDBPyConnection,
    *,
    parquet_glob: str,
    base: date,
    target: date,
    leaders_per_cell: int,
) -> tuple[dict[tuple[str, str], CellFirms], pa.Table]:
    """Firm-level figures of every region x creative sector at the target snapshot:
    its firm sizes, and its ``leaders_per_cell`` largest firms by employees with
    their employees at the base snapshot (matched by INN, wherever the firm was
    then; NULL when it was not in the register or had no headcount).

    Only firms with employees take part: with no headcount there is no size to
    rank, and they add nothing to the sums. Ties go to the smaller INN so that the
    ranking is the same on every run.
    """
    connection.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE ranked_firm AS
        SELECT records.region_code, code_sector.sector, records.inn, records.name,
               records.employees,
               row_number() OVER (
                   PARTITION BY records.region_code, code_sector.sector
                   ORDER BY records.employees DESC, records.inn
               ) AS rank
        FROM {_READ} AS records JOIN code_sector USING (okved_main)
        WHERE records.snapshot_date = ? AND records.employees > 0
        """,
        [parquet_glob, target],
    )
    sizes = connection.execute(
        """
        SELECT region_code, sector,
               sum(employees::BIGINT * employees)::DOUBLE,
               coalesce(sum(employees) FILTER (WHERE rank <= 3), 0)::BIGINT,
               coalesce(sum(employees) FILTER (WHERE rank <= 5), 0)::BIGINT
        FROM ranked_firm
        GROUP BY ALL
        """
    ).fetchall()
    leaders = connection.sql(
        f"""
        WITH leader AS (SELECT * FROM ranked_firm WHERE rank <= ?),
        earlier AS (
            SELECT inn, max(employees) AS employees_base
            FROM {_READ}
            WHERE snapshot_date = ? AND inn IN (SELECT inn FROM leader)
            GROUP BY inn
        )
        SELECT region_code, sector, rank, inn, name, employees, employees_base
        FROM leader LEFT JOIN earlier USING (inn)
        ORDER BY region_code, sector, rank
        """,
        params=[leaders_per_cell, parquet_glob, base],
    ).to_arrow_table()
    return {
        (region, sector): CellFirms(*values) for region, sector, *values in sizes
    }, leaders
