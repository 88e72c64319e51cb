"""Writes of the programmes: events and their itineraries, delegations,
registrations with capacity and waitlist, attendance, feedback and outcomes.

Who may write: agency staff (administrators, managers, analysts) everything; a
regional partner registers and edits their own regions' delegations; experts and
the public only what the public pages allow (their own registration, cancellation
and feedback, through the registration's token)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_update_with_history

from creative_regions.community.models import (
    Consent,
    Interaction,
    Organisation,
    Person,
    PersonRole,
)
from creative_regions.community.services import (
    interaction_record,
    person_from_self_registration,
)
from creative_regions.core.models import User
from creative_regions.geo.models import Region
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

STAFF_ROLES = ("administrator", "manager", "analyst")


def user_is_programme_staff(user: User) -> bool:
    """Whether the user plans events, venues and itineraries."""
    return bool(user.is_authenticated) and user.has_role(*STAFF_ROLES)


def user_can_register_delegations(user: User, region: Region | None = None) -> bool:
    """Staff register any region's delegation; a partner their own regions'."""
    if user_is_programme_staff(user):
        return True
    if not (user.is_authenticated and user.is_partner):
        return False
    return region is None or user.regions.filter(pk=region.pk).exists()


def _check_staff(user: User) -> None:
    if not user_is_programme_staff(user):
        raise PermissionDenied(_("Your role does not allow planning events."))


def _check_delegation_writer(user: User, region: Region | None) -> None:
    if not user_can_register_delegations(user):
        raise PermissionDenied(_("Your role does not allow registering delegations."))
    if not user_can_register_delegations(user, region):
        raise ValidationError(
            {"region": _("You can only register delegations of your own regions.")}
        )


def _clean_and_save(instance: models.Model, user: User | None = None, **kwargs) -> None:
    instance.full_clean(**kwargs)
    if user is not None:
        instance._history_user = user  # type: ignore[attr-defined]
    instance.save()


def _apply(instance: models.Model, changes: Mapping[str, Any], allowed: set[str]):
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"Cannot change {sorted(unknown)} here.")
    for name, value in changes.items():
        setattr(instance, name, value)


# Venues and programmes ----------------------------------------------------------------

VENUE_FIELDS = {
    "name",
    "kind",
    "region",
    "city",
    "address",
    "capacity",
    "website",
    "description",
    "organisation",
}


@transaction.atomic
def venue_create(
    *, user: User, contacts: Iterable[Person] = (), **fields: Any
) -> Venue:
    _check_staff(user)
    venue = Venue()
    _apply(venue, fields, VENUE_FIELDS)
    _clean_and_save(venue, user)
    venue.contacts.set(list(contacts))
    return venue


@transaction.atomic
def venue_update(
    *, user: User, venue: Venue, contacts: Iterable[Person] | None = None, **changes
) -> Venue:
    _check_staff(user)
    _apply(venue, changes, VENUE_FIELDS)
    _clean_and_save(venue, user)
    if contacts is not None:
        venue.contacts.set(list(contacts))
    return venue


@transaction.atomic
def venue_delete(*, user: User, venue: Venue) -> None:
    """Deletes a venue no itinerary visits, with its photos and their files."""
    _check_staff(user)
    if venue.sessions.exists():
        raise ValidationError(
            _("Sessions of itineraries take place here: move them before deleting it.")
        )
    files = [(photo.image.storage, photo.image.name) for photo in venue.photos.all()]
    venue._history_user = user  # type: ignore[attr-defined]
    venue.delete()
    transaction.on_commit(
        lambda: [storage.delete(name) for storage, name in files], robust=True
    )


PHOTO_MAX_BYTES = 10 * 1024 * 1024
# The first bytes of the image formats the venues' photos may have.
PHOTO_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


def _is_image(file: UploadedFile) -> bool:
    file.seek(0)
    head = file.read(12)
    file.seek(0)
    return head.startswith(PHOTO_SIGNATURES) or (
        head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    )


@transaction.atomic
def venue_photo_add(
    *, user: User, venue: Venue, image: UploadedFile, caption: str = ""
) -> VenuePhoto:
    """Stores a photo of the venue: a JPEG, PNG or WebP image (by its name and
    by its content) of at most ``PHOTO_MAX_BYTES``."""
    _check_staff(user)
    if image.size and image.size > PHOTO_MAX_BYTES:
        raise ValidationError(
            {
                "image": _("The file is larger than %(size)s MB.")
                % {"size": PHOTO_MAX_BYTES // (1024 * 1024)}
            }
        )
    photo = VenuePhoto(venue=venue, image=image, caption=caption)
    photo.full_clean()
    if not _is_image(image):
        raise ValidationError(
            {"image": _("The file is not a JPEG, PNG or WebP image.")}
        )
    photo.save()
    return photo


@transaction.atomic
def venue_photo_delete(*, user: User, photo: VenuePhoto) -> None:
    _check_staff(user)
    name, storage = photo.image.name, photo.image.storage
    photo.delete()
    transaction.on_commit(lambda: storage.delete(name))


PROGRAMME_FIELDS = {"name", "format", "year", "methodology", "description"}


def programme_create(*, user: User, **fields: Any) -> Programme:
    _check_staff(user)
    programme = Programme()
    _apply(programme, fields, PROGRAMME_FIELDS)
    _clean_and_save(programme, user)
    return programme


def programme_update(*, user: User, programme: Programme, **changes) -> Programme:
    _check_staff(user)
    _apply(programme, changes, PROGRAMME_FIELDS)
    _clean_and_save(programme, user)
    return programme


def programme_delete(*, user: User, programme: Programme) -> None:
    """Deletes a programme without events; its events would otherwise lose their
    series without anyone deciding it."""
    _check_staff(user)
    if programme.events.exists():
        raise ValidationError(
            _("Events belong to this programme: move or delete them first.")
        )
    programme._history_user = user  # type: ignore[attr-defined]
    programme.delete()


# Events -------------------------------------------------------------------------------

EVENT_FIELDS = {
    "programme",
    "format",
    "title",
    "starts_on",
    "ends_on",
    "region",
    "city",
    "goals",
    "description",
    "status",
    "capacity",
    "registration_open",
}


def _check_event(event: Event) -> None:
    errors: dict[str, list[str]] = {}
    if event.starts_on and event.ends_on and event.ends_on < event.starts_on:
        errors["ends_on"] = [_("The event cannot end before it starts.")]
    if event.programme_id and event.format != event.programme.format:
        errors["format"] = [
            _("The programme “%(name)s” is a series of another format: %(format)s.")
            % {
                "name": event.programme.name,
                "format": event.programme.get_format_display(),
            }
        ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def event_create(
    *,
    user: User,
    hosts: Iterable[Organisation] = (),
    from_template: bool = False,
    **fields: Any,
) -> Event:
    """Records an event; ``from_template`` gives it the default itinerary of its
    format (see ``itinerary_template``), for staff to adjust."""
    _check_staff(user)
    event = Event(created_by=user)
    _apply(event, fields, EVENT_FIELDS)
    # The field messages first: the model's constraints would say less.
    _check_event(event)
    event.full_clean()
    event._history_user = user  # type: ignore[attr-defined]
    event.save()
    event.hosts.set(list(hosts))
    if from_template:
        for values in itinerary_template(event):
            session = Session(event=event, **values)
            session._history_user = user  # type: ignore[attr-defined]
            session.save()
    return event


@transaction.atomic
def event_update(
    *, user: User, event: Event, hosts: Iterable[Organisation] | None = None, **changes
) -> Event:
    """Changes an event. A larger capacity promotes the waitlist at once; sessions
    outside new dates are refused rather than silently dropped."""
    _check_staff(user)
    event = Event.objects.select_for_update().get(pk=event.pk)
    _apply(event, changes, EVENT_FIELDS)
    _check_event(event)
    event.full_clean()
    outside = event.sessions.exclude(
        day__range=(event.starts_on, event.ends_on)
    ).count()
    if outside:
        raise ValidationError(
            {
                "starts_on": ngettext(
                    "%(count)d session of the itinerary falls outside these dates: "
                    "move it first.",
                    "%(count)d sessions of the itinerary fall outside these dates: "
                    "move them first.",
                    outside,
                )
                % {"count": outside}
            }
        )
    event._history_user = user  # type: ignore[attr-defined]
    event.save()
    if hosts is not None:
        event.hosts.set(list(hosts))
    promoted = _promote_waitlist(event)
    if promoted:
        # Told once the new capacity is committed, as after a cancellation.
        transaction.on_commit(lambda: _notify_promoted(promoted))
    return event


def _notify_promoted(promoted: Iterable[Registration]) -> None:
    from creative_regions.programmes.notifications import send_promotion

    for registration in promoted:
        send_promotion(registration)


def event_delete(*, user: User, event: Event) -> None:
    _check_staff(user)
    if event.registrations.exists():
        raise ValidationError(
            _(
                "People are registered for this event: cancel it instead, so "
                "that they are told and the record stays."
            )
        )
    event.delete()


# The default shape of a study tour's itinerary: venues in the morning and the
# afternoon of each day, and a debrief at the end of the last one.
TOUR_SLOTS = (
    (time(10, 0), time(11, 30)),
    (time(12, 30), time(14, 0)),
    (time(15, 0), time(16, 30)),
)
DEBRIEF = (time(17, 0), time(18, 0))


def itinerary_template(event: Event) -> list[dict[str, Any]]:
    """Sessions a new event of the format starts with. A study tour: visits of up
    to six of the region's most used venues (three a day), then a debrief; other
    formats: an opening and a closing session."""
    # Visits fill two days at most and the debrief closes the last one, so the
    # days between are never listed (an event may be typed to last years).
    days = [event.starts_on + timedelta(days=n) for n in range(min(event.days, 2))]
    if event.format != Event.Format.STUDY_TOUR:
        return [
            {
                "day": days[0],
                "starts_at": time(10, 0),
                "ends_at": time(11, 0),
                "topic": _("Opening"),
            },
            {
                "day": event.ends_on,
                "starts_at": DEBRIEF[0],
                "ends_at": DEBRIEF[1],
                "topic": _("Closing and next steps"),
            },
        ]
    venues = list(
        Venue.objects.filter(region=event.region)
        .annotate(visits=models.Count("sessions"))
        .order_by("-visits", "name")[: min(6, max(3, 3 * len(days)))]
    )
    sessions = []
    slots = [(day, slot) for day in days for slot in TOUR_SLOTS]
    for (day, (start, end)), venue in zip(slots, venues, strict=False):
        sessions.append(
            {
                "day": day,
                "starts_at": start,
                "ends_at": end,
                "venue": venue,
                "topic": _("Visit: %(venue)s") % {"venue": venue.name},
            }
        )
    sessions.append(
        {
            "day": event.ends_on,
            "starts_at": DEBRIEF[0],
            "ends_at": DEBRIEF[1],
            "topic": _("Debrief: what the delegation takes home"),
        }
    )
    return sessions


SESSION_FIELDS = {
    "day",
    "starts_at",
    "ends_at",
    "venue",
    "topic",
    "speakers",
    "capacity",
}


def _check_session(session: Session) -> None:
    errors: dict[str, list[str]] = {}
    event = session.event
    if session.day and not event.includes(session.day):
        errors["day"] = [
            _("The event runs from %(start)s to %(end)s.")
            % {
                "start": date_format(event.starts_on, "SHORT_DATE_FORMAT"),
                "end": date_format(event.ends_on, "SHORT_DATE_FORMAT"),
            }
        ]
    if session.starts_at and session.ends_at and session.ends_at <= session.starts_at:
        errors["ends_at"] = [_("A session ends after it starts.")]
    if errors:
        raise ValidationError(errors)


def session_add(*, user: User, event: Event, **fields: Any) -> Session:
    """Adds a session to the itinerary. A session overlapping another at the same
    venue is kept and flagged (see ``selectors.session_conflicts``): the venue may
    well host two groups, staff decide."""
    _check_staff(user)
    session = Session(event=event)
    _apply(session, fields, SESSION_FIELDS)
    _check_session(session)
    session.full_clean(exclude=["event"])
    _clean_and_save(session, user)
    return session


def session_update(*, user: User, session: Session, **changes: Any) -> Session:
    _check_staff(user)
    _apply(session, changes, SESSION_FIELDS)
    _check_session(session)
    session.full_clean()
    _clean_and_save(session, user)
    return session


def session_delete(*, user: User, session: Session) -> None:
    _check_staff(user)
    session._history_user = user  # type: ignore[attr-defined]
    session.delete()


# Registrations ------------------------------------------------------------------------


def _confirmed_count(event: Event) -> int:
    return event.registrations.filter(status=Registration.Status.CONFIRMED).count()


def _lock(event: Event) -> Event:
    """The event's row, locked until the transaction ends: registrations of one
    event queue behind each other, so a place is never given twice (PostgreSQL;
    SQLite writes one transaction at a time anyway)."""
    return Event.objects.select_for_update().get(pk=event.pk)


def _check_open(event: Event) -> None:
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("This event is cancelled."))
    if event.status == Event.Status.HELD:
        raise ValidationError(_("This event has already taken place."))


def registration_create(
    *,
    event: Event,
    person: Person,
    source: str,
    delegation: Delegation | None = None,
    role: PersonRole | None = None,
    consent: Consent | None = None,
    notify: bool = True,
) -> Registration:
    """Gives the person a confirmed place while there are places, else a place on
    the waitlist. A person registers once per event: a second registration is
    refused, a cancelled one is renewed at the end of the queue.

    With ``notify`` the person gets the confirmation with their QR code and
    cancel link once the registration is committed, in Russian and English
    (staff registered them, so the language they read is not known)."""
    if delegation is not None and delegation.event_id != event.pk:
        raise ValidationError(
            {"delegation": _("This delegation goes to another event.")}
        )
    with transaction.atomic():
        event = _lock(event)
        # Read after the lock: the queue's order is then the order in which the
        # places were given, and a waitlist position told is never overtaken.
        now = timezone.now()
        _check_open(event)
        registration = (
            Registration.objects.select_for_update()
            .filter(event=event, person=person)
            .first()
        )
        if registration and registration.status != Registration.Status.CANCELLED:
            raise ValidationError(
                {"email": _("This person is already registered for this event.")}
            )
        has_place = event.capacity is None or _confirmed_count(event) < event.capacity
        status = (
            Registration.Status.CONFIRMED
            if has_place
            else Registration.Status.WAITLISTED
        )
        if registration is None:
            registration = Registration(event=event, person=person)
        registration.status = status
        registration.source = source
        registration.delegation = delegation
        registration.role = role
        registration.consent = consent or registration.consent
        registration.queued_at = now
        registration.cancelled_at = None
        registration.promoted_at = None
        registration.save()
    if notify:
        transaction.on_commit(lambda: _notify_registered(registration))
    return registration


def _notify_registered(registration: Registration) -> None:
    from creative_regions.programmes.notifications import (
        BOTH_LANGUAGES,
        send_confirmation,
    )

    send_confirmation(registration, languages=BOTH_LANGUAGES)


def registration_is_over(event: Event) -> bool:
    """Whether the event is over, so its places are what they were."""
    return event.status == Event.Status.HELD or event.ends_on < timezone.localdate()


def registration_cancel(
    *, registration: Registration, user: User | None = None
) -> Registration:
    """Cancels a place (``user`` is who did it, none for the person's own
    link); a confirmed place freed goes to the first on the waitlist, who is
    told by e-mail. Once the event is over a place stays as it was: attendance
    says who came."""
    with transaction.atomic():
        event = _lock(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == Registration.Status.CANCELLED:
            return registration
        if registration_is_over(event):
            raise ValidationError(
                _("This event is over: its places can no longer be cancelled.")
            )
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration._history_user = user  # type: ignore[attr-defined]
        registration.save(update_fields=["status", "cancelled_at"])
        promoted = _promote_waitlist(event)
    from creative_regions.programmes.notifications import send_promotion

    for promoted_registration in promoted:
        send_promotion(promoted_registration)
    return registration


def _promote_waitlist(event: Event) -> list[Registration]:
    """Confirms the waitlist in its order while there are places; the caller
    holds the event's lock."""
    if event.capacity is None:
        free = None
    else:
        free = event.capacity - _confirmed_count(event)
        if free <= 0:
            return []
    waiting = Registration.objects.filter(
        event=event, status=Registration.Status.WAITLISTED
    ).order_by("queued_at", "pk")
    promoted = list(waiting if free is None else waiting[:free])
    now = timezone.now()
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
    return promoted


