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

from creative_regions.core.models import RegionScopedQuerySet


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


class ResearchRun(models.Model):
    """One diagnosis of every region's creative economy: its inputs, its status and
    timings; the results are in the tables below and can be computed again from
    the inputs at any time (``services.research_run_execute``)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    classification_version = models.ForeignKey(
        ClassificationVersion,
        verbose_name=_("classification version"),
        on_delete=models.PROTECT,
        related_name="research_runs",
    )
    source = models.CharField(_("register source"), max_length=50)
    base_snapshot = models.DateField(_("base snapshot"))
    target_snapshot = models.DateField(_("target snapshot"))
    # Weights, growth criteria (with regional overrides), leaders and peers counts,
    # rank draws and seed: everything else the run depends on.
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    message = models.TextField(_("message"), blank=True)
    snapshots = models.JSONField(_("snapshots in the store"), default=list, blank=True)
    timings = models.JSONField(_("timings, s"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("research run")
        verbose_name_plural = _("research runs")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return (
            f"#{self.pk} {self.classification_version} "
            f"{self.base_snapshot}–{self.target_snapshot}"
        )

    def get_absolute_url(self) -> str:
        return reverse("research:run-detail", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}

    @property
    def duration_seconds(self) -> float | None:
        """Wall time from the worker taking the run to its end (queueing aside)."""
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class ResultRow(models.Model):
    """A row of a run's result table; ``region`` is the reference region of
    ``region_code`` (empty for a code the reference does not know)."""

    run = models.ForeignKey(ResearchRun, on_delete=models.CASCADE, related_name="+")
    region_code = models.CharField(_("region code"), max_length=2)
    region = models.ForeignKey(
        "geo.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class GrowthClass(models.TextChoices):
    STAR = "star", _("star")
    EMERGING = "emerging", _("emerging")
    MATURE = "mature", _("mature")
    LAGGING = "lagging", _("lagging")
    TOO_SMALL = "too_small", _("too small to classify")


class ProfileCell(ResultRow):
    """Region x sector: size, specialisation, growth, shift-share, concentration."""

    sector = models.CharField(_("sector"), max_length=200)
    snapshot = models.DateField(_("snapshot"))
    organisations = models.BigIntegerField(_("organisations"))
    employees = models.BigIntegerField(_("employees"))
    employees_coverage = models.FloatField(_("employees coverage"), null=True)
    organisations_base = models.BigIntegerField(_("organisations at the base"))
    employees_base = models.BigIntegerField(_("employees at the base"))
    lq_organisations = models.FloatField(_("LQ of organisations"), null=True)
    lq_employees = models.FloatField(_("LQ of employees"), null=True)
    cagr_organisations = models.FloatField(_("CAGR of organisations"), null=True)
    cagr_employees = models.FloatField(_("CAGR of employees"), null=True)
    ss_national = models.FloatField(_("national share"), null=True)
    ss_industry_mix = models.FloatField(_("industry mix"), null=True)
    ss_regional = models.FloatField(_("regional shift"), null=True)
    hhi_employees = models.FloatField(_("HHI"), null=True)
    cr3_employees = models.FloatField(_("CR3"), null=True)
    cr5_employees = models.FloatField(_("CR5"), null=True)
    cluster_stars = models.PositiveSmallIntegerField(_("cluster stars"))
    growth_class = models.CharField(
        _("growth class"), max_length=20, choices=GrowthClass.choices
    )
    is_growth_point = models.BooleanField(_("growth point"))

    class Meta:
        verbose_name = _("region x sector indicators")
        verbose_name_plural = _("region x sector indicators")
        ordering = ("run", "region_code", "sector")
        indexes = [models.Index(fields=("run", "region_code"))]

    def __str__(self) -> str:
        return f"{self.region_code} {self.sector}"


class LeaderRow(ResultRow):
    """One of the largest firms of a region x sector."""

    sector = models.CharField(_("sector"), max_length=200)
    rank = models.PositiveIntegerField(_("rank"))
    inn = models.CharField(_("INN"), max_length=12)
    name = models.TextField(_("name"), blank=True)
    employees = models.BigIntegerField(_("employees"))
    share = models.FloatField(_("share of the sector"))
    employees_base = models.BigIntegerField(_("employees at the base"), null=True)
    growth = models.FloatField(_("growth"), null=True)
    anchor = models.BooleanField(_("anchor firm"))
    growing = models.BooleanField(_("growing"))

    class Meta:
        verbose_name = _("industry leader")
        verbose_name_plural = _("industry leaders")
        ordering = ("run", "region_code", "sector", "rank")
        indexes = [models.Index(fields=("run", "region_code"))]

    def __str__(self) -> str:
        return f"{self.region_code} {self.sector} #{self.rank} {self.inn}"


class RankingRow(ResultRow):
    """A region's sub-scores, composite index, rank and rank range."""

    size = models.FloatField(_("size"), null=True)
    specialisation = models.FloatField(_("specialisation"), null=True)
    growth = models.FloatField(_("growth"), null=True)
    competitive_shift = models.FloatField(_("competitive shift"), null=True)
    diversity = models.FloatField(_("diversity"), null=True)
    size_score = models.FloatField(_("size score"))
    specialisation_score = models.FloatField(_("specialisation score"))
    growth_score = models.FloatField(_("growth score"))
    competitive_shift_score = models.FloatField(_("competitive shift score"))
    diversity_score = models.FloatField(_("diversity score"))
    index = models.FloatField(_("composite index"))
    rank = models.PositiveIntegerField(_("rank"))
    rank_min = models.PositiveIntegerField(_("best rank"))
    rank_max = models.PositiveIntegerField(_("worst rank"))

    class Meta:
        verbose_name = _("ranking row")
        verbose_name_plural = _("ranking")
        ordering = ("run", "rank", "region_code")

    def __str__(self) -> str:
        return f"{self.rank}. {self.region_code}"


