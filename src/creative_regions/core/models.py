"""Users, roles and the regional-partner rule every region-scoped model inherits."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from collections.abc import Iterable


class User(AbstractUser):
    """A person who signs in: agency staff or a regional partner.

    A regional partner is bound to one or more regions and sees only their records;
    every other role sees the whole country.
    """

    class Role(models.TextChoices):
        ADMINISTRATOR = "administrator", _("Administrator")
        MANAGER = "manager", _("Agency staff (manager)")
        ANALYST = "analyst", _("Analyst")
        EXPERT = "expert", _("Expert")
        PARTNER = "partner", _("Regional partner")

    # Least privilege by default: a new account sees nothing until given a role.
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.PARTNER
    )
    regions = models.ManyToManyField(
        "geo.Region",
        verbose_name=_("regions"),
        blank=True,
        related_name="partner_users",
        help_text=_("For a regional partner: the regions whose records they may see."),
    )
    history = HistoricalRecords(m2m_fields=[regions], excluded_fields=["last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self) -> None:
        super().clean()
        if self.role == self.Role.PARTNER and (self.is_superuser or self.is_staff):
            raise ValidationError(
                {
                    "role": _(
                        "A regional partner cannot be staff or a superuser: they "
                        "would see every region. Choose another role or clear those "
                        "flags."
                    )
                }
            )

    @property
    def is_partner(self) -> bool:
        return self.role == self.Role.PARTNER and not self.is_superuser

    def has_role(self, *roles: str) -> bool:
        """True when the user holds one of ``roles``; administrators hold them all."""
        if self.is_superuser or self.role == self.Role.ADMINISTRATOR:
            return True
        return self.role in roles


def sees_all_regions(user: User | AnonymousUser) -> bool:
    """Staff of every role see the whole country; a partner sees their own regions."""
    return bool(user.is_authenticated) and not user.is_partner  # type: ignore[union-attr]


class RegionScopedQuerySet(models.QuerySet):
    """Base queryset of every model whose records belong to a region.

    ``region_lookup`` names the path from the model to ``geo.Region``'s primary key,
    e.g. ``"region"`` or ``"organisation__region"``; the rule of who sees what is
    written here once.
    """

    region_lookup: str = "region"

    def visible_to(self, user: User | AnonymousUser) -> RegionScopedQuerySet:
        if not user.is_authenticated:
            return self.none()
        if sees_all_regions(user):
            return self.all()
        return self.filter(**{f"{self.region_lookup}__in": partner_region_ids(user)})

    def in_regions(self, region_ids: Iterable[int]) -> RegionScopedQuerySet:
        return self.filter(**{f"{self.region_lookup}__in": list(region_ids)})


def partner_region_ids(user: User) -> models.QuerySet:
    return user.regions.values("pk")


class PersonalDataExport(models.Model):
    """A download of records holding personal data: who took what, when, with
    which filter and for which purpose (152-ФЗ asks that such transfers can be
    accounted for). Written once, never edited."""

    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept as text too: the log must outlive the account it names.
    username = models.CharField(_("user name"), max_length=150)
    exported_at = models.DateTimeField(_("exported at"), auto_now_add=True)
    dataset = models.CharField(
        _("what was exported"),
        max_length=100,
        help_text=_("The list or table, e.g. community.person."),
    )
    query = models.TextField(_("filter"), blank=True)
    row_count = models.PositiveIntegerField(_("rows"))
    purpose = models.CharField(_("purpose"), max_length=100, blank=True)
    file_format = models.CharField(_("format"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("personal data export")
        verbose_name_plural = _("personal data exports")
        ordering = ("-exported_at", "-pk")
        indexes = [models.Index(fields=("dataset", "-exported_at"))]

    def __str__(self) -> str:
        return f"{self.exported_at:%Y-%m-%d %H:%M} {self.username} {self.dataset}"
