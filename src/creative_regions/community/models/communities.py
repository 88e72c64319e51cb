"""Communities the agency forms in the regions, and their members."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from creative_regions.community.models.base import AnyRegionScopedQuerySet
from creative_regions.core.models import (
    RegionScopedQuerySet,
    User,
    partner_region_ids,
    sees_all_regions,
)
from creative_regions.core.text import search_normalise


class CommunityQuerySet(AnyRegionScopedQuerySet):
    region_lookup = "regions"


class Community(models.Model):
    """A community of a region or several (a designers' club, a producers' circle)
    with its sectors, coordinator and members."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DORMANT = "dormant", _("Dormant")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    regions = models.ManyToManyField(
        "geo.Region", verbose_name=_("regions"), related_name="communities"
    )
    sectors = models.ManyToManyField(
        "community.Sector",
        verbose_name=_("creative sectors"),
        blank=True,
        related_name="communities",
    )
    coordinator = models.ForeignKey(
        "community.Person",
        verbose_name=_("coordinator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_communities",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    search_text = models.TextField(editable=False, default="")

    objects = CommunityQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[regions, sectors], excluded_fields=["search_text"]
    )

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ("name", "pk")
        indexes = [models.Index(fields=("name",), name="community_community_name")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_text = search_normalise(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)


class MembershipQuerySet(RegionScopedQuerySet):
    region_lookup = "community__regions"

    def visible_to(self, user: User | AnonymousUser) -> MembershipQuerySet:
        """A partner sees the members from their regions of the communities of
        their regions: a member from elsewhere is another region's record."""
        if not user.is_authenticated:
            return self.none()
        if sees_all_regions(user):
            return self.all()
        return self.in_regions(partner_region_ids(user))

    def in_regions(self, region_ids) -> MembershipQuerySet:
        links = Community.regions.through.objects.filter(
            community_id=models.OuterRef("community_id"), region_id__in=region_ids
        )
        return self.filter(
            models.Q(person__region__in=region_ids)
            | models.Q(organisation__region__in=region_ids),
            models.Exists(links),
        )

    def active(self) -> MembershipQuerySet:
        return self.filter(status=CommunityMembership.Status.ACTIVE)


class CommunityMembership(models.Model):
    """A person or an organisation (exactly one) in a community. Leaving sets the
    status and date, so the community's past members stay on record."""

    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        ACTIVE = "active", _("Active")
        LEFT = "left", _("Left")

    community = models.ForeignKey(
        Community,
        verbose_name=_("community"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    person = models.ForeignKey(
        "community.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        "community.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    role = models.CharField(_("role in the community"), max_length=200, blank=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("community member")
        verbose_name_plural = _("community members")
        ordering = ("community", "-joined_on", "pk")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, organisation__isnull=True)
                | models.Q(person__isnull=True, organisation__isnull=False),
                name="community_membership_one_member",
                violation_error_message=_(
                    "A member is either a person or an organisation: choose exactly "
                    "one of them."
                ),
            ),
            models.UniqueConstraint(
                fields=("community", "person"),
                condition=models.Q(person__isnull=False),
                name="community_membership_unique_person",
                violation_error_message=_(
                    "This person is already a member of the community."
                ),
            ),
            models.UniqueConstraint(
                fields=("community", "organisation"),
                condition=models.Q(organisation__isnull=False),
                name="community_membership_unique_organisation",
                violation_error_message=_(
                    "This organisation is already a member of the community."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="community_membership_left_after_joined",
                violation_error_message=_(
                    "The date of leaving must not be before the date of joining."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community}: {self.member}"

    @property
    def member(self):
        return self.person if self.person_id else self.organisation
