"""The people part of an event's page: the tabs of its delegations, delegates,
attendance, feedback, placements and meetings, with their counts, as the user
may see them.

{% load programmes_people %}
{% people_summary event as people %}
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import template
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from creative_regions.core.models import sees_all_regions
from creative_regions.programmes import selectors, services
from creative_regions.programmes.models import Event

register = template.Library()

# Meetings an event's page lists; the meetings tab has them all.
MEETINGS_SHOWN = 5


@dataclass(frozen=True)
class PeopleTab:
    key: str
    label: str
    url: str
    count: int | None = None


@dataclass(frozen=True)
class PeopleSummary:
    tabs: list[PeopleTab]
    totals: selectors.RegistrationTotals | None
    # The places of the whole event, whoever holds them.
    places: selectors.RegistrationTotals | None
    meetings: list = field(default_factory=list)
    meeting_count: int = 0
    is_outreach: bool = False


@register.simple_tag(takes_context=True)
def people_summary(context, event: Event) -> PeopleSummary | None:
    """Tabs and figures of the people at ``event`` for the signed-in user; the
    counts cover only the delegations and registrations the user may see."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or event is None:
        return None
    registrations = selectors.registration_list(user=user, event=event)
    totals = selectors.registration_totals(registrations, event)
    delegations = selectors.delegation_list(user=user, event=event).count()
    meetings: QuerySet = selectors.meeting_list(user=user, event=event)
    meeting_count = meetings.count()
    is_outreach = event.format == Event.Format.OUTREACH_VISIT

    def url(name: str) -> str:
        return reverse(f"programmes:{name}", args=[event.pk])

    tabs = [
        PeopleTab(
            "delegations", str(_("Delegations")), url("delegation-list"), delegations
        ),
        PeopleTab(
            "registrations",
            str(_("Delegates")),
            url("registration-list"),
            totals.registered,
        ),
        PeopleTab("attendance", str(_("Attendance")), url("attendance-grid")),
        PeopleTab(
            "feedback",
            str(pgettext_lazy("event", "Feedback")),
            url("feedback-results"),
        ),
    ]
    if event.format == Event.Format.INTERNSHIP:
        tabs.append(
            PeopleTab(
                "placements",
                str(_("Placements")),
                url("placement-list"),
                selectors.placement_list(user=user, event=event).count(),
            )
        )
    if is_outreach or meeting_count:
        tabs.append(
            PeopleTab(
                "meetings", str(_("Meetings")), url("meeting-list"), meeting_count
            )
        )
    return PeopleSummary(
        tabs=tabs,
        totals=totals,
        places=(
            totals
            if sees_all_regions(user)
            else selectors.registration_totals(event.registrations.all(), event)
        ),
        meetings=list(meetings[:MEETINGS_SHOWN]) if meeting_count else [],
        meeting_count=meeting_count,
        is_outreach=is_outreach,
    )


@register.simple_tag(takes_context=True)
def can_record_meetings(context) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    return user is not None and services.user_is_programme_staff(user)
