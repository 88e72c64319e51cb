"""Filters of the research API's result tables."""

import django_filters

from creative_regions.research.models import GrowthClass, LeaderRow, ProfileCell


class ProfileCellFilterSet(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="region_code")
    sector = django_filters.CharFilter()
    growth_class = django_filters.ChoiceFilter(choices=GrowthClass.choices)
    is_growth_point = django_filters.BooleanFilter()

    class Meta:
        model = ProfileCell
        fields = ("region", "sector", "growth_class", "is_growth_point")


class LeaderRowFilterSet(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="region_code")
    sector = django_filters.CharFilter()

    class Meta:
        model = LeaderRow
        fields = ("region", "sector")
