from django.db.models import QuerySet
from rest_framework import viewsets

from creative_regions.geo.api.serializers import RegionSerializer
from creative_regions.geo.filters import RegionFilterSet
from creative_regions.geo.models import Region
from creative_regions.geo.selectors import region_get_for_user, region_list


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Subjects of the Russian Federation; a regional partner sees only their own."""

    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[Region]:
        return region_list(user=self.request.user)

    def get_object(self) -> Region:
        return region_get_for_user(user=self.request.user, code=self.kwargs["code"])
