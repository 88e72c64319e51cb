"""Reads of the region passport: one region's results of a research run, beside
Russia and the region's peer regions.

Everything comes from the stored results of the run (no DuckDB at request time)
in a fixed number of queries, whatever the number of sectors and leaders.
Another region's own figures are shown only to users who see every region; a
regional partner gets Russia and the peer group as totals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from creative_regions.core.models import User, sees_all_regions
from creative_regions.geo.models import Region
from creative_regions.research.formatting import format_number, format_percent
from creative_regions.research.models import (
    ClassificationEntry,
    GrowthClass,
    LeaderRow,
    PeerRow,
    ProfileCell,
    RankingRow,
    RegionTotal,
    ResearchRun,
    SectorTotal,
)
from creative_regions.research.selectors import research_run_list

# A sector whose figures hang on one or a few firms: highly
# concentrated by the 2010 US merger guidelines, or one firm with half of it.
HIGH_HHI = 2_500
DOMINANT_FIRM_SHARE = 0.5
DEFAULT_MIN_ORGANISATIONS = 20
TOTAL_FIELDS = (
    "organisations",
    "employees",
    "organisations_base",
    "employees_base",
    "creative_organisations",
    "creative_employees",
    "creative_organisations_base",
    "creative_employees_base",
)


def growth_of(base: float | None, target: float | None) -> float | None:
    """``target / base − 1``, the engine's growth; ``None`` without a base."""
    if not base or target is None:
        return None
    return target / base - 1


def ratio_of(numerator: float | None, denominator: float | None) -> float | None:
    if not denominator or numerator is None:
        return None
    return numerator / denominator


@dataclass(frozen=True)
class Totals:
    """All records and the creative ones of a region or a group of regions, at the
    base and the target snapshot."""

    organisations: int = 0
    employees: int = 0
    organisations_base: int = 0
    employees_base: int = 0
    creative_organisations: int = 0
    creative_employees: int = 0
    creative_organisations_base: int = 0
    creative_employees_base: int = 0

    @classmethod
    def of(cls, row: RegionTotal | dict | None) -> Totals:
        if row is None:
            return cls()
        if isinstance(row, dict):
            return cls(**{name: row.get(name) or 0 for name in TOTAL_FIELDS})
        return cls(**{name: getattr(row, name) for name in TOTAL_FIELDS})

    @property
    def creative_share(self) -> float | None:
        """Creative employees per employee of the whole register, at the target."""
        return ratio_of(self.creative_employees, self.employees)

    @property
    def creative_share_base(self) -> float | None:
        return ratio_of(self.creative_employees_base, self.employees_base)

    @property
    def creative_growth(self) -> float | None:
        return growth_of(self.creative_employees_base, self.creative_employees)

    @property
    def employees_growth(self) -> float | None:
        return growth_of(self.employees_base, self.employees)


@dataclass(frozen=True)
class PeerRegion:
    """A region of alike creative structure; ``totals`` and ``rank`` only for users
    who may see that region's figures."""

    code: str
    region: Region | None
    similarity: float
    position: int
    totals: Totals | None
    rank: int | None

    @property
    def name(self) -> str:
        return self.region.name if self.region is not None else self.code


@dataclass(frozen=True)
class SectorLine:
    """One creative sector in the region: its cell of the profile (``None`` when
    the region has no firm of the sector), the nation's totals and its leaders."""

    sector: str
    name: str
    cell: ProfileCell | None
    national: SectorTotal | None
    share: float | None
    national_share: float | None
    leaders: list[LeaderRow] = field(default_factory=list)

    @property
    def employees(self) -> int:
        return self.cell.employees if self.cell is not None else 0

    @property
    def growth(self) -> float | None:
        if self.cell is None:
            return None
        return growth_of(self.cell.employees_base, self.cell.employees)

    @property
    def national_growth(self) -> float | None:
        return self.national.growth_employees if self.national is not None else None

    @property
    def growth_difference(self) -> float | None:
        if self.growth is None or self.national_growth is None:
            return None
        return self.growth - self.national_growth

    @property
    def change(self) -> int:
        if self.cell is None:
            return 0
        return self.cell.employees - self.cell.employees_base

    @property
    def top_share(self) -> float | None:
        return self.leaders[0].share if self.leaders else None

    @property
    def has_dominant_firm(self) -> bool:
        return self.top_share is not None and self.top_share >= DOMINANT_FIRM_SHARE

    @property
    def is_concentrated(self) -> bool:
        """True when the sector's figures depend on one or a few firms."""
        if self.cell is None or not self.cell.employees:
            return False
        hhi = self.cell.hhi_employees
        return (hhi is not None and hhi > HIGH_HHI) or self.has_dominant_firm

    @property
    def coverage(self) -> float | None:
        return self.cell.employees_coverage if self.cell is not None else None

    @property
    def reporting(self) -> int:
        """Organisations that gave a headcount (the coverage times the count)."""
        if self.cell is None or self.cell.employees_coverage is None:
            return 0
        return round(self.cell.employees_coverage * self.cell.organisations)


