"""Reads of the research app: classifications and their codes, research runs and
their results."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from creative_regions.core.models import User
from creative_regions.geo.models import Region
from creative_regions.registry.schema import SOURCE_FNS_RSMP
from creative_regions.registry.services import registry_store
from creative_regions.research.engine import SUB_SCORES, research_snapshots
from creative_regions.research.engine.compute import DAYS_PER_YEAR
from creative_regions.research.engine.indicators import cagr, ratio
from creative_regions.research.engine.parameters import normalised_weights
from creative_regions.research.engine.ranking import RankingRow as EngineRankingRow
from creative_regions.research.engine.ranking import ranking_rows
from creative_regions.research.models import (
    Classification,
    ClassificationEntry,
    ClassificationVersion,
    LeaderRow,
    ProfileCell,
    RankingRow,
    RegionTotal,
    ResearchRun,
    SectorTotal,
)
from creative_regions.research.parsers import best_match
from creative_regions.research.services import RUN_DEFAULTS


def classification_list() -> QuerySet[Classification]:
    """Classifications with their active version; reference data every user sees."""
    return Classification.objects.select_related("active_version").order_by("key")


def classification_get(*, key: str) -> Classification:
    try:
        return classification_list().get(key=key)
    except Classification.DoesNotExist as error:
        raise Http404("No such classification.") from error


def classification_version_list(
    *, classification: Classification
) -> QuerySet[ClassificationVersion]:
    return classification.versions.select_related("imported_by").order_by(
        "-imported_at", "-pk"
    )


def classification_version_get(
    *, classification: Classification, version_id: int | str | None
) -> ClassificationVersion | None:
    """The requested version of ``classification``, or its active one when none is
    asked for; 404 for a version of another classification."""
    if version_id in (None, ""):
        return classification.active_version
    try:
        return classification.versions.get(pk=int(version_id))
    except (ValueError, ClassificationVersion.DoesNotExist) as error:
        raise Http404("No such version.") from error


def classification_entry_list(
    *, version: ClassificationVersion | None
) -> QuerySet[ClassificationEntry]:
    if version is None:
        return ClassificationEntry.objects.none()
    sector_field = "sector_en" if get_language() == "en" else "sector"
    return version.entries.order_by(sector_field, "code")


@dataclass(frozen=True)
class CodeMatch:
    """How an activity code relates to a classification version: the entry that
    covers it, or else the creative codes below it (a partly creative class)."""

    code: str
    entry: ClassificationEntry | None
    narrower: list[ClassificationEntry]


def classification_match(
    *, version: ClassificationVersion | None, code: str
) -> CodeMatch:
    """Matches ``code`` against ``version`` (most specific covering entry first)."""
    code = code.strip()
    entries = {
        entry.code: entry for entry in classification_entry_list(version=version)
    }
    matched = best_match(code, entries)
    if matched:
        return CodeMatch(code=code, entry=entries[matched], narrower=[])
    narrower = sorted(
        (entry for entry in entries.values() if entry.code.startswith(code)),
        key=lambda entry: entry.code,
    )
    return CodeMatch(code=code, entry=None, narrower=narrower)


# Research runs ----------------------------------------------------------------------

# The columns of each exported table, in the order the exports promise.
EXPORT_COLUMNS = {
    "profile": (
        "region_code",
        "sector",
        "snapshot",
        "organisations",
        "employees",
        "employees_coverage",
        "organisations_base",
        "employees_base",
        "lq_organisations",
        "lq_employees",
        "cagr_organisations",
        "cagr_employees",
        "ss_national",
        "ss_industry_mix",
        "ss_regional",
        "hhi_employees",
        "cr3_employees",
        "cr5_employees",
        "cluster_stars",
        "growth_class",
    ),
    "leaders": (
        "region_code",
        "sector",
        "rank",
        "inn",
        "name",
        "employees",
        "share",
        "employees_base",
        "growth",
        "anchor",
        "growing",
    ),
    "ranking": (
        "region_code",
        "size",
        "specialisation",
        "growth",
        "competitive_shift",
        "diversity",
        "size_score",
        "specialisation_score",
        "growth_score",
        "competitive_shift_score",
        "diversity_score",
        "index",
        "rank",
        "rank_min",
        "rank_max",
    ),
}
EXPORT_MODELS = {"profile": ProfileCell, "leaders": LeaderRow, "ranking": RankingRow}


def research_run_list() -> QuerySet[ResearchRun]:
    return ResearchRun.objects.select_related(
        "classification_version__classification", "created_by"
    )


def research_run_get(*, run_id: int | str) -> ResearchRun:
    """A run by id (a number, or its digits as they come in a URL), or the latest
    successful one for ``"latest"``; 404 for anything else."""
    if run_id == "latest":
        run = research_run_latest()
        if run is None:
            raise Http404(_("No research run has finished yet."))
        return run
    # isdigit alone accepts "¹" and other digits int() refuses.
    if isinstance(run_id, str) and not (run_id.isascii() and run_id.isdigit()):
        raise Http404(_("No such research run."))
    return get_object_or_404(research_run_list(), pk=run_id)


def research_export_rows(
    *, run: ResearchRun, table: str, user: User | None = None
) -> tuple[tuple[str, ...], Iterator[tuple]]:
    """The columns and rows of one of the run's tables (``EXPORT_COLUMNS``), in
    their stored precision; a regional partner gets their regions only."""
    columns = EXPORT_COLUMNS[table]
    queryset = EXPORT_MODELS[table].objects.filter(run=run)
    if user is not None:
        queryset = queryset.visible_to(user)
    return columns, queryset.values_list(*columns).iterator()


def research_leader_list(
    *,
    run: ResearchRun,
    region_code: str,
    sector: str | None = None,
    user: User | None = None,
) -> QuerySet[LeaderRow]:
    """The industry leaders of one region in the run (of one ``sector`` when
    given), by sector and rank; a regional partner gets nothing outside their
    regions."""
    queryset = LeaderRow.objects.filter(run=run, region_code=region_code)
    if sector is not None:
        queryset = queryset.filter(sector=sector)
    if user is not None:
        queryset = queryset.visible_to(user)
    return queryset.order_by("sector", "rank", "pk")


def research_snapshot_list(*, source: str = SOURCE_FNS_RSMP) -> list[date]:
    """The snapshot dates of the register store a run can compare, oldest first."""
    return research_snapshots(registry_store(source))


def research_run_latest() -> ResearchRun | None:
    """The newest run that finished successfully, the one pages show by default."""
    return research_run_list().filter(status=ResearchRun.Status.SUCCEEDED).first()


def research_run_weights(*, run: ResearchRun) -> dict[str, float]:
    """The run's weights of the sub-scores, summing to 1 (equal when none given)."""
    return normalised_weights(run.parameters.get("weights"))


