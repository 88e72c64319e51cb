"""Filters of the delegate list of an event, shared by the page and its exports.

The FilterSet filters registrations a selector already scoped to the user (a
regional partner's regions), so a filter can narrow the list but never widen it.
"""

from __future__ import annotations

import django_filters
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from creative_regions.core.filters import (
    IdFilter,
    RegionCodeField,
    StyledFilterSet,
    TextFilter,
)
from creative_regions.core.text import search_normalise
from creative_regions.programmes.models import Attendance, Registration

BOOLEAN_CHOICES = (("", _("any")), ("true", _("yes")), ("false", _("no")))


class RegionFilter(TextFilter):
    """A person's region by its two-digit code."""

    field_class = RegionCodeField


def _attended() -> Q:
    """Present at a session of the itinerary, or checked in at the door."""
    return Q(Exists(Attendance.objects.filter(registration_id=OuterRef("pk")))) | Q(
        checked_in_at__isnull=False
    )


class RegistrationFilterSet(StyledFilterSet):
    """Who is registered for an event: by status, delegation, region, role,
    source and attendance, searched by name or e-mail, sorted by any column."""

    q = TextFilter(
        label=_("Search"),
        method="filter_search",
        help_text=_("Name, e-mail or phone"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("", _("Any status")), *Registration.Status.choices],
        empty_label=None,
    )
    delegation = IdFilter(label=_("Delegation"), field_name="delegation_id")
    region = RegionFilter(
        label=_("Region"),
        method="filter_region",
        help_text=_("Region code, e.g. 16"),
    )
    role = TextFilter(
        label=pgettext_lazy("delegation", "Role"), field_name="role__code"
    )
    source = django_filters.ChoiceFilter(
        label=_("Source"),
        choices=[("", _("Any source")), *Registration.Source.choices],
        empty_label=None,
    )
    attended = django_filters.ChoiceFilter(
        label=pgettext_lazy("registration", "Attended"),
        choices=BOOLEAN_CHOICES,
        method="filter_attended",
        empty_label=None,
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        method="filter_sort",
        empty_label=None,
        choices=(
            ("", _("In the order of registration")),
            ("-registered", _("Newest registrations first")),
            ("name", _("Name")),
            ("-name", _("Name, Z to A")),
            ("region", _("Region")),
            ("-region", _("Region, last first")),
            ("delegation", _("Delegation")),
            ("-delegation", _("Delegation, last first")),
            ("role", _("Role")),
            ("-role", _("Role, Z to A")),
            ("status", _("Status")),
            ("-status", _("Status, reversed")),
            ("source", _("Source")),
            ("-source", _("Source, reversed")),
            ("attended", _("Sessions attended, fewest first")),
            ("-attended", _("Sessions attended, most first")),
        ),
    )

    NAME = ("person__surname", "person__first_name", "person__patronymic")
    SORTS: dict[str, tuple] = {
        "-registered": ("-queued_at",),
        "name": NAME,
        "-name": tuple(f"-{field}" for field in NAME),
        "region": ("person__region__code", *NAME),
        "-region": ("-person__region__code", *NAME),
        "delegation": (F("delegation__region__code").asc(nulls_last=True), *NAME),
        "-delegation": (F("delegation__region__code").desc(nulls_last=True), *NAME),
        "role": (F("role__code").asc(nulls_last=True), *NAME),
        "-role": (F("role__code").desc(nulls_last=True), *NAME),
        "status": ("status", *NAME),
        "-status": ("-status", *NAME),
        "source": ("source", *NAME),
        "-source": ("-source", *NAME),
        "attended": ("sessions_attended", *NAME),
        "-attended": ("-sessions_attended", *NAME),
    }

    class Meta:
        model = Registration
        fields = ("q", "status", "delegation", "region", "role", "source", "attended")

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Every word in the person's names, e-mail or phone, ё read as е, as the
        # community searches; but no fuzzy matches: in one event's list,
        # "alsu@example" must not bring everyone at example.org.
        words = search_normalise(value).split()
        condition = Q()
        for word in words:
            condition &= Q(person__search_text__contains=word)
        return queryset.filter(condition)

    def filter_region(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(person__region__code=value)

    def filter_attended(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(_attended() if value == "true" else ~_attended())

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        ordering = self.SORTS[value]
        if value in ("attended", "-attended"):
            queryset = queryset.annotate(
                sessions_attended=Count("attendances", distinct=True)
            )
        return queryset.order_by(*ordering, "queued_at", "pk")