@dataclass(frozen=True)
class GrowthPoint:
    line: SectorLine
    sentence: str


@dataclass(frozen=True)
class RegionPassport:
    run: ResearchRun
    region: Region
    totals: Totals
    nation: Totals
    peers: list[PeerRegion]
    peer_totals: Totals
    ranking: RankingRow | None
    ranked_regions: int
    peers_ranked_higher: int | None
    sectors: list[SectorLine]
    growth_points: list[GrowthPoint]
    min_organisations: int
    can_see_other_regions: bool

    @property
    def present_sectors(self) -> list[SectorLine]:
        return [line for line in self.sectors if line.cell is not None]

    @property
    def concentrated(self) -> list[SectorLine]:
        return [line for line in self.sectors if line.is_concentrated]

    @property
    def coverage_gaps(self) -> list[SectorLine]:
        return [
            line
            for line in self.present_sectors
            if line.coverage is not None and line.coverage < 1
        ]

    @property
    def too_small(self) -> list[SectorLine]:
        return [
            line
            for line in self.present_sectors
            if line.cell.growth_class == GrowthClass.TOO_SMALL
        ]

    @property
    def leader_sectors(self) -> list[SectorLine]:
        return [line for line in self.present_sectors if line.leaders]

    @property
    def peer_count(self) -> int:
        return len(self.peers)

    @property
    def peer_average_organisations(self) -> float | None:
        return ratio_of(self.peer_totals.creative_organisations, self.peer_count)

    @property
    def peer_average_employees(self) -> float | None:
        return ratio_of(self.peer_totals.creative_employees, self.peer_count)

    @property
    def organisations_of_russia(self) -> float | None:
        return ratio_of(
            self.totals.creative_organisations, self.nation.creative_organisations
        )

    @property
    def employees_of_russia(self) -> float | None:
        return ratio_of(self.totals.creative_employees, self.nation.creative_employees)


def passport_run_choices() -> list[ResearchRun]:
    """Successful runs, newest first, for the run switch of the page."""
    return list(research_run_list().filter(status=ResearchRun.Status.SUCCEEDED)[:20])


def sector_names(*, run: ResearchRun) -> dict[str, str]:
    """The sector names of the run's classification version in the interface's
    language; the run stores the Russian name."""
    names: dict[str, str] = {}
    is_english = get_language() == "en"
    rows = (
        ClassificationEntry.objects.filter(version_id=run.classification_version_id)
        .order_by()
        .values_list("sector", "sector_en")
        .distinct()
    )
    for sector, sector_en in rows:
        names[sector] = sector_en if is_english and sector_en else sector
    return names


