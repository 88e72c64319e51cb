"""Reads of the research app: classifications and their codes, research runs and
their results."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from creative_regions.core.models import User
from creative_regions.research.models import (
    Classification,
    ClassificationEntry,
    ClassificationVersion,
    LeaderRow,
    ProfileCell,
    RankingRow,
    ResearchRun,
)
from creative_regions.research.parsers import best_match


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
    """A run by id, or the latest successful one for ``"latest"``; 404 otherwise."""
    runs = research_run_list()
    if run_id == "latest":
        run = runs.filter(status=ResearchRun.Status.SUCCEEDED).first()
        if run is None:
            raise Http404(_("No research run has finished yet."))
        return run
    return get_object_or_404(runs, pk=run_id)


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
