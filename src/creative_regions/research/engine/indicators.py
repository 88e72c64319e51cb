"""Indicators of region x sector cells, from the totals at two snapshots.

Notation (as on the methodology page): ``X`` a variable (organisations or
employees), ``i`` a sector, ``r`` a region, ``N`` the nation (every region in the
store); ``t0`` the base and ``t1`` the target snapshot. Growth
``g = X_t1 / X_t0 - 1``. A value that divides by zero is ``None`` (an empty cell in
tables), never 0 or infinity.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pyarrow as pa

from creative_regions.research.engine.parameters import GrowthCriteria
from creative_regions.research.engine.queries import (
    CellFirms,
    Counts,
    SnapshotTotals,
)

ANCHOR_SHARE = 0.10
SPECIALISATION_STAR_LQ = 2.0
GROWTH_POINT_CLASSES = ("star", "emerging")


# Formulas -------------------------------------------------------------------------


def ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def growth(base: float, target: float) -> float | None:
    """``g = X_t1 / X_t0 - 1``; ``None`` when there was nothing at t0."""
    return target / base - 1 if base else None


def cagr(base: float, target: float, years: float) -> float | None:
    """``(X_t1 / X_t0) ^ (1 / years) - 1``; ``None`` when there was nothing at t0."""
    return (target / base) ** (1 / years) - 1 if base else None


def location_quotient(
    cell: float, region: float, sector: float, nation: float
) -> float | None:
    """``(X_ir / X_r) / (X_iN / X_N)``."""
    if not (region and sector and nation):
        return None
    return (cell / region) / (sector / nation)


def shift_share(
    *,
    base: float,
    target: float,
    national_growth: float | None,
    sector_growth: float | None,
) -> tuple[float, float, float]:
    """(national, industry mix, regional) components of ``X_ir,t1 - X_ir,t0``.

    ``national = X_ir,t0 · g_N`` and ``industry mix = X_ir,t0 · (g_iN - g_N)``; the
    regional shift ``X_ir,t0 · (g_ir - g_iN)`` is computed as what remains of the
    change: the same number algebraically, and the three then sum to the change
    up to one rounding instead of several. A cell that was empty at t0 has no
    national or industry-mix effect (both are multiples of X_ir,t0 = 0), so all of
    its change is regional: ``regional = X_ir,t1``.
    """
    change = target - base
    if not base:
        return 0.0, 0.0, change
    # X_ir,t0 > 0 implies X_iN,t0 > 0 and X_N,t0 > 0, so both growths are defined.
    assert national_growth is not None and sector_growth is not None
    national = base * national_growth
    industry_mix = base * (sector_growth - national_growth)
    return national, industry_mix, change - national - industry_mix


def concentration(
    *, employees: int, employees_squared: float, top3: int, top5: int
) -> tuple[float | None, float | None, float | None]:
    """(HHI, CR3, CR5) of a cell's firms on employees.

    ``HHI = Σ (100 · q_j / Σ q)² = 10 000 · Σ q² / (Σ q)²``, in (0, 10 000];
    ``CRk`` is the share (0..1) of the k largest firms.
    """
    if not employees:
        return None, None, None
    return (
        10_000 * employees_squared / employees**2,
        top3 / employees,
        top5 / employees,
    )


def top_decile(values: Mapping[str, float], region_count: int) -> set[str]:
    """Regions in the top 10 % of ``region_count`` regions by a positive value.

    The top 10 % is ``ceil(region_count / 10)`` regions (9 of 89); tied regions are
    in or out together, by how many regions have strictly more.
    """
    places = (region_count + 9) // 10
    ordered = sorted(values.values(), reverse=True)
    return {
        region
        for region, value in values.items()
        if value > 0 and sum(1 for other in ordered[:places] if other > value) < places
    }


def growth_class(
    *,
    organisations: int,
    location_quotient: float | None,
    grows_faster: bool,
    criteria: GrowthCriteria,
) -> str:
    """Quadrant of the LQ x growth chart , on employees."""
    if organisations < criteria.min_organisations:
        return "too_small"
    is_specialised = location_quotient is not None and location_quotient > 1
    if grows_faster:
        return "star" if is_specialised else "emerging"
    return "mature" if is_specialised else "lagging"


# Rows -----------------------------------------------------------------------------


@dataclass
class ProfileRow:
    """One region x sector; the field order is the ``profile`` table's."""

    region_code: str
    sector: str
    snapshot: date
    organisations: int
    employees: int
    employees_coverage: float | None
    organisations_base: int
    employees_base: int
    lq_organisations: float | None
    lq_employees: float | None
    cagr_organisations: float | None
    cagr_employees: float | None
    ss_national: float
    ss_industry_mix: float
    ss_regional: float
    hhi_employees: float | None
    cr3_employees: float | None
    cr5_employees: float | None
    cluster_stars: int
    growth_class: str
    is_growth_point: bool


