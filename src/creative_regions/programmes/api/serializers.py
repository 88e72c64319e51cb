"""Shapes of the programmes API. They check the form of the input only; the
rules (places and the waitlist, dates, who may register which delegation) are
the services', and apply whichever door the data comes in by.

A relation to a region-scoped record (an organisation, a person, an event, a
follow-up) is written by id among the records the user may see, and read as
null (or left out of a list) when the user may not see it: a regional partner
reading a Moscow study tour their delegation attends sees neither the Moscow
hosts' ids nor their names.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.urls import reverse
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS, ManyRelatedField

from creative_regions.community.models import (
    FollowUp,
    Organisation,
    Person,
    PersonRole,
)
from creative_regions.core.models import sees_all_regions
from creative_regions.geo.models import Region
from creative_regions.programmes import selectors
from creative_regions.programmes.models import (
    Attendance,
    Delegation,
    Event,
    Feedback,
    InternshipPlacement,
    Outcome,
    Programme,
    Registration,
    Session,
    Venue,
    VenuePhoto,
)

# A delegation's members are registered in one request, within reason.
MAX_MEMBERS = 500


def capacity_field(help_text: str) -> serializers.IntegerField:
    """A number of places: bounded as every database stores it, so the schema
    is the same on SQLite and PostgreSQL."""
    return serializers.IntegerField(
        min_value=0,
        max_value=2_147_483_647,
        required=False,
        allow_null=True,
        help_text=help_text,
    )


class CodeField(serializers.SlugRelatedField):
    """A relation written by its code; a code with a NUL character is simply not
    found (PostgreSQL refuses to compare with such text)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return super().to_internal_value(data)


class RegionField(CodeField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "Region code, e.g. 16.")
        super().__init__(slug_field="code", queryset=Region.objects.all(), **kwargs)


class RoleField(CodeField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text", "A person's role code, see /community/person-roles/."
        )
        super().__init__(slug_field="code", queryset=PersonRole.objects.all(), **kwargs)


