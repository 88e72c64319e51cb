"""Filters of the calendar, the venues and the programmes, shared by the pages,
their exports, the ICS feed and the API.

Every FilterSet filters a queryset that a selector already scoped to the user, so
a filter can narrow what a user sees but never widen it. The format is sent as
``event_format`` (``programme_format``): ``format`` is the parameter by which the
API chooses a renderer.
"""

from __future__ import annotations

from collections.abc import Iterable

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Replace
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.utils import extend_schema_field

from creative_regions.core.filters import (
    DateFilter,
    IdFilter,
    RegionFilter,
    StyledFilterSet,
    TextFilter,
    any_choice,
)
from creative_regions.programmes.models import Event, Format, Programme, Venue

# Words of a search beyond these are ignored: nobody types more, and each costs
# a condition.
SEARCH_WORDS = 8


def _without_yo(expression):
    """ё read as е, so «Берёзка» and «Березка» find each other."""
    for yo, ye in (("ё", "е"), ("Ё", "Е")):
        expression = Replace(expression, Value(yo), Value(ye))
    return expression


def text_search(queryset: QuerySet, fields: Iterable[str], text: str) -> QuerySet:
    """Rows where every word of ``text`` occurs in one of ``fields``, in any case,
    with ё and е taken as one letter.

    SQLite folds the case of Latin letters only, so each word is also looked up
    as typed, in lower case and capitalised: «винзавод» finds «Винзавод»."""
    fields = tuple(fields)
    words = text.replace("ё", "е").replace("Ё", "Е").split()[:SEARCH_WORDS]
    if not words:
        return queryset
    queryset = queryset.annotate(
        **{f"{field}_without_yo": _without_yo(F(field)) for field in fields}
    )
    condition = Q()
    for word in words:
        variants = {word, word.lower(), word.capitalize(), word.upper()}
        matches = Q()
        for field in fields:
            for variant in variants:
                matches |= Q(**{f"{field}_without_yo__icontains": variant})
        condition &= matches
    return queryset.filter(condition)


class YearField(forms.IntegerField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 2000)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 2000, "maximum": 2100})
class YearFilter(django_filters.NumberFilter):
    field_class = YearField


class EventFilterSet(StyledFilterSet):
    """The calendar's filter: format, region, status, programme, dates, words of
    the title or the city."""

    q = TextFilter(
        label=_("Search"), method="filter_search", help_text=_("Title or city")
    )
    event_format = django_filters.ChoiceFilter(
        label=_("Format"),
        field_name="format",
        choices=any_choice(_("All formats"), Format.choices),
        empty_label=None,
    )
    region = RegionFilter(help_text=_("Where the event takes place: region code"))
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=any_choice(_("Any status"), Event.Status.choices),
        empty_label=None,
    )
    programme = IdFilter(label=_("Programme"), field_name="programme_id")
    date_from = DateFilter(
        label=_("From"),
        field_name="ends_on",
        lookup_expr="gte",
        help_text=_("Events running on this day or later"),
    )
    date_to = DateFilter(
        label=_("To"),
        field_name="starts_on",
        lookup_expr="lte",
        help_text=_("Events running on this day or earlier"),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        method="filter_sort",
        empty_label=None,
        choices=(
            ("", _("Latest first")),
            ("starts_on", _("Earliest first")),
            ("title", pgettext_lazy("sort", "Title")),
        ),
    )
    SORTS = {
        "starts_on": ("starts_on", "ends_on"),
        "title": ("title",),
    }

    class Meta:
        model = Event
        fields = (
            "q",
            "event_format",
            "region",
            "status",
            "programme",
            "date_from",
            "date_to",
        )

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return text_search(queryset, ("title", "city"), value)


class VenueFilterSet(StyledFilterSet):
    q = TextFilter(
        label=_("Search"),
        method="filter_search",
        help_text=_("Name, city or address"),
    )
    kind = django_filters.ChoiceFilter(
        label=pgettext_lazy("venue", "Kind"),
        choices=any_choice(_("All kinds"), Venue.Kind.choices),
        empty_label=None,
    )
    region = RegionFilter()
    city = TextFilter(label=_("City"), method="filter_city")
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        method="filter_sort",
        empty_label=None,
        choices=(
            ("", _("Name")),
            ("-name", _("Name, Z to A")),
            ("city", _("City")),
            ("-sessions", _("Most visited first")),
        ),
    )
    SORTS = {
        "-name": ("-name",),
        "city": ("city", "name"),
        "-sessions": ("-session_count", "name"),
    }

    class Meta:
        model = Venue
        fields = ("q", "kind", "region", "city")

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return text_search(queryset, ("name", "city", "address"), value)

    def filter_city(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        city = " ".join(value.split())
        return text_search(queryset, ("city",), city) if city else queryset


class ProgrammeFilterSet(StyledFilterSet):
    q = TextFilter(label=_("Search"), method="filter_search", help_text=_("Name"))
    programme_format = django_filters.ChoiceFilter(
        label=_("Format"),
        field_name="format",
        choices=any_choice(_("All formats"), Format.choices),
        empty_label=None,
    )
    year = YearFilter(label=_("Year"), field_name="year")
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        method="filter_sort",
        empty_label=None,
        choices=(
            ("", _("Latest year first")),
            ("year", _("Earliest year first")),
            ("name", _("Name")),
            ("-name", _("Name, Z to A")),
            ("-events", _("Most events first")),
        ),
    )
    SORTS = {
        "year": ("year", "name"),
        "name": ("name",),
        "-name": ("-name",),
        "-events": ("-event_count", "name"),
    }

    class Meta:
        model = Programme
        fields = ("q", "programme_format", "year")

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return text_search(queryset, ("name",), value)