# The Russia page: the run's national picture --------------------------------------


@dataclass(frozen=True)
class RankedRegion:
    """A region's place in the ranking under some weights; ``run_rank`` is its
    rank in the run as stored, under the run's own weights."""

    region_code: str
    region: Region | None
    scores: tuple[float, ...]  # 0-100, in the order of ``SUB_SCORES``
    index: float
    rank: int
    rank_min: int
    rank_max: int
    run_rank: int

    @property
    def rank_change(self) -> int:
        """Places gained (positive) or lost (negative) against the run's rank."""
        return self.run_rank - self.rank


@dataclass(frozen=True)
class Ranking:
    weights: dict[str, float]  # summing to 1
    rows: list[RankedRegion]  # the regions the user may see, by rank
    region_count: int  # every ranked region, the "of N" of a rank
    is_reweighted: bool


def research_ranking_get(
    *, run: ResearchRun, user: User, weights: Mapping[str, float] | None = None
) -> Ranking:
    """The run's ranking under ``weights`` (the run's own when ``None``).

    Other weights are applied to the stored raw sub-scores with the engine's own
    ranking function, the same draws and seed, so no register is read again and
    the run's weights give back exactly the stored ranks and ranges. Every region
    is ranked against all the others; a regional partner gets the rows of their
    regions only. Raises ``ResearchInputError`` (field ``weights``) for weights
    the engine refuses.
    """
    stored = list(RankingRow.objects.filter(run=run).select_related("region"))
    run_weights = research_run_weights(run=run)
    wanted = run_weights if weights is None else normalised_weights(weights)
    is_reweighted = any(
        abs(wanted[name] - run_weights[name]) > 1e-12 for name in SUB_SCORES
    )
    computed: Sequence[RankingRow | EngineRankingRow] = stored
    if is_reweighted:
        parameters = {**RUN_DEFAULTS, **run.parameters}
        computed = ranking_rows(
            {
                row.region_code: {name: getattr(row, name) for name in SUB_SCORES}
                for row in stored
            },
            weights=wanted,
            draws=parameters["rank_draws"],
            seed=parameters["seed"],
        )
    by_code = {row.region_code: row for row in stored}
    visible = set(
        RankingRow.objects.filter(run=run)
        .visible_to(user)
        .values_list("region_code", flat=True)
    )
    rows = [
        RankedRegion(
            region_code=row.region_code,
            region=by_code[row.region_code].region,
            scores=tuple(getattr(row, f"{name}_score") for name in SUB_SCORES),
            index=row.index,
            rank=row.rank,
            rank_min=row.rank_min,
            rank_max=row.rank_max,
            run_rank=by_code[row.region_code].rank,
        )
        for row in sorted(computed, key=lambda row: (row.rank, row.region_code))
        if row.region_code in visible
    ]
    return Ranking(
        weights=wanted,
        rows=rows,
        region_count=len(stored),
        is_reweighted=is_reweighted,
    )


