import django_filters
from django.db.models import F, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from creative_regions.core.filters import TextFilter
from creative_regions.core.text import search_normalise
from creative_regions.geo.models import Region


class RegionFilterSet(django_filters.FilterSet):
    """Filters of the region list, shared by the page, the export and the API."""

    q = TextFilter(
        label=_("Search"), method="filter_search", help_text=_("Name, code or centre")
    )
    federal_district = django_filters.ChoiceFilter(
        label=_("Federal district"),
        choices=Region.FederalDistrict.choices,
        empty_label=_("All districts"),
    )
    # A strict choice: an invalid value is an error, never silently "any".
    is_added_2022 = django_filters.ChoiceFilter(
        label=_("Added in 2022"),
        # The empty value means "any", as for every filter; listed so the API
        # schema says so.
        choices=(("", _("any")), ("true", _("yes")), ("false", _("no"))),
        method="filter_is_added_2022",
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        method="filter_sort",
        empty_label=_("District and name"),
        choices=(
            ("name", _("Name")),
            ("code", _("Code")),
            ("-population", _("Population, largest first")),
            ("population", _("Population, smallest first")),
        ),
    )

    class Meta:
        model = Region
        fields = ("q", "federal_district", "is_added_2022")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("federal_district", "sort"):
            self.form.fields[name].widget.attrs["class"] = "form-select"

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for word in search_normalise(value).split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def filter_is_added_2022(
        self, queryset: QuerySet, name: str, value: str
    ) -> QuerySet:
        return queryset.filter(is_added_2022=value == "true")

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        name_field = "name_en" if get_language() == "en" else "name_ru"
        if value == "name":
            return queryset.order_by(name_field)
        if value in {"population", "-population"}:
            nulls_last = F("population").desc(nulls_last=True)
            if value == "population":
                nulls_last = F("population").asc(nulls_last=True)
            return queryset.order_by(nulls_last, name_field)
        return queryset.order_by(value)