def public_register(
    *,
    event: Event,
    surname: str,
    first_name: str,
    email: str,
    region: Region,
    phone: str = "",
    patronymic: str = "",
    position: str = "",
    consent: bool,
    client: str = "",
) -> Registration:
    """A registration from the public page: the consent to the processing of
    personal data is required and recorded, the person is matched by e-mail or
    phone or recorded, and a confirmation with the QR code and the cancel link
    is sent."""
    if not consent:
        raise ValidationError(
            {
                "consent": _(
                    "Registration needs your consent to the processing of your "
                    "personal data."
                )
            }
        )
    if not email:
        raise ValidationError(
            {"email": _("Enter your e-mail: the confirmation goes there.")}
        )
    if not Event.objects.public().filter(pk=event.pk).exists():
        raise ValidationError(_("Registration for this event is closed."))
    evidence = _("Public registration for “%(event)s”%(client)s") % {
        "event": event.title,
        "client": f", {client}" if client else "",
    }
    try:
        with transaction.atomic():
            # The event's lock is taken before the person is looked up: two forms
            # of a new person at the same moment would otherwise both miss the
            # other's new record and register two people.
            _lock(event)
            person, given = person_from_self_registration(
                surname=surname,
                first_name=first_name,
                patronymic=patronymic,
                position=position,
                email=email,
                phone=phone,
                region=region,
                consent_evidence=evidence,
            )
            registration = registration_create(
                event=event,
                person=person,
                source=Registration.Source.PUBLIC,
                consent=given,
                notify=False,
            )
    except IntegrityError as error:
        # Two forms of the same person at the same moment: the database's
        # uniqueness decides, the second is told as any duplicate is.
        raise ValidationError(
            {"email": _("This person is already registered for this event.")}
        ) from error
    from creative_regions.programmes.notifications import send_confirmation

    send_confirmation(registration)
    return registration


