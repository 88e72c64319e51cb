"""What every community model shares: normalised input and region scoping."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib.auth.models import AnonymousUser
from django.db import models

from creative_regions.core.models import (
    RegionScopedQuerySet,
    User,
    partner_region_ids,
    sees_all_regions,
)


def normalise_fields(
    instance: models.Model,
    normalisers: dict[str, Callable],
    exclude: Iterable[str] | None = None,
) -> None:
    """Puts identifiers and contacts in their canonical form before the field
    validators run, so the admin, the API and forms all store the same shape."""
    excluded = set(exclude or ())
    for name, normalise in normalisers.items():
        if name not in excluded:
            setattr(instance, name, normalise(getattr(instance, name)))


class AnyRegionScopedQuerySet(RegionScopedQuerySet):
    """A record reached through a many-to-many to regions (a community of several
    regions) is visible when any of its regions is the partner's; ``Exists`` keeps
    each record once however many of its regions match."""

    def _through(self) -> type[models.Model]:
        return self.model._meta.get_field(self.region_lookup).remote_field.through

    def _with_any_region(self, region_ids) -> AnyRegionScopedQuerySet:
        owner = f"{self.model._meta.model_name}_id"
        links = self._through().objects.filter(
            **{owner: models.OuterRef("pk"), "region_id__in": region_ids}
        )
        return self.filter(models.Exists(links))

    def visible_to(self, user: User | AnonymousUser) -> AnyRegionScopedQuerySet:
        if not user.is_authenticated:
            return self.none()
        if sees_all_regions(user):
            return self.all()
        return self._with_any_region(partner_region_ids(user))

    def in_regions(self, region_ids: Iterable[int]) -> AnyRegionScopedQuerySet:
        return self._with_any_region(list(region_ids))
