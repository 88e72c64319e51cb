"""Programmes: the agency's events (business missions, internships, study tours of
regional delegations, outreach visits, seminars, forums), their itineraries across
venues, delegations, registrations, attendance and feedback."""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.core.validators import (
    FileExtensionValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.db import models
from django.db.models import Exists, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from creative_regions.core.models import (
    RegionScopedQuerySet,
    partner_region_ids,
    sees_all_regions,
)

PHOTO_EXTENSIONS = ("jpg", "jpeg", "png", "webp")


class Format(models.TextChoices):
    """The agency's event formats; a programme is a series of one format."""

    BUSINESS_MISSION = "business_mission", _("Business mission")
    INTERNSHIP = "internship", _("Internship")
    STUDY_TOUR = "study_tour", _("Study tour")
    OUTREACH_VISIT = "outreach_visit", _("Outreach visit")
    SEMINAR = "seminar", _("Seminar or workshop")
    FORUM = "forum", _("Forum or festival")


# The formats regions send delegations to: study tours and business missions
# come to Moscow, forums gather regions; outreach visits, internships and
# seminars are held for a region or a person.
DELEGATION_FORMATS = (Format.STUDY_TOUR, Format.BUSINESS_MISSION, Format.FORUM)


class Methodology(models.TextChoices):
    """The agency's methodology templates an event can follow (see the user
    guide); the projects module will hold their stages and tasks."""

    DESIGN_WORKSHOP = "design_workshop", _("«Design Workshop» (Дизайн-цех)")
    DESIGN_FACTORY = "design_factory", _("«Design Factory» (Фабрика дизайна)")
    ART_FACTORY = "art_factory", _("«Art Factory» (Арт-фабрика)")
    REGION_CYCLE = "region_cycle", _("Passing expertise to a region")
    STUDY_VISIT = "study_visit", _("Study visit or delegation")
    BUSINESS_MISSION = "business_mission", _("Business mission")
    DESIGN_RESIDENCY = "design_residency", _("Design residency or marathon")


class Venue(models.Model):
    """A creative space or site where sessions take place. Venues are shared
    reference: every signed-in user sees them, staff edit them."""

    class Kind(models.TextChoices):
        CREATIVE_CLUSTER = "creative_cluster", _("Creative cluster or space")
        DESIGN_CENTRE = "design_centre", _("Design centre")
        MUSEUM = "museum", _("Museum or house of culture")
        PRODUCTION_SITE = "production_site", _("Production site")
        COWORKING = "coworking", _("Coworking")
        UNIVERSITY = "university", _("University or school")
        OTHER = "other", pgettext_lazy("venue", "Other")

    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    region = models.ForeignKey(
        "geo.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="venues",
    )
    city = models.CharField(_("city"), max_length=200)
    address = models.CharField(_("address"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    contacts = models.ManyToManyField(
        "community.Person",
        verbose_name=_("contact people"),
        blank=True,
        related_name="venues",
    )
    organisation = models.ForeignKey(
        "community.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="venues",
        help_text=_("The space's managing organisation in the community."),
    )

    history = HistoricalRecords(m2m_fields=[contacts])

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ("name", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("name", "city"),
                name="programmes_venue_name_city",
                violation_error_message=_(
                    "A venue with this name is already in this city."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})"


def venue_photo_path(instance: VenuePhoto, filename: str) -> str:
    # Only the extension of the uploaded name reaches the disk.
    suffix = filename.rsplit(".", 1)[-1].lower()[:5] if "." in filename else "jpg"
    return f"programmes/venues/{instance.venue_id}/{uuid.uuid4().hex}.{suffix}"


class VenuePhoto(models.Model):
    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(
        _("photo"),
        upload_to=venue_photo_path,
        max_length=300,
        validators=[FileExtensionValidator(PHOTO_EXTENSIONS)],
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("venue photo")
        verbose_name_plural = _("venue photos")
        ordering = ("venue", "pk")

    def __str__(self) -> str:
        return self.caption or self.image.name


class Programme(models.Model):
    """A named series of events of one format, e.g. "Study tours for regional
    delegations 2023"."""

    name = models.CharField(_("name"), max_length=300, unique=True)
    format = models.CharField(_("format"), max_length=30, choices=Format.choices)
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    methodology = models.CharField(
        _("methodology template"),
        max_length=30,
        choices=Methodology.choices,
        blank=True,
    )
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ("-year", "name")

    def __str__(self) -> str:
        return self.name


class EventQuerySet(models.QuerySet):
    def visible_to(self, user) -> EventQuerySet:
        """Staff see every event; a regional partner sees the events held in
        their regions, those their regions send a delegation to, and those
        that take delegations now, so they can register their region's first."""
        if not user.is_authenticated:
            return self.none()
        if sees_all_regions(user):
            return self.all()
        regions = partner_region_ids(user)
        # A partner with no region yet has no delegation to send.
        taking = self.model.objects.taking_delegations().filter(Exists(regions))
        return self.filter(
            Q(region__in=regions)
            | Q(pk__in=Delegation.objects.filter(region__in=regions).values("event"))
            | Q(pk__in=taking.values("pk"))
        )

    def taking_delegations(self) -> EventQuerySet:
        """Open events still to come (or under way) of the formats that
        regions send delegations to."""
        return self.public().filter(
            format__in=DELEGATION_FORMATS, ends_on__gte=timezone.localdate()
        )

    def public(self) -> EventQuerySet:
        """Events open to registration from the public page."""
        return self.filter(registration_open=True).exclude(
            status__in=(Event.Status.CANCELLED, Event.Status.HELD)
        )


class Event(models.Model):
    """One event of a format: where and when, its goals, hosts, status and what
    it produced."""

    Format = Format

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CONFIRMED = "confirmed", pgettext_lazy("event", "Confirmed")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", pgettext_lazy("event", "Cancelled")

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    format = models.CharField(_("format"), max_length=30, choices=Format.choices)
    title = models.CharField(_("title"), max_length=300)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    region = models.ForeignKey(
        "geo.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="events",
        help_text=_("Where the event takes place."),
    )
    city = models.CharField(_("city"), max_length=200)
    goals = models.TextField(_("goals"), blank=True)
    description = models.TextField(_("description"), blank=True)
    hosts = models.ManyToManyField(
        "community.Organisation",
        verbose_name=_("hosts"),
        blank=True,
        related_name="hosted_events",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        help_text=_("Confirmed registrations allowed; beyond it, the waitlist."),
    )
    registration_open = models.BooleanField(
        _("open to public registration"), default=False
    )
    public_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    interactions = models.ManyToManyField(
        "community.Interaction",
        verbose_name=_("meetings held"),
        blank=True,
        related_name="events",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = EventQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[hosts])

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ("-starts_on", "-pk")
        indexes = [
            models.Index(
                fields=("starts_on", "ends_on"), name="programmes_event_dates"
            ),
            models.Index(
                fields=("region", "starts_on"), name="programmes_event_region"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="programmes_event_ends_after_start",
                violation_error_message=_("An event cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def includes(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


class SessionQuerySet(models.QuerySet):
    def visible_to(self, user) -> SessionQuerySet:
        return self.filter(event__in=Event.objects.visible_to(user))


class Session(models.Model):
    """A part of an event's itinerary: a time slot, at a venue, on a topic."""

    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    day = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("venue"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )
    topic = models.CharField(_("topic"), max_length=300)
    speakers = models.CharField(_("speakers"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)

    objects = SessionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ("day", "starts_at", "pk")
        indexes = [
            models.Index(fields=("venue", "day"), name="programmes_session_venue_day"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="programmes_session_ends_after_start",
                violation_error_message=_("A session must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.starts_at:%H:%M} {self.topic}"


class DelegationQuerySet(RegionScopedQuerySet):
    region_lookup = "region"


class Delegation(models.Model):
    """A region's delegation to an event: one registration covers the whole
    itinerary for each member."""

    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="delegations",
    )
    region = models.ForeignKey(
        "geo.Region",
        verbose_name=_("sending region"),
        on_delete=models.PROTECT,
        related_name="delegations",
    )
    organisation = models.ForeignKey(
        "community.Organisation",
        verbose_name=_("sending organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="delegations",
    )
    head = models.ForeignKey(
        "community.Person",
        verbose_name=_("head of delegation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="delegations_headed",
    )
    logistics = models.TextField(_("logistics notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = DelegationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ("event", "region__code", "pk")

    def __str__(self) -> str:
        return f"{self.region} → {self.event}"


class RegistrationQuerySet(models.QuerySet):
    def visible_to(self, user) -> RegistrationQuerySet:
        """Staff see every registration; a partner those of their regions'
        people and delegations, at events they can see."""
        if not user.is_authenticated:
            return self.none()
        if sees_all_regions(user):
            return self.all()
        regions = partner_region_ids(user)
        return self.filter(
            Q(person__region__in=regions) | Q(delegation__region__in=regions)
        ).filter(event__in=Event.objects.visible_to(user))

    def active(self) -> RegistrationQuerySet:
        return self.exclude(status=Registration.Status.CANCELLED)


class Registration(models.Model):
    """A person's place at an event: confirmed, waitlisted or cancelled. The token
    is the person's QR code at the door and their link to cancel."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", pgettext_lazy("registration", "Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", pgettext_lazy("registration", "Cancelled")

    class Source(models.TextChoices):
        PUBLIC = "public", _("Public registration page")
        STAFF = "staff", _("Registered by staff")
        DELEGATION = "delegation", _("Member of a delegation")

    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    person = models.ForeignKey(
        "community.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    delegation = models.ForeignKey(
        Delegation,
        verbose_name=_("delegation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
    )
    role = models.ForeignKey(
        "community.PersonRole",
        verbose_name=_("role in the delegation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    # The waitlist is served in this order; re-registering goes to its end.
    queued_at = models.DateTimeField(_("in the queue since"))
    promoted_at = models.DateTimeField(_("promoted at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    feedback_requested_at = models.DateTimeField(
        _("asked for feedback at"), null=True, blank=True
    )
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    consent = models.ForeignKey(
        "community.Consent",
        verbose_name=_("consent"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = RegistrationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ("event", "queued_at", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("event", "person"),
                name="programmes_registration_once",
                violation_error_message=_(
                    "This person is already registered for this event."
                ),
            )
        ]
        indexes = [
            models.Index(
                fields=("event", "status", "queued_at"),
                name="programmes_registration_queue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.event}"


class Attendance(models.Model):
    """A registered person's presence at one session of the itinerary."""

    class Method(models.TextChoices):
        QR = "qr", _("QR code")
        SEARCH = "search", _("Search at the door")
        GRID = "grid", _("Attendance grid")

    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    method = models.CharField(_("recorded by"), max_length=10, choices=Method.choices)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ("session", "registration")
        constraints = [
            models.UniqueConstraint(
                fields=("session", "registration"),
                name="programmes_attendance_once",
                violation_error_message=_(
                    "This person is already marked present at this session."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration} @ {self.session}"


class Feedback(models.Model):
    """A participant's feedback after the event: a rating, whether they would
    recommend it (0–10, as for a net promoter score) and their words."""

    registration = models.OneToOneField(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="feedback",
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    recommend = models.PositiveSmallIntegerField(
        _("would recommend"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    comment = models.TextField(_("comment"), blank=True, max_length=5000)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ("-submitted_at",)
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5),
                name="programmes_feedback_rating_1_5",
                violation_error_message=_("A rating is from 1 to 5."),
            ),
            models.CheckConstraint(
                condition=Q(recommend__gte=0, recommend__lte=10),
                name="programmes_feedback_recommend_0_10",
                violation_error_message=_(
                    "How likely one would recommend it is from 0 to 10."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration}: {self.rating}"


class InternshipPlacement(models.Model):
    """A participant's internship at a host organisation, with the host's
    feedback."""

    event = models.ForeignKey(
        Event,
        verbose_name=_("internship"),
        on_delete=models.CASCADE,
        related_name="placements",
    )
    participant = models.ForeignKey(
        "community.Person",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    host = models.ForeignKey(
        "community.Organisation",
        verbose_name=_("host organisation"),
        on_delete=models.PROTECT,
        related_name="placements_hosted",
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    goals = models.TextField(_("goals"), blank=True)
    host_feedback = models.TextField(_("host's feedback"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("internship placement")
        verbose_name_plural = _("internship placements")
        ordering = ("event", "starts_on", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="programmes_placement_ends_after_start",
                violation_error_message=_("A placement cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} @ {self.host}"


class Outcome(models.Model):
    """What an event produced: a follow-up in the community's dialogue, an
    agreement or a project to prepare with an organisation. Agreements and
    projects will link here from their own modules."""

    class Kind(models.TextChoices):
        FOLLOW_UP = "follow_up", _("Follow-up")
        AGREEMENT = "agreement", _("Agreement to prepare")
        PROJECT = "project", _("Project to start")
        OTHER = "other", pgettext_lazy("outcome", "Other")

    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="outcomes",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    summary = models.CharField(_("summary"), max_length=500)
    organisation = models.ForeignKey(
        "community.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_outcomes",
    )
    follow_up = models.ForeignKey(
        "community.FollowUp",
        verbose_name=_("follow-up"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_outcomes",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ("event", "pk")

    def __str__(self) -> str:
        return self.summary
