"""Classifications of the creative industries, kept as versioned data.

A classification (the Russian 16 directions, the UK DCMS list...) has versions; each
version is a table of activity codes with their sector. One version per
classification is active, and research uses the active one. A code covers its
subclasses: ``58.1`` covers ``58.11`` and ``58.11.2``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Classification(models.Model):
    """A classification of creative industries, e.g. ``ru-minec-16`` or ``uk-dcms``."""

    class CodeSystem(models.TextChoices):
        OKVED2 = "okved2", _("OKVED2 (OK 029-2014)")
        SIC2007 = "sic2007", _("UK SIC 2007")

    key = models.SlugField(_("key"), max_length=50, unique=True)
    name_ru = models.CharField(_("name in Russian"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    code_system = models.CharField(
        _("code system"), max_length=20, choices=CodeSystem.choices
    )
    active_version = models.ForeignKey(
        "research.ClassificationVersion",
        verbose_name=_("active version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("classification")
        verbose_name_plural = _("classifications")
        ordering = ("key",)

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("research:classification-detail", kwargs={"key": self.key})

    def clean(self) -> None:
        if self.active_version is not None and (
            self.active_version.classification_id != self.pk
        ):
            raise ValidationError(
                {
                    "active_version": _(
                        "The active version must be a version of this classification."
                    )
                }
            )

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" else self.name_ru


class ClassificationVersion(models.Model):
    """One edition of a classification's code table, as imported from a file."""

    classification = models.ForeignKey(
        Classification,
        verbose_name=_("classification"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    label = models.CharField(_("version"), max_length=50)
    is_provisional = models.BooleanField(_("provisional"), default=False)
    source = models.TextField(_("source"), blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(_("file checksum (SHA-256)"), max_length=64)
    entry_count = models.PositiveIntegerField(_("codes"), default=0)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("classification version")
        verbose_name_plural = _("classification versions")
        ordering = ("classification", "-imported_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=("classification", "label"),
                name="classification_version_unique_label",
                violation_error_message=_(
                    "This classification already has a version with this name."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.classification.key} {self.label}"


class ClassificationEntry(models.Model):
    """An activity code of a version and the creative sector it belongs to."""

    class Confidence(models.TextChoices):
        OFFICIAL = "official", _("official list")
        CONFIRMED = "confirmed", _("confirmed activity")
        INFERRED_HIGH = "inferred_high", _("inferred, high confidence")
        INFERRED_LOW = "inferred_low", _("inferred, low confidence")

    version = models.ForeignKey(
        ClassificationVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    code = models.CharField(_("code"), max_length=12)
    name = models.CharField(_("activity"), max_length=500, blank=True)
    sector = models.CharField(_("sector"), max_length=200)
    sector_en = models.CharField(_("sector in English"), max_length=200, blank=True)
    confidence = models.CharField(
        _("confidence"), max_length=20, choices=Confidence.choices
    )
    source = models.TextField(_("source"), blank=True)
    # Lower-cased code, activity and sector: SQLite ignores case in ASCII only.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("classification code")
        verbose_name_plural = _("classification codes")
        ordering = ("version", "code")
        constraints = [
            models.UniqueConstraint(
                fields=("version", "code"),
                name="classification_entry_unique_code",
                violation_error_message=_("The code appears twice in this version."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.sector}"

    @property
    def sector_name(self) -> str:
        """The sector in the interface's language when a translation is known."""
        if get_language() == "en" and self.sector_en:
            return self.sector_en
        return self.sector
