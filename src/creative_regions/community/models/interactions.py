"""The dialogue: meetings, calls, letters and sessions, their files and the
follow-ups they leave."""

from __future__ import annotations

from datetime import date
from pathlib import PurePath

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from creative_regions.core.models import RegionScopedQuerySet
from creative_regions.core.text import search_normalise

ATTACHMENT_EXTENSIONS = (
    "pdf",
    "doc",
    "docx",
    "odt",
    "rtf",
    "txt",
    "xls",
    "xlsx",
    "ods",
    "csv",
    "ppt",
    "pptx",
    "odp",
    "jpg",
    "jpeg",
    "png",
    "zip",
)


class InteractionQuerySet(RegionScopedQuerySet):
    region_lookup = "region"


class Interaction(models.Model):
    """One contact of the agency with a region: who took part, what was discussed,
    what was decided."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        CALL = "call", _("Call")
        LETTER = "letter", _("Letter")
        STRATEGIC_SESSION = "strategic_session", _("Strategic session")
        COUNCIL_MEETING = "council_meeting", _("Council meeting")
        VISIT = "visit", _("Visit")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    occurred_on = models.DateField(_("date"))
    region = models.ForeignKey(
        "geo.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="community_interactions",
    )
    topic = models.CharField(_("topic"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    people = models.ManyToManyField(
        "community.Person",
        verbose_name=_("people"),
        blank=True,
        related_name="interactions",
    )
    organisations = models.ManyToManyField(
        "community.Organisation",
        verbose_name=_("organisations"),
        blank=True,
        related_name="interactions",
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agency staff"),
        blank=True,
        related_name="community_interactions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    search_text = models.TextField(editable=False, default="")

    objects = InteractionQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[people, organisations, staff], excluded_fields=["search_text"]
    )

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        ordering = ("-occurred_on", "-pk")
        indexes = [
            models.Index(
                fields=("region", "-occurred_on", "-id"), name="community_inter_region"
            ),
            models.Index(fields=("-occurred_on", "-id"), name="community_inter_date"),
            models.Index(fields=("kind", "-occurred_on"), name="community_inter_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.topic}"

    def save(self, *args, **kwargs) -> None:
        self.search_text = search_normalise(self.topic)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)


def attachment_path(instance: InteractionAttachment, filename: str) -> str:
    # Only the extension of the uploaded name reaches the disk: names people give
    # files are personal data and may not be safe paths.
    suffix = PurePath(filename).suffix.lower()[:10]
    today = timezone.localdate()
    return f"community/interactions/{today:%Y/%m}/{instance.interaction_id}{suffix}"


class InteractionAttachmentQuerySet(RegionScopedQuerySet):
    region_lookup = "interaction__region"


class InteractionAttachment(models.Model):
    """A file of an interaction (minutes, a letter, slides), kept in the data
    folder's media."""

    interaction = models.ForeignKey(
        Interaction,
        verbose_name=_("interaction"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(
        _("file"),
        upload_to=attachment_path,
        max_length=300,
        validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS)],
    )
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size, bytes"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = InteractionAttachmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ("interaction", "uploaded_at", "pk")

    def __str__(self) -> str:
        return self.name


class FollowUpQuerySet(RegionScopedQuerySet):
    region_lookup = "interaction__region"

    def open(self) -> FollowUpQuerySet:
        return self.filter(status=FollowUp.Status.OPEN)

    def overdue(self, today: date) -> FollowUpQuerySet:
        return self.open().filter(due_on__lt=today)


class FollowUp(models.Model):
    """Something to do after an interaction, with its owner and due date. It is
    overdue while open after its due date."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    interaction = models.ForeignKey(
        Interaction,
        verbose_name=_("interaction"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    description = models.TextField(_("what to do"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="community_follow_ups",
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ("due_on", "pk")
        indexes = [
            models.Index(
                fields=("owner", "status", "due_on"), name="community_followup_owner"
            ),
            models.Index(fields=("status", "due_on"), name="community_followup_status"),
            models.Index(fields=("due_on", "id"), name="community_followup_due"),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def is_overdue_on(self, day: date) -> bool:
        return self.is_open and self.due_on < day

    @property
    def is_overdue(self) -> bool:
        """Open and due before today (in the site's time zone)."""
        return self.is_overdue_on(timezone.localdate())