# Delegations --------------------------------------------------------------------------

DELEGATION_FIELDS = {"region", "organisation", "head", "logistics"}


def delegation_create(*, user: User, event: Event, **fields: Any) -> Delegation:
    _check_delegation_writer(user, fields.get("region"))
    _check_open(event)
    delegation = Delegation(event=event, created_by=user)
    _apply(delegation, fields, DELEGATION_FIELDS)
    _clean_and_save(delegation, user)
    return delegation


def delegation_update(*, user: User, delegation: Delegation, **changes) -> Delegation:
    _check_delegation_writer(user, delegation.region)
    _apply(delegation, changes, DELEGATION_FIELDS)
    _check_delegation_writer(user, delegation.region)
    _clean_and_save(delegation, user)
    return delegation


def delegation_delete(*, user: User, delegation: Delegation) -> None:
    """Deletes a delegation nobody is registered with any more: members'
    places are cancelled one by one, so the waitlist moves and they are told."""
    _check_delegation_writer(user, delegation.region)
    if delegation.registrations.active().exists():
        raise ValidationError(
            _(
                "Members of this delegation are registered: cancel their "
                "registrations first."
            )
        )
    delegation._history_user = user  # type: ignore[attr-defined]
    delegation.delete()


@dataclass(frozen=True)
class MemberOutcome:
    person: Person
    registration: Registration | None
    error: str = ""


