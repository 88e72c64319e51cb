"""Filters of the calendar, the venues and the programmes, shared by the pages,
their exports, the ICS feed and the API.

Every FilterSet filters a queryset that a selector already scoped to the user, so
a filter can narrow what a user sees but never widen it. The format is sent as
``event_format`` (``programme_format``): ``format`` is the parameter by which the
API chooses a renderer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.utils import extend_schema_field

from creative_regions.core.filters import TextField, TextFilter
from creative_regions.programmes.models import Event, Format, Programme, Venue

REGION_CODE = re.compile(r"^[0-9]{2}$")
ID = re.compile(r"^[0-9]{1,18}$")
# Words of a search beyond these are ignored: nobody types more, and each costs
# a condition.
SEARCH_WORDS = 8


def any_choice(label, choices) -> list[tuple[str, str]]:
    """``choices`` after an empty one meaning "any", listed so the API schema
    says that an empty value is accepted."""
    return [("", label), *choices]


def text_search(queryset: QuerySet, fields: Iterable[str], text: str) -> QuerySet:
    """Rows where every word of ``text`` occurs in one of ``fields``, in any case.

    SQLite folds the case of Latin letters only, so each word is also looked up
    as typed, in lower case and capitalised: «винзавод» finds «Винзавод»."""
    fields = tuple(fields)
    condition = Q()
    for word in text.split()[:SEARCH_WORDS]:
        variants = {word, word.lower(), word.capitalize(), word.upper()}
        matches = Q()
        for field in fields:
            for variant in variants:
                matches |= Q(**{f"{field}__icontains": variant})
        condition &= matches
    return queryset.filter(condition) if condition else queryset


class RegionCodeField(TextField):
    def validate(self, value: str) -> None:
        super().validate(value)
        if value and not REGION_CODE.match(value):
            raise ValidationError(
                _("A region code is two digits, e.g. 16."), code="invalid_region"
            )


@extend_schema_field({"type": "string", "pattern": "^([0-9]{2})?$"})
class RegionFilter(TextFilter):
    """A region by its two-digit code; a code no region has finds nothing."""

    field_class = RegionCodeField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label", _("Region"))
        kwargs.setdefault("help_text", _("Region code, e.g. 16"))
        super().__init__(*args, **kwargs)

    def filter(self, queryset: QuerySet, value: str) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(**{f"{self.field_name}__code": value})


class IdField(forms.IntegerField):
    """A record's id: digits only (no sign, no spaces), as the schema says."""

    def to_python(self, value):
        if value not in self.empty_values and not ID.match(str(value)):
            raise ValidationError(_("An id is a whole number, e.g. 42."), code="id")
        return super().to_python(value)


@extend_schema_field({"type": "string", "pattern": f"^({ID.pattern[1:-1]})?$"})
class IdFilter(django_filters.NumberFilter):
    field_class = IdField


@extend_schema_field(
    {
        "anyOf": [
            {"type": "string", "format": "date"},
            {"type": "string", "maxLength": 0},
        ]
    }
)
class DateFilter(django_filters.DateFilter):
    """A date (YYYY-MM-DD); empty means no bound."""


class YearField(forms.IntegerField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 2000)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 2000, "maximum": 2100})
class YearFilter(django_filters.NumberFilter):
    field_class = YearField


class StyledFilterSet(django_filters.FilterSet):
    """Bootstrap classes on the inputs, for the pages."""

    SORTS: dict[str, tuple[str, ...]] = {}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for form_field in self.form.fields.values():
            if isinstance(form_field.widget, forms.Select):
                form_field.widget.attrs["class"] = "form-select"
            else:
                form_field.widget.attrs["class"] = "form-control"

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.order_by(*self.SORTS[value], "pk")


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