@dataclass(frozen=True)
class RegionCreativeFigures:
    """A region's creative employment at the target snapshot and its growth."""

    region_code: str
    creative_share: float | None  # of the region's employees, 0..1
    creative_cagr: float | None  # a year, from the base to the target snapshot


def research_region_figures(
    *, run: ResearchRun, user: User
) -> dict[str, RegionCreativeFigures]:
    """Creative employment of the regions the user may see, by region code; the
    CAGR is the ranking's growth sub-score, computed again from the totals."""
    years = (run.target_snapshot - run.base_snapshot).days / DAYS_PER_YEAR
    return {
        total.region_code: RegionCreativeFigures(
            region_code=total.region_code,
            creative_share=ratio(total.creative_employees, total.employees),
            creative_cagr=cagr(
                total.creative_employees_base, total.creative_employees, years
            ),
        )
        for total in RegionTotal.objects.filter(run=run).visible_to(user)
    }


@dataclass(frozen=True)
class NationalTotals:
    """The nation's creative economy in a run: aggregates of every region, which
    every user may see (they show no single region)."""

    regions: int
    organisations: int
    employees: int
    creative_organisations: int
    creative_employees: int
    creative_share: float | None  # of all employees, 0..1
    creative_cagr: float | None  # of creative employees, a year


def research_national_totals(*, run: ResearchRun) -> NationalTotals:
    totals = RegionTotal.objects.filter(run=run).aggregate(
        regions=Count("pk"),
        organisations=Sum("organisations", default=0),
        employees=Sum("employees", default=0),
        creative_organisations=Sum("creative_organisations", default=0),
        creative_employees=Sum("creative_employees", default=0),
        creative_employees_base=Sum("creative_employees_base", default=0),
    )
    years = (run.target_snapshot - run.base_snapshot).days / DAYS_PER_YEAR
    return NationalTotals(
        regions=totals["regions"],
        organisations=totals["organisations"],
        employees=totals["employees"],
        creative_organisations=totals["creative_organisations"],
        creative_employees=totals["creative_employees"],
        creative_share=ratio(totals["creative_employees"], totals["employees"]),
        creative_cagr=cagr(
            totals["creative_employees_base"], totals["creative_employees"], years
        ),
    )


@dataclass(frozen=True)
class SectorSummary:
    """A creative sector's national totals, named in the interface's language."""

    sector: str
    name: str
    organisations: int
    employees: int
    growth_employees: float | None  # over the whole period, 0..1
    cagr_employees: float | None  # a year
    regions: int  # with records of the sector at the target snapshot


def research_sector_total_list(*, run: ResearchRun) -> list[SectorSummary]:
    """The run's national sector totals, the largest employer first."""
    english = dict(
        run.classification_version.entries.exclude(sector_en="").values_list(
            "sector", "sector_en"
        )
    )
    is_english = get_language() == "en"
    return [
        SectorSummary(
            sector=total.sector,
            name=english.get(total.sector, total.sector)
            if is_english
            else total.sector,
            organisations=total.organisations,
            employees=total.employees,
            growth_employees=total.growth_employees,
            cagr_employees=total.cagr_employees,
            regions=total.regions,
        )
        for total in SectorTotal.objects.filter(run=run).order_by(
            "-employees", "sector"
        )
    ]