def delegation_register_members(
    *,
    user: User,
    delegation: Delegation,
    members: Iterable[tuple[Person, PersonRole | None]],
    notify: bool = True,
) -> list[MemberOutcome]:
    """Registers the delegation's members for the whole itinerary, each on its
    own: a member already registered is reported and does not stop the others.
    Each member registered gets their confirmation (see ``registration_create``)."""
    _check_delegation_writer(user, delegation.region)
    outcomes = []
    for person, role in members:
        try:
            registration = registration_create(
                event=delegation.event,
                person=person,
                source=Registration.Source.DELEGATION,
                delegation=delegation,
                role=role,
                notify=notify,
            )
        except ValidationError as error:
            outcomes.append(MemberOutcome(person, None, " ".join(error.messages)))
        else:
            outcomes.append(MemberOutcome(person, registration))
    return outcomes


# Attendance and feedback --------------------------------------------------------------


def check_in(
    *, user: User, registration: Registration, session: Session, method: str
) -> Attendance:
    """Marks the person present at the session (a second scan changes nothing)."""
    _check_staff(user)
    if session.event_id != registration.event_id:
        raise ValidationError({"session": _("This session belongs to another event.")})
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(
            _("%(person)s has no confirmed place: %(status)s.")
            % {
                "person": registration.person,
                "status": registration.get_status_display().lower(),
            }
        )
    attendance, _created = Attendance.objects.get_or_create(
        session=session,
        registration=registration,
        defaults={"method": method, "recorded_by": user},
    )
    if registration.checked_in_at is None:
        registration.checked_in_at = timezone.now()
        registration.save(update_fields=["checked_in_at"])
    return attendance


