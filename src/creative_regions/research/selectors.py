"""Reads of the research app: classifications and their codes."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

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
    return version.entries.order_by("sector", "code")


def classification_match(
    *, classification: Classification, code: str
) -> ClassificationEntry | None:
    """The entry of the active version that covers ``code`` (most specific first)."""
    entries = {
        entry.code: entry
        for entry in classification_entry_list(version=classification.active_version)
    }
    matched = best_match(code.strip(), entries)
    return entries[matched] if matched else None
