"""Imports of organisations and people from tables: what each row became."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from creative_regions.core.models import User, sees_all_regions


class CommunityImportQuerySet(models.QuerySet):
    def visible_to(self, user: User | AnonymousUser) -> CommunityImportQuerySet:
        """Staff see every import; a regional partner only their own, since an
        import's rows may name people of regions they do not see."""
        if not user.is_authenticated:
            return self.none()
        if sees_all_regions(user):
            return self.all()
        return self.filter(created_by=user)


class CommunityImport(models.Model):
    """One confirmed import of a CSV or XLSX table of organisations or people:
    the column mapping it used (the next file of its kind starts from it) and the
    fate of every row, failed rows with their reasons. Written once."""

    class Kind(models.TextChoices):
        # "Organisations" alone is already a column header in another case.
        ORGANISATIONS = "organisations", pgettext_lazy("community", "Organisations")
        PEOPLE = "people", _("People")

    kind = models.CharField(_("what was imported"), max_length=20, choices=Kind.choices)
    file_name = models.CharField(_("file"), max_length=255)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    mapping = models.JSONField(_("columns"), default=dict)
    rows = models.JSONField(_("rows"), default=list)
    rows_total = models.PositiveIntegerField(_("rows read"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated or linked"), default=0)
    duplicate_count = models.PositiveIntegerField(_("skipped as duplicates"), default=0)
    failed_count = models.PositiveIntegerField(_("failed"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    objects = CommunityImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("community import")
        verbose_name_plural = _("community imports")
        ordering = ("-created_at", "-pk")
        indexes = [
            models.Index(fields=("kind", "-created_at"), name="community_import_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file_name}"

    def get_absolute_url(self) -> str:
        return reverse("community:import-detail", kwargs={"pk": self.pk})