def attendance_set(
    *, user: User, registration: Registration, session: Session, present: bool
) -> None:
    """A cell of the attendance grid."""
    if present:
        check_in(
            user=user,
            registration=registration,
            session=session,
            method=Attendance.Method.GRID,
        )
        return
    _check_staff(user)
    Attendance.objects.filter(session=session, registration=registration).delete()


@transaction.atomic
def session_check_in_all(
    *,
    user: User,
    session: Session,
    registrations: Iterable[Registration],
    method: str = Attendance.Method.GRID,
) -> int:
    """Marks many people present at a session at once (a whole delegation
    coming through the door); those marked already stay as they were. Returns
    how many were marked now."""
    _check_staff(user)
    registrations = list(registrations)
    for registration in registrations:
        if registration.event_id != session.event_id:
            raise ValidationError(
                {"session": _("This session belongs to another event.")}
            )
        if registration.status != Registration.Status.CONFIRMED:
            raise ValidationError(
                _("%(person)s has no confirmed place: %(status)s.")
                % {
                    "person": registration.person,
                    "status": registration.get_status_display().lower(),
                }
            )
    present = set(
        Attendance.objects.filter(
            session=session, registration__in=registrations
        ).values_list("registration_id", flat=True)
    )
    new = [r for r in registrations if r.pk not in present]
    Attendance.objects.bulk_create(
        Attendance(session=session, registration=r, method=method, recorded_by=user)
        for r in new
    )
    first_time = [r for r in new if r.checked_in_at is None]
    now = timezone.now()
    for registration in first_time:
        registration.checked_in_at = now
    bulk_update_with_history(
        first_time, Registration, ["checked_in_at"], default_user=user
    )
    return len(new)