PROFILE_SCHEMA = pa.schema(
    [
        ("region_code", pa.string()),
        ("sector", pa.string()),
        ("snapshot", pa.date32()),
        ("organisations", pa.int64()),
        ("employees", pa.int64()),
        ("employees_coverage", pa.float64()),
        ("organisations_base", pa.int64()),
        ("employees_base", pa.int64()),
        ("lq_organisations", pa.float64()),
        ("lq_employees", pa.float64()),
        ("cagr_organisations", pa.float64()),
        ("cagr_employees", pa.float64()),
        ("ss_national", pa.float64()),
        ("ss_industry_mix", pa.float64()),
        ("ss_regional", pa.float64()),
        ("hhi_employees", pa.float64()),
        ("cr3_employees", pa.float64()),
        ("cr5_employees", pa.float64()),
        ("cluster_stars", pa.int64()),
        ("growth_class", pa.string()),
        ("is_growth_point", pa.bool_()),
    ]
)


def profile_rows(
    base: SnapshotTotals,
    target: SnapshotTotals,
    *,
    target_date: date,
    years: float,
    firms: Mapping[tuple[str, str], CellFirms],
    criteria: GrowthCriteria,
    region_criteria: Mapping[str, GrowthCriteria],
) -> list[ProfileRow]:
    """Every region x sector present at t0 or t1, sorted by region and sector.

    ``firms`` gives the firm sizes of each cell at t1, for concentration. Stars
    follow the European Cluster Observatory on employees at t1 (size: top 10 % of
    regions in the sector; specialisation: LQ ≥ 2; focus: the sector's share of the
    region's employment in the top 10 %), over every region with records at t1.
    """
    keys = sorted(set(base.cells) | set(target.cells))
    national_growth = growth(base.nation.employees, target.nation.employees)
    size_stars, focus_stars = _star_regions(target)

    rows = []
    for region, sector in keys:
        then, now = base.cell(region, sector), target.cell(region, sector)
        lq_employees = location_quotient(
            now.employees,
            target.region(region).employees,
            target.sector(sector).employees,
            target.nation.employees,
        )
        cell_growth = growth(then.employees, now.employees)
        sector_growth = growth(
            base.sector(sector).employees, target.sector(sector).employees
        )
        national, industry_mix, regional = shift_share(
            base=then.employees,
            target=now.employees,
            national_growth=national_growth,
            sector_growth=sector_growth,
        )
        sizes = firms.get((region, sector), CellFirms(0.0, 0, 0))
        hhi, cr3, cr5 = concentration(
            employees=now.employees,
            employees_squared=sizes.employees_squared,
            top3=sizes.top3,
            top5=sizes.top5,
        )
        stars = (
            (region in size_stars.get(sector, ()))
            + (lq_employees is not None and lq_employees >= SPECIALISATION_STAR_LQ)
            + (region in focus_stars.get(sector, ()))
        )
        # A cell without employees at t0 has no g_ir; it grows faster than the
        # nation when it gained employees, i.e. when its regional shift (all of
        # its employees at t1) is positive.
        grows_faster = (
            cell_growth > sector_growth
            if cell_growth is not None and sector_growth is not None
            else regional > 0
        )
        cell_criteria = region_criteria.get(region, criteria)
        cell_class = growth_class(
            organisations=now.organisations,
            location_quotient=lq_employees,
            grows_faster=grows_faster,
            criteria=cell_criteria,
        )
        cagr_employees = cagr(then.employees, now.employees, years)
        rows.append(
            ProfileRow(
                region_code=region,
                sector=sector,
                snapshot=target_date,
                organisations=now.organisations,
                employees=now.employees,
                employees_coverage=ratio(now.reporting, now.organisations),
                organisations_base=then.organisations,
                employees_base=then.employees,
                lq_organisations=location_quotient(
                    now.organisations,
                    target.region(region).organisations,
                    target.sector(sector).organisations,
                    target.nation.organisations,
                ),
                lq_employees=lq_employees,
                cagr_organisations=cagr(then.organisations, now.organisations, years),
                cagr_employees=cagr_employees,
                ss_national=national,
                ss_industry_mix=industry_mix,
                ss_regional=regional,
                hhi_employees=hhi,
                cr3_employees=cr3,
                cr5_employees=cr5,
                cluster_stars=stars,
                growth_class=cell_class,
                is_growth_point=_is_growth_point(
                    cell_class, regional, cagr_employees, cell_criteria
                ),
            )
        )
    return rows


