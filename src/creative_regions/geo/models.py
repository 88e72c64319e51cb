"""Subjects of the Russian Federation: the reference every regional record points at."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from creative_regions.core.models import RegionScopedQuerySet
from creative_regions.core.text import search_normalise


class RegionQuerySet(RegionScopedQuerySet):
    region_lookup = "pk"


class Region(models.Model):
    """A subject of the Russian Federation (region, republic, krai, federal city...).

    ``code`` is the two-character code of the tax service and KLADR/FIAS ("01"…"95"),
    the key that the business register and every import use.
    """

    class FederalDistrict(models.TextChoices):
        CENTRAL = "central", _("Central")
        NORTHWESTERN = "northwestern", _("Northwestern")
        SOUTHERN = "southern", _("Southern")
        NORTH_CAUCASIAN = "north_caucasian", _("North Caucasian")
        VOLGA = "volga", _("Volga")
        URAL = "ural", _("Ural")
        SIBERIAN = "siberian", _("Siberian")
        FAR_EASTERN = "far_eastern", _("Far Eastern")

    code = models.CharField(_("code"), max_length=2, unique=True)
    iso_code = models.CharField(_("ISO 3166-2 code"), max_length=10, blank=True)
    okato = models.CharField(_("OKATO code"), max_length=5, blank=True)
    name_ru = models.CharField(_("name in Russian"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    short_ru = models.CharField(_("short name in Russian"), max_length=5)
    short_en = models.CharField(_("short name in English"), max_length=5)
    federal_district = models.CharField(
        _("federal district"),
        max_length=20,
        choices=FederalDistrict.choices,
        blank=True,
    )
    capital_ru = models.CharField(_("administrative centre in Russian"), max_length=100)
    capital_en = models.CharField(_("administrative centre in English"), max_length=100)
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(
        _("population year"), null=True, blank=True
    )
    grid_row = models.PositiveSmallIntegerField(
        _("tile-grid row"), null=True, blank=True
    )
    grid_col = models.PositiveSmallIntegerField(
        _("tile-grid column"), null=True, blank=True
    )
    is_added_2022 = models.BooleanField(_("added in 2022"), default=False)
    note = models.TextField(_("note on the data"), blank=True)
    # Lower-cased names and codes: SQLite compares only ASCII case-insensitively.
    search_text = models.TextField(editable=False, default="")

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ("code",)
        constraints = [
            models.UniqueConstraint(
                fields=("grid_row", "grid_col"),
                name="region_unique_tile",
                violation_error_message=_("Another region already takes this tile."),
            ),
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{2}$"),
                name="region_code_two_digits",
                violation_error_message=_("A region code is two digits, e.g. 07."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_text = self.compute_search_text()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("geo:region-detail", kwargs={"code": self.code})

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" else self.name_ru

    @property
    def short_name(self) -> str:
        return self.short_en if get_language() == "en" else self.short_ru

    @property
    def capital(self) -> str:
        return self.capital_en if get_language() == "en" else self.capital_ru

    @property
    def is_federal_city(self) -> bool:
        return self.code in {"77", "78", "92"}

    def compute_search_text(self) -> str:
        searchable = (self.code, self.iso_code, self.name_ru, self.name_en)
        searchable += (self.capital_ru, self.capital_en, self.short_ru, self.short_en)
        return search_normalise(" ".join(searchable))
