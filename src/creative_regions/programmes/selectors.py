"""Reads of the programmes: what a user may see, itineraries with their venue
conflicts, registration totals and feedback results."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, time

from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from creative_regions.community.models import Interaction, Organisation, Person
from creative_regions.core.models import User
from creative_regions.core.text import search_normalise
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


def _get(queryset: QuerySet, pk, message: str):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404(message) from None


def event_list(*, user: User) -> QuerySet[Event]:
    return (
        Event.objects.visible_to(user)
        .select_related("region", "programme")
        .order_by("-starts_on", "-pk")
    )


def event_get_for_user(*, user: User, pk) -> Event:
    return _get(event_list(user=user), pk, _("No such event."))


def events_between(*, user: User, first: date, last: date) -> QuerySet[Event]:
    """Events that run on at least one day from ``first`` to ``last``."""
    return (
        event_list(user=user)
        .filter(starts_on__lte=last, ends_on__gte=first)
        .order_by("starts_on", "pk")
    )


def public_event_get(*, public_key) -> Event:
    """An event open to registration, by the key in its public address."""
    try:
        return (
            Event.objects.public().select_related("region").get(public_key=public_key)
        )
    except (Event.DoesNotExist, ValueError, ValidationError):
        raise Http404(_("No such event is open to registration.")) from None


def event_by_public_key(*, public_key) -> Event:
    """The event behind a public address, open to registration or not, so that
    its page can say why registration is closed."""
    try:
        return Event.objects.select_related("region").get(public_key=public_key)
    except (Event.DoesNotExist, ValueError, ValidationError):
        raise Http404(_("No such event.")) from None


def door_session_default(event: Event, *, day: date, at: time) -> Session | None:
    """The session people are checked in to unless staff choose another: the one
    running at ``at`` on ``day``, else the first of that day, else the event's
    first."""
    sessions = list(session_list(event=event))
    today = [session for session in sessions if session.day == day]
    for session in today:
        if session.starts_at <= at < session.ends_at:
            return session
    if today:
        return today[0]
    return sessions[0] if sessions else None


def door_search(*, event: Event, text: str, limit: int = 20) -> QuerySet:
    """The event's registrations (not cancelled) whose person matches ``text`` by
    name, e-mail or phone; for the search at the door."""
    text = search_normalise(text.strip())
    if not text:
        return Registration.objects.none()
    match = Q(person__search_text__contains=text)
    digits = "".join(character for character in text if character.isdigit())
    if len(digits) == 11 and digits.startswith("8"):
        # A Russian number typed with the trunk prefix; stored as +7.
        digits = "7" + digits[1:]
    if len(digits) >= 4:
        match |= Q(person__phone__contains=digits)
    return (
        event.registrations.active()
        .filter(match)
        .select_related("person", "delegation", "delegation__region")
        .order_by("person__surname", "person__first_name", "pk")[:limit]
    )


def programme_list(*, user: User | None = None) -> QuerySet[Programme]:
    """Programmes, latest year first, each with ``event_count``: its events that
    ``user`` may see (all of them without a user). Programmes themselves are
    shared reference, named for everyone signed in."""
    if user is None:
        events = Count("events")
    else:
        visible = Event.objects.visible_to(user).values("pk")
        events = Count("events", filter=Q(events__in=visible))
    return Programme.objects.annotate(event_count=events).order_by("-year", "name")


def programme_get(*, pk, user: User | None = None) -> Programme:
    return _get(programme_list(user=user), pk, _("No such programme."))


def venue_sessions_upcoming(
    *, user: User, venue: Venue, today: date
) -> QuerySet[Session]:
    """Sessions at the venue from ``today`` on, of the events ``user`` may see."""
    return (
        Session.objects.visible_to(user)
        .filter(venue=venue, day__gte=today)
        .select_related("event")
        .order_by("day", "starts_at", "pk")
    )


def outcome_list(*, event: Event) -> QuerySet[Outcome]:
    """What the event produced, in the order it was recorded."""
    return event.outcomes.select_related(
        "organisation", "follow_up", "follow_up__interaction"
    ).order_by("pk")


def venue_list() -> QuerySet[Venue]:
    return Venue.objects.select_related("region").annotate(
        session_count=Count("sessions")
    )


def venue_get(*, pk) -> Venue:
    return _get(venue_list(), pk, _("No such venue."))


def venue_photo_list() -> QuerySet[VenuePhoto]:
    return VenuePhoto.objects.select_related("venue").order_by("venue", "pk")


def venue_photo_get(*, pk) -> VenuePhoto:
    return _get(venue_photo_list(), pk, _("No such photo."))


def session_list(*, event: Event) -> QuerySet[Session]:
    return event.sessions.select_related("venue").order_by("day", "starts_at", "pk")


def session_conflicts(sessions) -> dict[int, list[Session]]:
    """For each session, the sessions at the same venue whose times overlap it,
    whatever event they belong to (two delegations at «Винзавод» at 11:00)."""
    sessions = [session for session in sessions if session.venue_id]
    if not sessions:
        return {}
    days = {session.day for session in sessions}
    venues = {session.venue_id for session in sessions}
    others = defaultdict(list)
    for other in Session.objects.filter(day__in=days, venue__in=venues).select_related(
        "event"
    ):
        others[other.venue_id, other.day].append(other)
    conflicts: dict[int, list[Session]] = {}
    for session in sessions:
        clashes = [
            other
            for other in others[session.venue_id, session.day]
            if other.pk != session.pk
            and other.starts_at < session.ends_at
            and session.starts_at < other.ends_at
        ]
        if clashes:
            conflicts[session.pk] = clashes
    return conflicts


def delegation_list(*, user: User, event: Event | None = None) -> QuerySet[Delegation]:
    queryset = Delegation.objects.visible_to(user).select_related(
        "region", "organisation", "head", "event"
    )
    if event is not None:
        queryset = queryset.filter(event=event)
    return queryset.annotate(
        member_count=Count(
            "registrations",
            filter=~Q(registrations__status=Registration.Status.CANCELLED),
        )
    )


def delegation_get_for_user(*, user: User, pk) -> Delegation:
    return _get(delegation_list(user=user), pk, _("No such delegation."))


def registration_list(*, user: User, event: Event | None = None) -> QuerySet:
    queryset = Registration.objects.visible_to(user).select_related(
        "person", "person__region", "delegation", "delegation__region", "role", "event"
    )
    if event is not None:
        queryset = queryset.filter(event=event)
    return queryset.annotate(attended=Count("attendances")).order_by("queued_at", "pk")


def registration_by_token(token) -> Registration:
    try:
        return Registration.objects.select_related("event", "person").get(token=token)
    except (Registration.DoesNotExist, ValueError, ValidationError):
        raise Http404(_("No such registration.")) from None


@dataclass(frozen=True)
class RegistrationTotals:
    registered: int
    confirmed: int
    waitlisted: int
    cancelled: int
    attended: int
    capacity: int | None

    @property
    def free(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.confirmed, 0)


def registration_totals(registrations: QuerySet[Registration], event: Event):
    """Totals of a list of registrations (filtered or not): ``registered``
    counts every one not cancelled; ``attended`` those present at least once."""
    status = Registration.Status
    counts = registrations.order_by().aggregate(
        confirmed=Count("pk", filter=Q(status=status.CONFIRMED), distinct=True),
        waitlisted=Count("pk", filter=Q(status=status.WAITLISTED), distinct=True),
        cancelled=Count("pk", filter=Q(status=status.CANCELLED), distinct=True),
        attended=Count(
            "pk",
            filter=Q(attendances__isnull=False) | Q(checked_in_at__isnull=False),
            distinct=True,
        ),
    )
    return RegistrationTotals(
        registered=counts["confirmed"] + counts["waitlisted"],
        confirmed=counts["confirmed"],
        waitlisted=counts["waitlisted"],
        cancelled=counts["cancelled"],
        attended=counts["attended"],
        capacity=event.capacity,
    )


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first in the queue; ``None`` when not waitlisted."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id, status=Registration.Status.WAITLISTED
    ).filter(
        Q(queued_at__lt=registration.queued_at)
        | Q(queued_at=registration.queued_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


@dataclass(frozen=True)
class FeedbackResults:
    responses: int
    average_rating: float | None
    ratings: dict[int, int]
    promoters: int
    passives: int
    detractors: int
    comments: list[Feedback]

    @property
    def net_promoter_score(self) -> float | None:
        """Promoters (9–10) minus detractors (0–6), in per cent of responses."""
        if not self.responses:
            return None
        return 100 * (self.promoters - self.detractors) / self.responses


def feedback_results(event: Event) -> FeedbackResults:
    feedback = Feedback.objects.filter(registration__event=event)
    summary = feedback.aggregate(
        responses=Count("pk"),
        average=Avg("rating"),
        promoters=Count("pk", filter=Q(recommend__gte=9)),
        detractors=Count("pk", filter=Q(recommend__lte=6)),
    )
    ratings = dict.fromkeys(range(1, 6), 0)
    for rating, count in (
        feedback.values_list("rating").annotate(count=Count("pk")).order_by()
    ):
        ratings[rating] = count
    responses = summary["responses"]
    return FeedbackResults(
        responses=responses,
        average_rating=summary["average"],
        ratings=ratings,
        promoters=summary["promoters"],
        passives=responses - summary["promoters"] - summary["detractors"],
        detractors=summary["detractors"],
        comments=list(
            feedback.exclude(comment="")
            .select_related("registration__person")
            .order_by("-submitted_at")
        ),
    )


def placement_list(*, user: User, event: Event) -> QuerySet[InternshipPlacement]:
    """The internship's placements the user may see: staff all of them; a
    regional partner those of their regions' participants or host organisations."""
    queryset = InternshipPlacement.objects.filter(event=event).select_related(
        "participant", "participant__region", "host", "host__region"
    )
    if user.is_authenticated and user.is_partner:
        queryset = queryset.filter(
            Q(participant__in=Person.objects.visible_to(user))
            | Q(host__in=Organisation.objects.visible_to(user))
        )
    return queryset.order_by("starts_on", "participant__surname", "pk")