def _star_regions(
    target: SnapshotTotals,
) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Per sector, the regions with a size star and those with a focus star."""
    region_count = len(target.regions)
    size_stars: dict[str, set[str]] = {}
    focus_stars: dict[str, set[str]] = {}
    for sector in target.sectors:
        employees = {
            region: counts.employees
            for (region, cell_sector), counts in target.cells.items()
            if cell_sector == sector
        }
        size_stars[sector] = top_decile(employees, region_count)
        focus_stars[sector] = top_decile(
            {
                region: ratio(value, target.region(region).employees) or 0.0
                for region, value in employees.items()
            },
            region_count,
        )
    return size_stars, focus_stars


def _is_growth_point(
    cell_class: str,
    regional_shift: float,
    cagr_employees: float | None,
    criteria: GrowthCriteria,
) -> bool:
    """A star or emerging cell with a positive regional shift, growing at least
    ``criteria.min_cagr`` a year when the region sets such a floor."""
    if cell_class not in GROWTH_POINT_CLASSES or regional_shift <= 0:
        return False
    if criteria.min_cagr is None:
        return True
    return cagr_employees is not None and cagr_employees >= criteria.min_cagr


@dataclass
class SectorRow:
    """National totals of one sector."""

    sector: str
    snapshot: date
    regions: int
    organisations: int
    employees: int
    employees_coverage: float | None
    organisations_base: int
    employees_base: int
    growth_organisations: float | None
    growth_employees: float | None
    cagr_organisations: float | None
    cagr_employees: float | None


SECTORS_SCHEMA = pa.schema(
    [
        ("sector", pa.string()),
        ("snapshot", pa.date32()),
        ("regions", pa.int64()),
        ("organisations", pa.int64()),
        ("employees", pa.int64()),
        ("employees_coverage", pa.float64()),
        ("organisations_base", pa.int64()),
        ("employees_base", pa.int64()),
        ("growth_organisations", pa.float64()),
        ("growth_employees", pa.float64()),
        ("cagr_organisations", pa.float64()),
        ("cagr_employees", pa.float64()),
    ]
)


def sector_rows(
    base: SnapshotTotals, target: SnapshotTotals, *, target_date: date, years: float
) -> list[SectorRow]:
    """Every sector present at t0 or t1; ``regions`` counts those with records of
    the sector at t1."""
    rows = []
    for sector in sorted(set(base.sectors) | set(target.sectors)):
        then, now = base.sector(sector), target.sector(sector)
        rows.append(
            SectorRow(
                sector=sector,
                snapshot=target_date,
                regions=sum(1 for _region, name in target.cells if name == sector),
                organisations=now.organisations,
                employees=now.employees,
                employees_coverage=ratio(now.reporting, now.organisations),
                organisations_base=then.organisations,
                employees_base=then.employees,
                growth_organisations=growth(then.organisations, now.organisations),
                growth_employees=growth(then.employees, now.employees),
                cagr_organisations=cagr(then.organisations, now.organisations, years),
                cagr_employees=cagr(then.employees, now.employees, years),
            )
        )
    return rows


@dataclass
class RegionRow:
    """Totals of one region: every record, and the creative ones."""

    region_code: str
    organisations: int
    employees: int
    organisations_base: int
    employees_base: int
    creative_organisations: int
    creative_employees: int
    creative_organisations_base: int
    creative_employees_base: int


REGIONS_SCHEMA = pa.schema(
    [
        ("region_code", pa.string()),
        ("organisations", pa.int64()),
        ("employees", pa.int64()),
        ("organisations_base", pa.int64()),
        ("employees_base", pa.int64()),
        ("creative_organisations", pa.int64()),
        ("creative_employees", pa.int64()),
        ("creative_organisations_base", pa.int64()),
        ("creative_employees_base", pa.int64()),
    ]
)


def creative_totals(totals: SnapshotTotals) -> dict[str, Counts]:
    """Per region, the sum over its creative sectors."""
    result: dict[str, Counts] = {}
    for (region, _sector), counts in totals.cells.items():
        result.setdefault(region, Counts()).add(counts)
    return result


def region_rows(base: SnapshotTotals, target: SnapshotTotals) -> list[RegionRow]:
    creative_base, creative_target = creative_totals(base), creative_totals(target)
    rows = []
    for region in sorted(set(base.regions) | set(target.regions)):
        creative_then = creative_base.get(region, Counts())
        creative_now = creative_target.get(region, Counts())
        rows.append(
            RegionRow(
                region_code=region,
                organisations=target.region(region).organisations,
                employees=target.region(region).employees,
                organisations_base=base.region(region).organisations,
                employees_base=base.region(region).employees,
                creative_organisations=creative_now.organisations,
                creative_employees=creative_now.employees,
                creative_organisations_base=creative_then.organisations,
                creative_employees_base=creative_then.employees,
            )
        )
    return rows


# Leaders --------------------------------------------------------------------------


@dataclass
class LeaderRow:
    region_code: str
    sector: str
    rank: int
    inn: str
    name: str | None
    employees: int
    share: float
    employees_base: int | None
    growth: float | None
    anchor: bool
    growing: bool


LEADERS_SCHEMA = pa.schema(
    [
        ("region_code", pa.string()),
        ("sector", pa.string()),
        ("rank", pa.int64()),
        ("inn", pa.string()),
        ("name", pa.string()),
        ("employees", pa.int64()),
        ("share", pa.float64()),
        ("employees_base", pa.int64()),
        ("growth", pa.float64()),
        ("anchor", pa.bool_()),
        ("growing", pa.bool_()),
    ]
)


def leader_rows(
    ranked: pa.Table, base: SnapshotTotals, target: SnapshotTotals
) -> list[LeaderRow]:
    """Industry leaders from the ranked firms of ``queries.creative_firms``.

    ``share``: of the cell's employees at t1. ``growth``: the firm's
    ``employees_t1 / employees_t0 - 1`` when it had employees at t0. ``anchor``:
    share ≥ 10 %. ``growing``: its growth is at least the cell's growth ``g_ir``;
    false when either growth is undefined (a firm new to the register, or a sector
    new to the region).
    """
    rows = []
    for firm in ranked.to_pylist():
        region, sector = firm["region_code"], firm["sector"]
        cell_employees = target.cell(region, sector).employees
        firm_growth = (
            growth(firm["employees_base"], firm["employees"])
            if firm["employees_base"] is not None
            else None
        )
        cell_growth = growth(base.cell(region, sector).employees, cell_employees)
        share = firm["employees"] / cell_employees
        rows.append(
            LeaderRow(
                region_code=region,
                sector=sector,
                rank=firm["rank"],
                inn=firm["inn"],
                name=firm["name"],
                employees=firm["employees"],
                share=share,
                employees_base=firm["employees_base"],
                growth=firm_growth,
                anchor=share >= ANCHOR_SHARE,
                growing=firm_growth is not None
                and cell_growth is not None
                and firm_growth >= cell_growth,
            )
        )
    return rows
