"""Reads behind the pages of communities, interactions, follow-ups and the dialogue
with the authorities that ``selectors.py`` does not already give.

Like every selector, each starts from ``visible_to(user)``, so a regional
partner's pages hold only their regions' records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from creative_regions.community.models import (
    Affiliation,
    FollowUp,
    Interaction,
    Organisation,
    Person,
)
from creative_regions.community.selectors import (
    follow_up_list_for_owner,
    search_filter,
)
from creative_regions.core.models import User
from creative_regions.geo.models import Region

AUTHORITY_KINDS = Organisation.Kind.authorities()


def _count(queryset: QuerySet, group_by: str) -> Coalesce:
    """The number of rows of ``queryset`` (filtered on an ``OuterRef``) as a
    subquery, 0 when there are none."""
    counted = (
        queryset.order_by()
        .values(group_by)
        .annotate(total=Count("pk"))
        .values("total")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _with_authorities() -> Exists:
    return Exists(
        Interaction.organisations.through.objects.filter(
            interaction_id=OuterRef("pk"), organisation__kind__in=AUTHORITY_KINDS
        )
    )


# Follow-ups ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpCounts:
    """How many follow-ups a list holds, and how many of them are open and
    overdue."""

    total: int
    open: int
    overdue: int


def follow_up_counts_for_owner(
    *, user: User, include_closed: bool = False, today: date | None = None
) -> FollowUpCounts:
    """The counts of "my follow-ups" (``follow_up_list_for_owner`` with the same
    arguments) in one query, so the page's header and its paginator need not
    read every row."""
    today = today or timezone.localdate()
    follow_ups = follow_up_list_for_owner(
        user=user, include_closed=include_closed, today=today
    )
    # The rule of ``FollowUpQuerySet.overdue`` written out: an aggregate that
    # filters on the ``overdue`` annotation loses the annotation's SQL.
    counts = follow_ups.order_by().aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status=FollowUp.Status.OPEN)),
        overdue=Count("pk", filter=Q(status=FollowUp.Status.OPEN, due_on__lt=today)),
    )
    return FollowUpCounts(**counts)


# The dialogue with the authorities ----------------------------------------------------


def dialogue_region_list(*, user: User, today: date | None = None) -> QuerySet[Region]:
    """Regions the user sees where the agency has met the authorities, the most
    recent contact first, each with ``authority_interaction_count``,
    ``last_contact``, ``open_follow_up_count`` and ``overdue_follow_up_count``."""
    today = today or timezone.localdate()
    interactions = (
        Interaction.objects.visible_to(user)
        .filter(_with_authorities())
        .filter(region_id=OuterRef("pk"))
    )
    follow_ups = (
        FollowUp.objects.visible_to(user)
        .open()
        .filter(
            interaction__region_id=OuterRef("pk"),
            interaction__in=Interaction.objects.filter(_with_authorities()),
        )
    )
    return (
        Region.objects.visible_to(user)
        .annotate(
            authority_interaction_count=_count(interactions, "region_id"),
            last_contact=Subquery(
                interactions.order_by("-occurred_on").values("occurred_on")[:1]
            ),
            open_follow_up_count=_count(follow_ups, "interaction__region_id"),
            overdue_follow_up_count=_count(
                follow_ups.filter(due_on__lt=today), "interaction__region_id"
            ),
        )
        .filter(authority_interaction_count__gt=0)
        .order_by(F("last_contact").desc(nulls_last=True), "code")
    )


def authority_organisation_list(
    *, user: User, region: Region, today: date | None = None
) -> QuerySet[Organisation]:
    """The region's regional and municipal authorities, the most recently met
    first, with ``last_contact``, ``interaction_count`` and the people working
    there now (``current_affiliations``), so the page says whom to ask for."""
    today = today or timezone.localdate()
    links = Interaction.organisations.through.objects.filter(
        organisation_id=OuterRef("pk"),
        interaction__in=Interaction.objects.visible_to(user).values("pk"),
    )
    return (
        Organisation.objects.visible_to(user)
        .authorities()
        .filter(region=region)
        .annotate(
            last_contact=Subquery(
                links.order_by("-interaction__occurred_on").values(
                    "interaction__occurred_on"
                )[:1]
            ),
            interaction_count=_count(links, "organisation_id"),
        )
        .prefetch_related(
            Prefetch(
                "affiliations",
                queryset=Affiliation.objects.visible_to(user)
                .current(today)
                .select_related("person")
                .order_by("person__surname", "person__first_name", "pk"),
                to_attr="current_affiliations",
            )
        )
        .order_by(F("last_contact").desc(nulls_last=True), "full_name", "pk")
    )


# Choices of the forms -----------------------------------------------------------------


def agency_staff_list() -> QuerySet[User]:
    """Active users who are agency staff (not regional partners), by name: who
    can be listed as having taken part for the agency."""
    return (
        User.objects.filter(is_active=True)
        .exclude(role=User.Role.PARTNER, is_superuser=False)
        .order_by("last_name", "first_name", "username")
    )


def follow_up_owner_list(*, region: Region | None = None) -> QuerySet[User]:
    """Who may own a follow-up: active staff and, when the interaction's region
    is known, the partners of that region."""
    partners = Q(role=User.Role.PARTNER, is_superuser=False)
    allowed = ~partners
    if region is not None:
        allowed |= partners & Q(regions=region)
    return (
        User.objects.filter(is_active=True)
        .filter(allowed)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def participant_search(
    *,
    user: User,
    kind: str,
    text: str,
    region: Region | None = None,
    exclude: list[int] | None = None,
    limit: int = 15,
) -> list[Person] | list[Organisation]:
    """People (``kind`` "person") or organisations the user sees whose names
    match ``text``, those of ``region`` first, for the pickers of the forms."""
    model = Person if kind == "person" else Organisation
    queryset = model.objects.visible_to(user).select_related("region")
    if exclude:
        queryset = queryset.exclude(pk__in=exclude)
    queryset = search_filter(queryset, text)
    if region is not None:
        ordering = queryset.query.order_by or model._meta.ordering
        queryset = queryset.alias(
            is_elsewhere=Case(
                When(region=region, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("is_elsewhere", *ordering)
    return list(queryset[:limit])