def placement_get_for_user(*, user: User, event: Event, pk) -> InternshipPlacement:
    return _get(placement_list(user=user, event=event), pk, _("No such placement."))


def meeting_list(*, user: User, event: Event) -> QuerySet[Interaction]:
    """The meetings held during the event (community interactions linked to it)
    that the user may see, newest first, with their participants and
    follow-ups; of the participants, only those the user may see."""
    return (
        event.interactions.all()
        .filter(pk__in=Interaction.objects.visible_to(user).values("pk"))
        .select_related("region")
        .prefetch_related(
            Prefetch(
                "people",
                queryset=Person.objects.visible_to(user).order_by("surname", "pk"),
            ),
            Prefetch(
                "organisations",
                queryset=Organisation.objects.visible_to(user).order_by(
                    "full_name", "pk"
                ),
            ),
            "follow_ups__owner",
        )
        .order_by("-occurred_on", "-pk")
    )


# Lists across events, for the API ----------------------------------------------------
# The pages reach these records through an event; the API lists them across the
# events the user may see, with the same rules.


def session_list_for_user(*, user: User) -> QuerySet[Session]:
    """Sessions of the events the user may see."""
    return (
        Session.objects.visible_to(user)
        .select_related("venue", "event")
        .order_by("day", "starts_at", "pk")
    )


