"""Reads of the research app: classifications and their codes."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import get_language

from creative_regions.research.models import (
    Classification,
    ClassificationEntry,
    ClassificationVersion,
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
