"""Filters of the programmes API. Events, venues and programmes use the pages'
FilterSets as they are; registrations the delegate list's, with the event to
choose it by. The records the pages reach only through an event (sessions,
delegations, attendance, feedback, placements, outcomes) are filtered here by
event and by what they point at.

Every FilterSet filters a queryset a selector already scoped to the user, so a
filter narrows what a user sees and never widens it. Ids and region codes take
the shapes the schema states, so a client is never refused a value it allows.
"""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from creative_regions.programmes.filters import (
    DateFilter,
    IdFilter,
    RegionFilter,
    any_choice,
)
from creative_regions.programmes.filters_people import RegistrationFilterSet
from creative_regions.programmes.models import (
    Attendance,
    Delegation,
    Feedback,
    InternshipPlacement,
    Outcome,
    Registration,
    Session,
    VenuePhoto,
)


class RegistrationApiFilterSet(RegistrationFilterSet):
    """The delegate list's filter over every event the user may see."""

    event = IdFilter(label=_("Event"), field_name="event_id")
    delegation = IdFilter(label=_("Delegation"), field_name="delegation_id")
    region = RegionFilter(
        field_name="person__region",
        help_text=_("The person's region: region code, e.g. 16"),
    )

    class Meta:
        model = Registration
        fields = (
            "event",
            "q",
            "status",
            "delegation",
            "region",
            "role",
            "source",
            "attended",
        )


class SessionFilterSet(django_filters.FilterSet):
    event = IdFilter(label=_("Event"), field_name="event_id")
    venue = IdFilter(label=_("Venue"), field_name="venue_id")
    date_from = DateFilter(label=_("From"), field_name="day", lookup_expr="gte")
    date_to = DateFilter(label=_("To"), field_name="day", lookup_expr="lte")

    class Meta:
        model = Session
        fields = ("event", "venue", "date_from", "date_to")


class DelegationFilterSet(django_filters.FilterSet):
    event = IdFilter(label=_("Event"), field_name="event_id")
    region = RegionFilter(help_text=_("The sending region: region code, e.g. 16"))

    class Meta:
        model = Delegation
        fields = ("event", "region")


class AttendanceFilterSet(django_filters.FilterSet):
    event = IdFilter(label=_("Event"), field_name="session__event_id")
    session = IdFilter(label=_("Session"), field_name="session_id")
    registration = IdFilter(label=_("Registration"), field_name="registration_id")

    class Meta:
        model = Attendance
        fields = ("event", "session", "registration")


class FeedbackFilterSet(django_filters.FilterSet):
    event = IdFilter(label=_("Event"), field_name="registration__event_id")

    class Meta:
        model = Feedback
        fields = ("event",)


class PlacementFilterSet(django_filters.FilterSet):
    event = IdFilter(label=_("Event"), field_name="event_id")
    participant = IdFilter(label=_("Participant"), field_name="participant_id")
    host = IdFilter(label=_("Host organisation"), field_name="host_id")

    class Meta:
        model = InternshipPlacement
        fields = ("event", "participant", "host")


class OutcomeFilterSet(django_filters.FilterSet):
    event = IdFilter(label=_("Event"), field_name="event_id")
    kind = django_filters.ChoiceFilter(
        label=pgettext_lazy("outcome", "Kind"),
        choices=any_choice(_("Any kind"), Outcome.Kind.choices),
        empty_label=None,
    )
    organisation = IdFilter(label=_("Organisation"), field_name="organisation_id")

    class Meta:
        model = Outcome
        fields = ("event", "kind", "organisation")


class VenuePhotoFilterSet(django_filters.FilterSet):
    venue = IdFilter(label=_("Venue"), field_name="venue_id")

    class Meta:
        model = VenuePhoto
        fields = ("venue",)