def session_get_for_user(*, user: User, pk) -> Session:
    return _get(session_list_for_user(user=user), pk, _("No such session."))


def attendance_list(*, user: User) -> QuerySet[Attendance]:
    """Presence at sessions, of the registrations the user may see."""
    return (
        Attendance.objects.filter(
            registration__in=Registration.objects.visible_to(user).values("pk")
        )
        .select_related("session", "registration", "registration__person")
        .order_by("session__day", "session__starts_at", "session", "registration")
    )


def attendance_get_for_user(*, user: User, pk) -> Attendance:
    return _get(attendance_list(user=user), pk, _("No such attendance record."))


def feedback_list(*, user: User) -> QuerySet[Feedback]:
    """Feedback of the registrations the user may see, newest first."""
    return (
        Feedback.objects.filter(
            registration__in=Registration.objects.visible_to(user).values("pk")
        )
        .select_related("registration", "registration__person")
        .order_by("-submitted_at", "-pk")
    )


def feedback_get_for_user(*, user: User, pk) -> Feedback:
    return _get(feedback_list(user=user), pk, _("No such feedback."))


def placement_list_for_user(*, user: User) -> QuerySet[InternshipPlacement]:
    """Placements of the internships the user may see, with ``placement_list``'s
    rule for a partner: their regions' participants or host organisations."""
    queryset = InternshipPlacement.objects.filter(
        event__in=Event.objects.visible_to(user).values("pk")
    ).select_related("event", "participant", "host")
    if user.is_authenticated and user.is_partner:
        queryset = queryset.filter(
            Q(participant__in=Person.objects.visible_to(user))
            | Q(host__in=Organisation.objects.visible_to(user))
        )
    return queryset.order_by("event", "starts_on", "pk")


def placement_get_any_for_user(*, user: User, pk) -> InternshipPlacement:
    return _get(placement_list_for_user(user=user), pk, _("No such placement."))


def outcome_list_for_user(*, user: User) -> QuerySet[Outcome]:
    """What the events the user may see produced."""
    return (
        Outcome.objects.filter(event__in=Event.objects.visible_to(user).values("pk"))
        .select_related("event", "organisation", "follow_up")
        .order_by("event", "pk")
    )


def outcome_get_for_user(*, user: User, pk) -> Outcome:
    return _get(outcome_list_for_user(user=user), pk, _("No such outcome."))


def registration_get_for_user(*, user: User, pk) -> Registration:
    return _get(registration_list(user=user), pk, _("No such registration."))
