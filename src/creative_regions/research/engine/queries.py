"""The DuckDB side of a research run: everything that touches the register.

A run reads the summaries of its two snapshots (``registry.summaries``), not the
records themselves:

1. the distinct main activity codes of the totals, mapped to sectors in Python;
2. totals by snapshot x region x sector from the totals by activity code;
3. the largest firms of each region x creative sector at the target snapshot,
   ranked by a window function over the largest firms of each activity code,
   and the base snapshot's headcount of the leaders among them.

Everything else in the run is arithmetic on a few thousand aggregated rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from creative_regions.registry.summaries import (
    LEADERS_PER_CODE,
    PartitionSummary,
    inn_key_sql,
)
from creative_regions.research.parsers import best_match

# The concentration ratios need the five largest firms of each cell.
CONCENTRATION_FIRMS = 5


@dataclass
class Counts:
    """Totals of a group of records at one snapshot."""

    organisations: int = 0
    # Records with a headcount; the rest count as organisations but not employees.
    reporting: int = 0
    employees: int = 0
    # Σ employees², for the Herfindahl-Hirschman index.
    employees_squared: float = 0.0

    def add(self, other: Counts) -> None:
        self.organisations += other.organisations
        self.reporting += other.reporting
        self.employees += other.employees
        self.employees_squared += other.employees_squared


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
    sectors: Mapping[str, str],
    base: PartitionSummary,
    target: PartitionSummary,
) -> tuple[SnapshotTotals, SnapshotTotals]:
    """Totals at the base and at the target snapshot.

    The sector of each distinct activity code (a few thousand) is found once in
    Python and joined to the totals as a small table, so the rule lives in one
    place (``parsers.best_match``) and no record is matched against patterns.
    Leaves the table ``code_sector`` (creative codes only) for ``creative_firms``.
    """
    files = [str(base.totals), str(target.totals)]
    codes = connection.execute(
        "SELECT DISTINCT okved_main FROM read_parquet(?) WHERE okved_main NOT NULL",
        [files],
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

    base_totals, target_totals = SnapshotTotals(), SnapshotTotals()
    for summary, totals in ((base, base_totals), (target, target_totals)):
        rows = connection.execute(
            """
            SELECT totals.region_code, code_sector.sector,
                   sum(organisations)::BIGINT, sum(reporting)::BIGINT,
                   sum(employees)::BIGINT, sum(employees_squared)
            FROM read_parquet(?) AS totals LEFT JOIN code_sector USING (okved_main)
            GROUP BY ALL
            """,
            [str(summary.totals)],
        ).fetchall()
        for region, sector, *values in rows:
            counts = Counts(*values)
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
    base: PartitionSummary,
    target: PartitionSummary,
    target_totals: SnapshotTotals,
    leaders_per_cell: int,
) -> tuple[dict[tuple[str, str], CellFirms], pa.Table]:
    """Firm-level figures of every region x creative sector at the target snapshot:
    its firm sizes, and its ``leaders_per_cell`` largest firms by employees with
    their employees at the base snapshot (matched by INN, wherever the firm was
    then; NULL when it was not in the register or had no headcount).

    Only firms with employees take part: with no headcount there is no size to
    rank, and they add nothing to the sums. Ties go to the smaller INN so that the
    ranking is the same on every run. The largest firms of a sector are among the
    largest firms of its activity codes, so the summary of the largest firms per
    code answers whenever it keeps enough of them; otherwise the records are read.
    """
    ranked_count = max(leaders_per_cell, CONCENTRATION_FIRMS)
    firms = target.leaders if ranked_count <= LEADERS_PER_CODE else target.records
    connection.execute(
        """
        CREATE OR REPLACE TEMP TABLE ranked_firm AS
        SELECT firm.region_code, code_sector.sector, firm.inn, firm.name,
               firm.employees,
               row_number() OVER (
                   PARTITION BY firm.region_code, code_sector.sector
                   ORDER BY firm.employees DESC, firm.inn
               ) AS rank
        FROM read_parquet(?) AS firm JOIN code_sector USING (okved_main)
        WHERE firm.employees > 0
        QUALIFY rank <= ?
        """,
        [str(firms), ranked_count],
    )
    sizes = connection.execute(
        """
        SELECT region_code, sector,
               coalesce(sum(employees) FILTER (WHERE rank <= 3), 0)::BIGINT,
               coalesce(sum(employees) FILTER (WHERE rank <= 5), 0)::BIGINT
        FROM ranked_firm
        GROUP BY ALL
        """
    ).fetchall()
    leaders = connection.sql(
        f"""
        WITH leader AS (
            SELECT *, {inn_key_sql("inn")} AS inn_key FROM ranked_firm WHERE rank <= ?
        ),
        earlier AS (
            SELECT inn_key, max(employees) AS employees_base
            FROM read_parquet(?)
            WHERE inn_key IN (SELECT inn_key FROM leader)
            GROUP BY inn_key
        )
        SELECT region_code, sector, rank, inn, name, employees, employees_base
        FROM leader LEFT JOIN earlier USING (inn_key)
        ORDER BY region_code, sector, rank
        """,
        params=[leaders_per_cell, str(base.headcounts)],
    ).to_arrow_table()
    top = {(region, sector): (top3, top5) for region, sector, top3, top5 in sizes}
    return {
        cell: CellFirms(counts.employees_squared, *top.get(cell, (0, 0)))
        for cell, counts in target_totals.cells.items()
    }, leaders
