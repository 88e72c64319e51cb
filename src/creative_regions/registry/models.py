"""Imports into the register store and the records they refused.

The records themselves live in Parquet (see ``store.py``); the app database keeps
what people look at while an import runs and afterwards: its progress, its outcome
and its quarantine.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from creative_regions.registry.messages import message_text
from creative_regions.registry.schema import SOURCE_FNS_RSMP


class RegistryImport(models.Model):
    """One run of an import: from the command line, the web or a task."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        PARTIAL = "partial", _("finished with errors")
        FAILED = "failed", _("failed")

    source = models.CharField(_("source"), max_length=50)
    paths = models.JSONField(_("files"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    message = models.TextField(_("message"), blank=True)
    files_total = models.PositiveIntegerField(_("files"), default=0)
    files_done = models.PositiveIntegerField(_("files processed"), default=0)
    files_skipped = models.PositiveIntegerField(_("files already imported"), default=0)
    files_failed = models.PositiveIntegerField(_("files refused"), default=0)
    records_read = models.PositiveBigIntegerField(_("records read"), default=0)
    records_stored = models.PositiveBigIntegerField(_("records stored"), default=0)
    duplicates_merged = models.PositiveBigIntegerField(
        _("duplicates merged"), default=0
    )
    quarantined = models.PositiveBigIntegerField(_("records quarantined"), default=0)
    snapshots = models.JSONField(_("snapshots"), default=list, blank=True)
    file_errors = models.JSONField(_("file errors"), default=list, blank=True)
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
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.source} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("registry:import-detail", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in {
            self.Status.SUCCEEDED,
            self.Status.PARTIAL,
            self.Status.FAILED,
        }

    @property
    def progress_percent(self) -> int:
        if not self.files_total:
            return 0
        return round(100 * self.files_done / self.files_total)

    @property
    def message_text(self) -> str:
        """The outcome in the reader's language (an unexpected error's own text is
        shown as it is)."""
        return message_text(self.message) if self.message else ""

    @property
    def file_error_texts(self) -> list[tuple[str, str]]:
        """(file, problem) pairs in the reader's language."""
        return [
            (
                error["file"],
                message_text(error["template"], error.get("values"))
                if error.get("template")
                else error["message"],
            )
            for error in self.file_errors
        ]


class QuarantinedRecord(models.Model):
    """A register record that was not stored, and why."""

    class Reason(models.TextChoices):
        MISSING_INN = "missing_inn", _("INN missing")
        INVALID_INN = "invalid_inn", _("INN invalid")
        MISSING_REGION = "missing_region", _("region missing")
        INVALID_REGION = "invalid_region", _("region code invalid")
        BAD_DATE = "bad_date", _("date unreadable")
        BAD_KIND = "bad_kind", _("kind of subject unknown")
        BAD_NUMBER = "bad_number", _("number unreadable")
        NO_SUBJECT = "no_subject", _("no organisation or sole trader")

    registry_import = models.ForeignKey(
        RegistryImport,
        verbose_name=_("import"),
        on_delete=models.CASCADE,
        related_name="quarantine",
    )
    file_name = models.CharField(_("file"), max_length=255)
    document_id = models.CharField(_("document id"), max_length=64, blank=True)
    inn = models.CharField(_("INN"), max_length=32, blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    detail = models.TextField(_("detail"))

    class Meta:
        verbose_name = _("quarantined record")
        verbose_name_plural = _("quarantined records")
        ordering = ("registry_import", "file_name", "pk")
        indexes = [models.Index(fields=("registry_import", "reason"))]

    def __str__(self) -> str:
        return f"{self.file_name} {self.document_id}: {self.reason}"


class TableSourceMapping(models.Model):
    """Which column of a source's CSV/XLSX tables feeds which store field.

    Remembered from the last import of the source, so the next table of the same
    region or analyst imports without naming the columns again.
    """

    # Store fields a table can provide; the rest are derived or left empty.
    FIELDS = (
        "inn",
        "name",
        "region_code",
        "okved_main",
        "okved_extra",
        "employees",
        "ogrn",
        "kind",
        "category",
        "city",
        "district",
        "settlement",
        "included_date",
    )
    SOURCE_PATTERN = r"^[a-z0-9][a-z0-9-]{1,48}$"

    source = models.SlugField(
        _("source"),
        max_length=50,
        unique=True,
        validators=[
            RegexValidator(
                SOURCE_PATTERN,
                _(
                    "Lowercase Latin letters, digits and hyphens, 2 to 49 "
                    "characters, e.g. tatarstan-330fz."
                ),
            )
        ],
    )
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("table source mapping")
        verbose_name_plural = _("table source mappings")
        ordering = ("source",)
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(source=SOURCE_FNS_RSMP),
                name="table_source_is_not_the_tax_register",
                violation_error_message=_(
                    "“fns-rsmp” is the tax register's source; give the table "
                    "another name."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.source

    def clean(self) -> None:
        mapping = self.mapping
        if not isinstance(mapping, dict) or not all(
            field in self.FIELDS and isinstance(column, str) and column.strip()
            for field, column in mapping.items()
        ):
            raise ValidationError(
                {"mapping": _("The mapping pairs store fields with column names.")}
            )
        if "inn" not in mapping:
            raise ValidationError(
                {"mapping": _("The mapping must name the INN column.")}
            )