def region_passport_get(
    *, user: User, region: Region, run: ResearchRun
) -> RegionPassport:
    """The passport of ``region`` (from ``region_get_for_user``, which refuses a
    region the user may not see) in ``run``; every result row is read through
    ``visible_to`` all the same."""
    can_see_all = sees_all_regions(user)
    totals = Totals.of(
        RegionTotal.objects.visible_to(user).filter(run=run, region=region).first()
    )
    # Russia is the sum of every region, a total any user may see.
    nation = Totals.of(
        RegionTotal.objects.filter(run=run).aggregate(
            **{name: Sum(name) for name in TOTAL_FIELDS}
        )
    )
    names = sector_names(run=run)

    peer_rows = list(
        PeerRow.objects.visible_to(user).filter(run=run, region=region).order_by("rank")
    )
    peer_codes = [row.peer_region_code for row in peer_rows]
    peer_totals_rows = {
        row.region_code: Totals.of(row)
        for row in RegionTotal.objects.filter(run=run, region_code__in=peer_codes)
    }
    ranking_rows = {
        row.region_code: row
        for row in RankingRow.objects.filter(
            run=run, region_code__in=[region.code, *peer_codes]
        )
    }
    peer_regions = {
        peer.code: peer for peer in Region.objects.filter(code__in=peer_codes)
    }
    ranking = ranking_rows.get(region.code)
    peers = [
        PeerRegion(
            code=row.peer_region_code,
            region=peer_regions.get(row.peer_region_code),
            similarity=row.similarity,
            position=row.rank,
            totals=peer_totals_rows.get(row.peer_region_code) if can_see_all else None,
            rank=(
                ranking_rows[row.peer_region_code].rank
                if can_see_all and row.peer_region_code in ranking_rows
                else None
            ),
        )
        for row in peer_rows
    ]
    peer_totals = _sum_totals(peer_totals_rows.values())
    peers_ranked_higher = None
    if ranking is not None:
        peers_ranked_higher = sum(
            1
            for code in peer_codes
            if code in ranking_rows and ranking_rows[code].rank < ranking.rank
        )

    sectors = _sector_lines(
        user=user, run=run, region=region, totals=totals, names=names, nation=nation
    )
    criteria = (run.parameters.get("region_criteria") or {}).get(region.code, {})
    min_organisations = criteria.get(
        "min_organisations",
        run.parameters.get("min_organisations", DEFAULT_MIN_ORGANISATIONS),
    )
    return RegionPassport(
        run=run,
        region=region,
        totals=totals,
        nation=nation,
        peers=peers,
        peer_totals=peer_totals,
        ranking=ranking,
        ranked_regions=RankingRow.objects.filter(run=run).count(),
        peers_ranked_higher=peers_ranked_higher,
        sectors=sectors,
        growth_points=[
            GrowthPoint(line=line, sentence=growth_point_sentence(line))
            for line in sectors
            if line.cell is not None and line.cell.is_growth_point
        ],
        min_organisations=min_organisations,
        can_see_other_regions=can_see_all,
    )


def _sum_totals(rows: Iterable[Totals]) -> Totals:
    summed = dict.fromkeys(TOTAL_FIELDS, 0)
    for row in rows:
        for name in TOTAL_FIELDS:
            summed[name] += getattr(row, name)
    return Totals(**summed)


def _sector_lines(
    *,
    user: User,
    run: ResearchRun,
    region: Region,
    totals: Totals,
    names: dict[str, str],
    nation: Totals,
) -> list[SectorLine]:
    """Every sector of the nation, the region's largest first; sectors the region
    does not have come last, so the gaps show too."""
    cells = {
        cell.sector: cell
        for cell in ProfileCell.objects.visible_to(user).filter(run=run, region=region)
    }
    national = {row.sector: row for row in SectorTotal.objects.filter(run=run)}
    leaders: dict[str, list[LeaderRow]] = {}
    for leader in (
        LeaderRow.objects.visible_to(user)
        .filter(run=run, region=region)
        .order_by("sector", "rank")
    ):
        leaders.setdefault(leader.sector, []).append(leader)
    lines = [
        SectorLine(
            sector=sector,
            name=names.get(sector, sector),
            cell=cells.get(sector),
            national=national.get(sector),
            share=ratio_of(
                cells[sector].employees if sector in cells else 0,
                totals.creative_employees,
            ),
            national_share=ratio_of(
                national[sector].employees if sector in national else 0,
                nation.creative_employees,
            ),
            leaders=leaders.get(sector, []),
        )
        for sector in set(cells) | set(national)
    ]
    return sorted(
        lines,
        key=lambda line: (
            line.cell is None,
            -line.employees,
            -(line.cell.organisations if line.cell else 0),
            line.name,
        ),
    )


def growth_point_sentence(line: SectorLine) -> str:
    """Why a sector is a growth point, with its numbers in the user's language:
    "Design: employment +34 % against +12 % in Russia, LQ 1.4 — a growth point"."""
    cell = line.cell
    assert cell is not None
    values = {
        "sector": line.name,
        "growth": format_percent(line.growth, signed=True),
        "national": format_percent(line.national_growth, signed=True),
        "lq": format_number(cell.lq_employees, 1),
    }
    if line.growth is None:
        # A sector new to the region: no growth rate, all of it is new.
        return (
            _(
                "%(sector)s: new in the region, against %(national)s in Russia, "
                "LQ %(lq)s — a growth point"
            )
            % values
        )
    return (
        _(
            "%(sector)s: employment %(growth)s against %(national)s in Russia, "
            "LQ %(lq)s — a growth point"
        )
        % values
    )
