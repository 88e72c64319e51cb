"""Small shared lists: tags, creative sectors and the roles people play."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from creative_regions.core.text import search_normalise


class Tag(models.Model):
    """A free label staff put on organisations ("anchor", "export-ready"...)."""

    name = models.CharField(_("name"), max_length=100)
    # One tag whatever the case or ё/е it was typed with.
    normalised = models.CharField(max_length=100, unique=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ("normalised",)

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.normalised = search_normalise(self.name.strip())
        super().save(*args, **kwargs)


class Sector(models.Model):
    """A creative sector of a classification ("Дизайн" of ru-minec-16), as named
    in its code table; created when a record first refers to it."""

    classification = models.ForeignKey(
        "research.Classification",
        verbose_name=_("classification"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("sector"), max_length=200)
    name_en = models.CharField(_("sector in English"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("creative sector")
        verbose_name_plural = _("creative sectors")
        ordering = ("classification", "name")
        constraints = [
            models.UniqueConstraint(
                fields=("classification", "name"),
                name="community_sector_unique_name",
                violation_error_message=_(
                    "This classification already has a sector with this name."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name


class PersonRole(models.Model):
    """A role a person plays in the creative economy (entrepreneur, official,
    mentor...). A list in the database, so the agency can add roles."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_ru = models.CharField(_("name in Russian"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person's role")
        verbose_name_plural = _("people's roles")
        ordering = ("code",)

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" else self.name_ru