class PeerRow(ResultRow):
    """A region most similar to ``region`` by the structure of its creative sectors."""

    peer_region_code = models.CharField(_("peer region code"), max_length=2)
    similarity = models.FloatField(_("similarity"))
    rank = models.PositiveIntegerField(_("rank"))

    class Meta:
        verbose_name = _("peer region")
        verbose_name_plural = _("peer regions")
        ordering = ("run", "region_code", "rank")

    def __str__(self) -> str:
        return f"{self.region_code} ~ {self.peer_region_code}"


class RegionTotal(ResultRow):
    """A region's totals, all records and creative ones, at both snapshots."""

    organisations = models.BigIntegerField(_("organisations"))
    employees = models.BigIntegerField(_("employees"))
    organisations_base = models.BigIntegerField(_("organisations at the base"))
    employees_base = models.BigIntegerField(_("employees at the base"))
    creative_organisations = models.BigIntegerField(_("creative organisations"))
    creative_employees = models.BigIntegerField(_("creative employees"))
    creative_organisations_base = models.BigIntegerField(
        _("creative organisations at the base")
    )
    creative_employees_base = models.BigIntegerField(
        _("creative employees at the base")
    )

    class Meta:
        verbose_name = _("region totals")
        verbose_name_plural = _("region totals")
        ordering = ("run", "region_code")

    def __str__(self) -> str:
        return self.region_code


class SectorTotal(models.Model):
    """A creative sector's national totals."""

    run = models.ForeignKey(ResearchRun, on_delete=models.CASCADE, related_name="+")
    sector = models.CharField(_("sector"), max_length=200)
    snapshot = models.DateField(_("snapshot"))
    regions = models.PositiveIntegerField(_("regions"))
    organisations = models.BigIntegerField(_("organisations"))
    employees = models.BigIntegerField(_("employees"))
    employees_coverage = models.FloatField(_("employees coverage"), null=True)
    organisations_base = models.BigIntegerField(_("organisations at the base"))
    employees_base = models.BigIntegerField(_("employees at the base"))
    growth_organisations = models.FloatField(_("growth of organisations"), null=True)
    growth_employees = models.FloatField(_("growth of employees"), null=True)
    cagr_organisations = models.FloatField(_("CAGR of organisations"), null=True)
    cagr_employees = models.FloatField(_("CAGR of employees"), null=True)

    class Meta:
        verbose_name = _("sector totals")
        verbose_name_plural = _("sector totals")
        ordering = ("run", "sector")

    def __str__(self) -> str:
        return self.sector
