"""Reads of the geo app, already scoped to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import get_language

from creative_regions.core.models import User
from creative_regions.geo.models import Region


def region_list(*, user: User) -> QuerySet[Region]:
    """Regions the user may see (all for staff, their own for a regional partner),
    by name in the interface's language."""
    name_field = "name_en" if get_language() == "en" else "name_ru"
    return Region.objects.visible_to(user).order_by(name_field)


def region_get_for_user(*, user: User, code: str) -> Region:
    """The region with ``code`` if the user may see it; 404 otherwise, so a partner
    cannot tell another region's record from a missing one."""
    try:
        return region_list(user=user).get(code=code)
    except Region.DoesNotExist as error:
        raise Http404("No such region.") from error


@dataclass(frozen=True)
class DistrictGroup:
    district: str
    label: str
    regions: list[Region]


def region_group_by_district(regions: QuerySet[Region]) -> list[DistrictGroup]:
    """Regions grouped by federal district in the official order; regions with no
    district (the four added in 2022) come last."""
    groups: dict[str, list[Region]] = {value: [] for value in Region.FederalDistrict}
    groups[""] = []
    for region in regions:
        groups[region.federal_district].append(region)
    labels = dict(Region.FederalDistrict.choices)
    return [
        DistrictGroup(
            district=district,
            label=str(labels.get(district, "")),
            regions=members,
        )
        for district, members in groups.items()
        if members
    ]


def region_map_layout() -> QuerySet[Region]:
    """Every region's tile position and name for drawing the map. The layout of the
    country is public reference; values and links come only from ``region_list``."""
    return Region.objects.only(
        "code", "name_ru", "name_en", "short_ru", "short_en", "grid_row", "grid_col"
    )
