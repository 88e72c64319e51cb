"""Reads that only the pages of organisations and people need: choices for their
filters and forms, the rows of the lists, and the preview of a people export.

Each starts from a selector of ``selectors.py``, so the region rule is the one
written there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from creative_regions.community.models import Community, Consent, Organisation, Person
from creative_regions.community.selectors import (
    ExclusionReason,
    organisation_list,
    person_consent_eligibility,
    person_list,
    search_filter,
)
from creative_regions.core.models import User

# How many organisations a picker offers at once; typing narrows them.
ORGANISATION_CHOICES_LIMIT = 50
# How many excluded people the export page names; the counts cover them all.
EXCLUDED_SHOWN = 50


def organisation_choice_list(
    *, user: User, text: str = "", selected: int | None = None
) -> list[Organisation]:
    """Organisations for a picker: those matching ``text`` (the first ones by name
    without it), with the ``selected`` one first whatever the text."""
    queryset = organisation_list(user=user).prefetch_related(None)
    queryset = queryset.select_related(None).only("pk", "full_name", "short_name")
    found = list(search_filter(queryset, text)[:ORGANISATION_CHOICES_LIMIT])
    if selected is not None and all(item.pk != selected for item in found):
        chosen = queryset.filter(pk=selected).first()
        if chosen is not None:
            found.insert(0, chosen)
    return found


def community_choice_list(*, user: User) -> QuerySet[Community]:
    """Communities the user may see, by name, for the filters."""
    return Community.objects.visible_to(user).only("pk", "name").order_by("name", "pk")


def person_page_list(*, user: User, on: date | None = None) -> QuerySet[Person]:
    """``person_list`` with each person's consents in force on ``on`` (today) as
    ``valid_consents``, which the list shows by purpose."""
    day = on or timezone.localdate()
    return person_list(user=user, on=day).prefetch_related(
        Prefetch(
            "consents",
            queryset=Consent.objects.valid_on(day).order_by("purpose"),
            to_attr="valid_consents",
        )
    )


@dataclass(frozen=True)
class ExclusionCount:
    reason: str
    label: str
    count: int


@dataclass(frozen=True)
class ExportPreview:
    """What a people export for ``purpose`` would hold: how many people go into
    the file, how many are left out and why, and the first of those left out."""

    purpose: str
    total: int
    eligible: int
    excluded: int
    reasons: list[ExclusionCount]
    excluded_people: list[Person]


def person_export_preview(
    *, user: User, purpose: str, people: QuerySet[Person]
) -> ExportPreview:
    """Splits ``people`` (a list the user sees, already filtered) by their consent
    for ``purpose`` today, as ``services.person_export`` will when it writes the
    file."""
    eligibility = person_consent_eligibility(user=user, purpose=purpose, people=people)
    eligible = eligibility.eligible.order_by().count()
    by_reason = dict(
        eligibility.excluded.order_by()
        .values_list("exclusion_reason")
        .annotate(count=Count("pk"))
    )
    reasons = [
        ExclusionCount(
            reason=reason.value, label=reason.label, count=by_reason[reason.value]
        )
        for reason in ExclusionReason
        if by_reason.get(reason.value)
    ]
    excluded = sum(item.count for item in reasons)
    shown = list(eligibility.excluded[:EXCLUDED_SHOWN]) if excluded else []
    return ExportPreview(
        purpose=purpose,
        total=eligible + excluded,
        eligible=eligible,
        excluded=excluded,
        reasons=reasons,
        excluded_people=shown,
    )


@dataclass(frozen=True)
class DeletionEffects:
    """What goes with a record when it is deleted, for the confirmation page."""

    affiliations: int
    memberships: int
    consents: int = 0


def organisation_deletion_effects(*, organisation: Organisation) -> DeletionEffects:
    return DeletionEffects(
        affiliations=organisation.affiliations.count(),
        memberships=organisation.memberships.count(),
    )


def person_deletion_effects(*, person: Person) -> DeletionEffects:
    return DeletionEffects(
        affiliations=person.affiliations.count(),
        memberships=person.memberships.count(),
        consents=person.consents.count(),
    )