def feedback_submit(
    *, registration: Registration, rating: int, recommend: int, comment: str = ""
) -> Feedback:
    """A participant's feedback, once the event has started; sending it again
    replaces the earlier one."""
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(_("Only participants with a place can leave feedback."))
    if timezone.localdate() < registration.event.starts_on:
        raise ValidationError(_("Feedback opens when the event starts."))
    feedback = Feedback.objects.filter(registration=registration).first() or Feedback(
        registration=registration
    )
    feedback.rating, feedback.recommend, feedback.comment = rating, recommend, comment
    feedback.full_clean()
    feedback.save()
    return feedback


# Internships and outcomes -------------------------------------------------------------

PLACEMENT_FIELDS = {
    "participant",
    "host",
    "starts_on",
    "ends_on",
    "goals",
    "host_feedback",
}


def placement_create(*, user: User, event: Event, **fields: Any) -> InternshipPlacement:
    _check_staff(user)
    if event.format != Event.Format.INTERNSHIP:
        raise ValidationError(_("Placements belong to internships."))
    placement = InternshipPlacement(event=event)
    _apply(placement, fields, PLACEMENT_FIELDS)
    if (
        placement.starts_on
        and placement.ends_on
        and placement.ends_on < placement.starts_on
    ):
        raise ValidationError(
            {"ends_on": _("The placement cannot end before it starts.")}
        )
    _clean_and_save(placement, user)
    return placement