class VisibleManyRelatedField(ManyRelatedField):
    """A list of related records without those the user may not see."""

    def to_representation(self, iterable: Any) -> list:
        values = super().to_representation(iterable)
        return [value for value in values if value is not None]


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A record by id among those the requesting user may see: another region's
    record is "not found" for a partner, as in the lists, and reads as null."""

    def __init__(self, *, model: type[Model], **kwargs: Any) -> None:
        self.model = model
        super().__init__(queryset=model.objects.none(), **kwargs)

    @classmethod
    def many_init(cls, *args: Any, **kwargs: Any) -> ManyRelatedField:
        list_kwargs = {
            key: value for key, value in kwargs.items() if key in MANY_RELATION_KWARGS
        }
        return VisibleManyRelatedField(
            child_relation=cls(*args, **kwargs), **list_kwargs
        )

    def _user(self) -> Any:
        request = self.context.get("request")
        return getattr(request, "user", None)

    def get_queryset(self) -> QuerySet:
        user = self._user()
        if user is None:
            return self.model.objects.none()
        return self.model.objects.visible_to(user)

    def use_pk_only_optimization(self) -> bool:
        return True

    def _visible_ids(self) -> set[int] | None:
        """``None`` for a user who sees every region; else the ids they see,
        read once a request for each model."""
        user = self._user()
        if user is not None and sees_all_regions(user):
            return None
        cache = self.context.setdefault("_visible_ids", {})
        if self.model not in cache:
            cache[self.model] = set(self.get_queryset().values_list("pk", flat=True))
        return cache[self.model]

    def to_representation(self, value: Any) -> int | None:
        visible = self._visible_ids()
        if visible is not None and value.pk not in visible:
            return None
        return super().to_representation(value)


class VisibleRelatedFieldSchema(OpenApiSerializerFieldExtension):
    """In answers a ``VisibleRelatedField`` may be null (a record the user may
    not see), whatever the input requires."""

    target_class = VisibleRelatedField
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: str) -> Any:
        schema = auto_schema._map_serializer_field(
            self.target, direction, bypass_extensions=True
        )
        return {**schema, "nullable": True} if direction == "response" else schema


def _display(choice_field: str) -> serializers.CharField:
    return serializers.CharField(source=f"get_{choice_field}_display", read_only=True)


# Venues and programmes ----------------------------------------------------------------


class VenuePhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = VenuePhoto
        fields = ("id", "caption", "url", "uploaded_at")
        read_only_fields = fields

    def get_url(self, photo: VenuePhoto) -> str:
        return reverse("programmes:venue-photo", args=[photo.venue_id, photo.pk])


class VenuePhotoRecordSerializer(VenuePhotoSerializer):
    """A photo read on its own, with the venue it shows."""

    class Meta(VenuePhotoSerializer.Meta):
        fields = ("id", "venue", "caption", "url", "uploaded_at")
        read_only_fields = fields


class VenuePhotoUploadSerializer(serializers.Serializer):
    """A photo sent as ``multipart/form-data``: a JPEG, PNG or WebP image."""

    venue = serializers.PrimaryKeyRelatedField(queryset=Venue.objects.all())
    image = serializers.FileField()
    caption = serializers.CharField(max_length=200, required=False, default="")


class VenueSerializer(serializers.ModelSerializer):
    kind_name = _display("kind")
    region = RegionField()
    website = serializers.CharField(max_length=200, required=False, allow_blank=True)
    organisation = VisibleRelatedField(
        model=Organisation,
        required=False,
        allow_null=True,
        help_text="The space's managing organisation in the community.",
    )
    contacts = VisibleRelatedField(
        model=Person,
        many=True,
        required=False,
        help_text="Contact people from the community, by id.",
    )
    capacity = capacity_field("People the venue holds.")
    photos = VenuePhotoSerializer(many=True, read_only=True)
    session_count = serializers.IntegerField(
        read_only=True, default=0, help_text="Sessions of itineraries held here."
    )

    class Meta:
        model = Venue
        fields = (
            "id",
            "name",
            "kind",
            "kind_name",
            "region",
            "city",
            "address",
            "capacity",
            "website",
            "description",
            "organisation",
            "contacts",
            "photos",
            "session_count",
        )
        read_only_fields = ("id",)
        # "Name and city" is the service's rule, with its own message.
        validators: list = []


class ProgrammeSerializer(serializers.ModelSerializer):
    format_name = _display("format")
    methodology_name = _display("methodology")
    event_count = serializers.IntegerField(
        read_only=True, default=0, help_text="Its events the user may see."
    )

    class Meta:
        model = Programme
        fields = (
            "id",
            "name",
            "format",
            "format_name",
            "year",
            "methodology",
            "methodology_name",
            "description",
            "event_count",
        )
        read_only_fields = ("id",)
        extra_kwargs = {"name": {"validators": []}}


# Events and itineraries ---------------------------------------------------------------


class EventSerializer(serializers.ModelSerializer):
    programme = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.all(), required=False, allow_null=True
    )
    programme_name = serializers.CharField(
        source="programme.name", read_only=True, default=None
    )
    format_name = _display("format")
    status_name = _display("status")
    region = RegionField(help_text="Where the event takes place: region code, e.g. 16.")
    hosts = VisibleRelatedField(
        model=Organisation,
        many=True,
        required=False,
        help_text="Host organisations from the community, by id.",
    )
    capacity = capacity_field(
        "Confirmed registrations allowed; beyond it, the waitlist. Null: no limit."
    )
    public_url = serializers.SerializerMethodField(
        help_text="The public registration page, while registration is open."
    )
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Event
        fields = (
            "id",
            "programme",
            "programme_name",
            "format",
            "format_name",
            "title",
            "starts_on",
            "ends_on",
            "region",
            "city",
            "goals",
            "description",
            "hosts",
            "status",
            "status_name",
            "capacity",
            "registration_open",
            "public_url",
            "created_by",
            "created_at",
        )
        read_only_fields = ("id", "created_at")

    def get_public_url(self, event: Event) -> str | None:
        if not event.registration_open or event.status in (
            Event.Status.HELD,
            Event.Status.CANCELLED,
        ):
            return None
        return reverse("programmes:public-register", args=[event.public_key])


class EventCreateSerializer(EventSerializer):
    from_template = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="Give the event the default itinerary of its format: for a "
        "study tour, visits of three to six of the region's venues and a "
        "debrief; for others, an opening and a closing.",
    )

    class Meta(EventSerializer.Meta):
        fields = (*EventSerializer.Meta.fields, "from_template")


class SessionSerializer(serializers.ModelSerializer):
    event = VisibleRelatedField(model=Event)
    venue = serializers.PrimaryKeyRelatedField(
        queryset=Venue.objects.all(), required=False, allow_null=True
    )
    venue_name = serializers.CharField(
        source="venue.name", read_only=True, default=None
    )
    capacity = capacity_field("People the session takes.")
    conflicts = serializers.SerializerMethodField(
        help_text="Sessions at the same venue whose times overlap this one, of "
        "any event the user may see (two groups at «Винзавод» at 11:00)."
    )

    class Meta:
        model = Session
        fields = (
            "id",
            "event",
            "day",
            "starts_at",
            "ends_at",
            "venue",
            "venue_name",
            "topic",
            "speakers",
            "capacity",
            "conflicts",
        )
        read_only_fields = ("id",)

    def get_conflicts(self, session: Session) -> list[int]:
        conflicts = self.context.get("conflicts")
        if conflicts is None:
            conflicts = session_conflicts_visible(
                [session], self.context["request"].user
            )
        return conflicts.get(session.pk, [])


class SessionUpdateSerializer(SessionSerializer):
    event = serializers.PrimaryKeyRelatedField(read_only=True)


def session_conflicts_visible(sessions: list[Session], user: Any) -> dict:
    """The ids of the clashing sessions each session has, of those ``user``
    may see."""
    conflicts = selectors.session_conflicts(sessions)
    ids = {other.pk for others in conflicts.values() for other in others}
    visible = set(
        Session.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    return {
        pk: [other.pk for other in others if other.pk in visible]
        for pk, others in conflicts.items()
    }


# Delegations and registrations --------------------------------------------------------


class DelegationSerializer(serializers.ModelSerializer):
    event = VisibleRelatedField(model=Event)
    event_title = serializers.CharField(source="event.title", read_only=True)
    region = RegionField(help_text="The sending region: region code, e.g. 16.")
    organisation = VisibleRelatedField(
        model=Organisation,
        required=False,
        allow_null=True,
        help_text="The sending organisation, by id.",
    )
    head = VisibleRelatedField(
        model=Person,
        required=False,
        allow_null=True,
        help_text="The head of the delegation, by id.",
    )
    member_count = serializers.IntegerField(
        read_only=True, default=0, help_text="Members registered, not cancelled."
    )
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Delegation
        fields = (
            "id",
            "event",
            "event_title",
            "region",
            "organisation",
            "head",
            "logistics",
            "member_count",
            "created_by",
            "created_at",
        )
        read_only_fields = ("id", "created_at")


class DelegationUpdateSerializer(DelegationSerializer):
    event = serializers.PrimaryKeyRelatedField(read_only=True)


class MemberSerializer(serializers.Serializer):
    person = VisibleRelatedField(model=Person)
    role = RoleField(required=False, allow_null=True)


class MembersInputSerializer(serializers.Serializer):
    members = MemberSerializer(many=True, max_length=MAX_MEMBERS, allow_empty=False)


class MemberOutcomeSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person.pk")
    person_name = serializers.CharField(source="person.full_name")
    registration = serializers.IntegerField(
        source="registration.pk", allow_null=True, default=None
    )
    status = serializers.CharField(
        source="registration.status",
        allow_null=True,
        default=None,
        help_text="confirmed or waitlisted; null when the member was refused.",
    )
    error = serializers.CharField(
        help_text="Why the member was not registered (already registered...)."
    )


class RegistrationSerializer(serializers.ModelSerializer):
    event = VisibleRelatedField(model=Event)
    event_title = serializers.CharField(source="event.title", read_only=True)
    person = VisibleRelatedField(model=Person)
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    person_region = serializers.CharField(source="person.region.code", read_only=True)
    delegation = VisibleRelatedField(
        model=Delegation,
        required=False,
        allow_null=True,
        help_text="The delegation the person travels with, of the same event.",
    )
    role = RoleField(required=False, allow_null=True)
    status_name = _display("status")
    source_name = _display("source")
    waitlist_position = serializers.SerializerMethodField(
        help_text="1 for the first in the queue; null when not waitlisted."
    )
    sessions_attended = serializers.IntegerField(
        source="attended", read_only=True, default=0
    )

    class Meta:
        model = Registration
        fields = (
            "id",
            "event",
            "event_title",
            "person",
            "person_name",
            "person_region",
            "delegation",
            "role",
            "status",
            "status_name",
            "source",
            "source_name",
            "waitlist_position",
            "registered_at",
            "queued_at",
            "promoted_at",
            "cancelled_at",
            "checked_in_at",
            "sessions_attended",
        )
        read_only_fields = (
            "id",
            "status",
            "source",
            "registered_at",
            "queued_at",
            "promoted_at",
            "cancelled_at",
            "checked_in_at",
        )
        # One registration a person and event is the service's rule.
        validators: list = []

    def get_waitlist_position(self, registration: Registration) -> int | None:
        positions = self.context.get("waitlist_positions")
        if positions is None:
            return selectors.waitlist_position(registration)
        return positions.get(registration.pk)


def waitlist_positions(registrations: list[Registration]) -> dict[int, int]:
    """The waitlist position of each waitlisted registration of a page, with one
    query for each event on it."""
    events = {r.event_id for r in registrations if r.status == r.Status.WAITLISTED}
    positions: dict[int, int] = {}
    for event_id in events:
        queue = Registration.objects.filter(
            event_id=event_id, status=Registration.Status.WAITLISTED
        ).order_by("queued_at", "pk")
        for position, pk in enumerate(queue.values_list("pk", flat=True), start=1):
            positions[pk] = position
    return positions


class TotalsSerializer(serializers.Serializer):
    registered = serializers.IntegerField(help_text="Confirmed and waitlisted.")
    confirmed = serializers.IntegerField()
    waitlisted = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    attended = serializers.IntegerField(
        help_text="Present at a session at least once, or checked in."
    )
    capacity = serializers.IntegerField(allow_null=True)
    free = serializers.IntegerField(
        allow_null=True, help_text="Places left; null without a limit."
    )


# Attendance and feedback --------------------------------------------------------------


class AttendanceSerializer(serializers.ModelSerializer):
    session = VisibleRelatedField(model=Session)
    registration = VisibleRelatedField(model=Registration)
    person_name = serializers.CharField(
        source="registration.person.full_name", read_only=True
    )
    method = serializers.ChoiceField(
        choices=Attendance.Method.choices, default=Attendance.Method.GRID
    )
    method_name = _display("method")
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Attendance
        fields = (
            "id",
            "session",
            "registration",
            "person_name",
            "method",
            "method_name",
            "recorded_at",
            "recorded_by",
        )
        read_only_fields = ("id", "recorded_at")
        validators: list = []


class FeedbackSerializer(serializers.ModelSerializer):
    registration = serializers.PrimaryKeyRelatedField(read_only=True)
    event = serializers.IntegerField(source="registration.event_id", read_only=True)
    person_name = serializers.CharField(
        source="registration.person.full_name", read_only=True
    )

    class Meta:
        model = Feedback
        fields = (
            "id",
            "registration",
            "event",
            "person_name",
            "rating",
            "recommend",
            "comment",
            "submitted_at",
        )
        read_only_fields = fields


class FeedbackCommentSerializer(serializers.Serializer):
    person_name = serializers.CharField(source="registration.person.full_name")
    rating = serializers.IntegerField()
    recommend = serializers.IntegerField()
    comment = serializers.CharField()
    submitted_at = serializers.DateTimeField()


class FeedbackResultsSerializer(serializers.Serializer):
    responses = serializers.IntegerField()
    average_rating = serializers.FloatField(allow_null=True)
    ratings = serializers.SerializerMethodField(
        help_text="How many gave each rating, from 1 to 5."
    )
    promoters = serializers.IntegerField(help_text="Would recommend: 9 or 10.")
    passives = serializers.IntegerField(help_text="Would recommend: 7 or 8.")
    detractors = serializers.IntegerField(help_text="Would recommend: 0 to 6.")
    net_promoter_score = serializers.FloatField(
        allow_null=True,
        help_text="Promoters minus detractors, in per cent of the responses.",
    )
    comments = FeedbackCommentSerializer(
        many=True,
        help_text="For a regional partner, those of their regions' people only.",
    )

    @extend_schema_field(
        {
            "type": "object",
            "properties": {str(n): {"type": "integer"} for n in range(1, 6)},
            "required": [str(n) for n in range(1, 6)],
        }
    )
    def get_ratings(self, results: Any) -> dict[str, int]:
        return {str(rating): count for rating, count in results.ratings.items()}


# Internships and outcomes -------------------------------------------------------------


class PlacementSerializer(serializers.ModelSerializer):
    event = VisibleRelatedField(model=Event, help_text="An internship.")
    participant = VisibleRelatedField(model=Person)
    participant_name = serializers.SerializerMethodField()
    host = VisibleRelatedField(model=Organisation, help_text="The host organisation.")

    class Meta:
        model = InternshipPlacement
        fields = (
            "id",
            "event",
            "participant",
            "participant_name",
            "host",
            "starts_on",
            "ends_on",
            "goals",
            "host_feedback",
        )
        read_only_fields = ("id",)

    def get_participant_name(self, placement: InternshipPlacement) -> str | None:
        field = self.fields["participant"]
        if field.to_representation(placement.participant) is None:
            return None
        return placement.participant.full_name


class PlacementUpdateSerializer(PlacementSerializer):
    event = serializers.PrimaryKeyRelatedField(read_only=True)


class OutcomeSerializer(serializers.ModelSerializer):
    event = VisibleRelatedField(model=Event)
    kind_name = _display("kind")
    organisation = VisibleRelatedField(
        model=Organisation,
        required=False,
        allow_null=True,
        help_text="The organisation to prepare an agreement or a project with.",
    )
    follow_up = VisibleRelatedField(
        model=FollowUp,
        required=False,
        allow_null=True,
        help_text="The follow-up in the community's dialogue, by id.",
    )

    class Meta:
        model = Outcome
        fields = (
            "id",
            "event",
            "kind",
            "kind_name",
            "summary",
            "organisation",
            "follow_up",
            "created_at",
        )
        read_only_fields = ("id", "created_at")


class OutcomeUpdateSerializer(OutcomeSerializer):
    event = serializers.PrimaryKeyRelatedField(read_only=True)