def placement_update(
    *, user: User, placement: InternshipPlacement, **changes
) -> InternshipPlacement:
    _check_staff(user)
    _apply(placement, changes, PLACEMENT_FIELDS)
    if placement.ends_on < placement.starts_on:
        raise ValidationError(
            {"ends_on": _("The placement cannot end before it starts.")}
        )
    _clean_and_save(placement, user)
    return placement


def outcome_add(
    *,
    user: User,
    event: Event,
    kind: str,
    summary: str,
    organisation: Organisation | None = None,
    follow_up=None,
) -> Outcome:
    _check_staff(user)
    outcome = Outcome(
        event=event,
        kind=kind,
        summary=summary,
        organisation=organisation,
        follow_up=follow_up,
    )
    _clean_and_save(outcome, user)
    return outcome


OUTCOME_FIELDS = {"kind", "summary", "organisation", "follow_up"}


def outcome_update(*, user: User, outcome: Outcome, **changes: Any) -> Outcome:
    _check_staff(user)
    _apply(outcome, changes, OUTCOME_FIELDS)
    _clean_and_save(outcome, user)
    return outcome


def outcome_delete(*, user: User, outcome: Outcome) -> None:
    """Deletes an outcome; the follow-up or organisation it named stays in the
    community."""
    _check_staff(user)
    outcome._history_user = user  # type: ignore[attr-defined]
    outcome.delete()


def placement_delete(*, user: User, placement: InternshipPlacement) -> None:
    _check_staff(user)
    placement._history_user = user  # type: ignore[attr-defined]
    placement.delete()


def event_interactions_link(
    *, user: User, event: Event, interactions: Iterable[Interaction]
) -> None:
    """Lists meetings already in the community's dialogue among those held
    during the event (a delegation's visit recorded in its region's dialogue,
    an agreement signed on an outreach visit)."""
    _check_staff(user)
    event.interactions.add(*interactions)


def outreach_meeting_record(
    *, user: User, event: Event, occurred_on: date, **interaction: Any
) -> Interaction:
    """A meeting held during an event (an outreach visit above all), written to
    the community's dialogue as an interaction of the event's region, with its
    participants and follow-ups, and linked to the event."""
    _check_staff(user)
    if not event.includes(occurred_on):
        raise ValidationError(
            {
                "occurred_on": _("The event runs from %(start)s to %(end)s.")
                % {
                    "start": date_format(event.starts_on, "SHORT_DATE_FORMAT"),
                    "end": date_format(event.ends_on, "SHORT_DATE_FORMAT"),
                }
            }
        )
    with transaction.atomic():
        recorded = interaction_record(
            user=user,
            region=event.region,
            occurred_on=occurred_on,
            **{"kind": Interaction.Kind.MEETING, **interaction},
        )
        event.interactions.add(recorded)
        for follow_up in recorded.follow_ups.all():
            Outcome.objects.create(
                event=event,
                kind=Outcome.Kind.FOLLOW_UP,
                summary=follow_up.description[:500],
                follow_up=follow_up,
            )
    return recorded
