"""The programmes' rules, through their services: places and the waitlist, one
registration a person, the public form's consent, itineraries, attendance,
feedback, delegations and outcomes."""

from __future__ import annotations

from datetime import date, time, timedelta
from itertools import pairwise

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from creative_regions.community.models import (
    Consent,
    FollowUp,
    Interaction,
    Person,
    PersonRole,
)
from creative_regions.community.services import FollowUpInput
from creative_regions.programmes import notifications, services
from creative_regions.programmes.models import (
    Attendance,
    Delegation,
    Event,
    Feedback,
    Outcome,
    Programme,
    Registration,
    Session,
)
from creative_regions.programmes.selectors import waitlist_position
from tests.community.factories import OrganisationFactory, PersonFactory
from tests.programmes.factories import (
    DelegationFactory,
    EventFactory,
    RegistrationFactory,
    SessionFactory,
    VenueFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

CONFIRMED = Registration.Status.CONFIRMED
WAITLISTED = Registration.Status.WAITLISTED
CANCELLED = Registration.Status.CANCELLED


def register(event: Event, person: Person | None = None, **kwargs) -> Registration:
    return services.registration_create(
        event=event,
        person=person or PersonFactory(),
        source=Registration.Source.STAFF,
        **kwargs,
    )


def statuses(event: Event) -> list[str]:
    """The event's registrations in the order of the queue."""
    return list(
        Registration.objects.filter(event=event)
        .order_by("queued_at", "pk")
        .values_list("status", flat=True)
    )


def messages(error: ValidationError) -> dict[str, list[str]]:
    return error.value.message_dict


# Places and the waitlist --------------------------------------------------------------


def test_places_go_first_come_first_served_then_the_waitlist_in_order(regions):
    event = EventFactory(capacity=2)

    first, second, third, fourth = (register(event) for _ in range(4))

    assert [r.status for r in (first, second, third, fourth)] == [
        CONFIRMED,
        CONFIRMED,
        WAITLISTED,
        WAITLISTED,
    ]
    assert [waitlist_position(r) for r in (first, third, fourth)] == [None, 1, 2]
    assert third.queued_at <= fourth.queued_at


def test_an_event_without_a_limit_confirms_everyone(regions):
    event = EventFactory(capacity=None)

    registrations = [register(event) for _ in range(5)]

    assert {r.status for r in registrations} == {CONFIRMED}


def test_cancelling_a_place_promotes_the_first_on_the_waitlist(regions, mailoutbox):
    event = EventFactory(capacity=2)
    confirmed, _other, first_waiting, second_waiting = (
        register(event) for _ in range(4)
    )

    services.registration_cancel(registration=confirmed)

    confirmed.refresh_from_db()
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert confirmed.status == CANCELLED and confirmed.cancelled_at is not None
    assert first_waiting.status == CONFIRMED
    assert first_waiting.promoted_at is not None
    assert second_waiting.status == WAITLISTED
    assert waitlist_position(second_waiting) == 1
    assert statuses(event).count(CONFIRMED) == 2


def test_cancelling_a_waitlisted_place_promotes_nobody(regions):
    event = EventFactory(capacity=1)
    register(event)
    leaving, staying = register(event), register(event)

    services.registration_cancel(registration=leaving)

    staying.refresh_from_db()
    assert staying.status == WAITLISTED
    assert waitlist_position(staying) == 1


def test_cancelling_twice_changes_nothing_the_second_time(regions):
    event = EventFactory(capacity=1)
    registration = register(event)
    waiting = register(event)
    services.registration_cancel(registration=registration)
    cancelled_at = Registration.objects.get(pk=registration.pk).cancelled_at

    services.registration_cancel(registration=registration)

    assert Registration.objects.get(pk=registration.pk).cancelled_at == cancelled_at
    assert Registration.objects.get(pk=waiting.pk).status == CONFIRMED
    assert statuses(event) == [CANCELLED, CONFIRMED]


def test_more_places_promote_the_waitlist_in_its_order(
    regions, manager, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1)
    register(event)
    first, second, third = (
        register(event, PersonFactory(email=f"w{n}@example.org")) for n in range(3)
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(user=manager, event=event, capacity=3)

    assert [
        Registration.objects.get(pk=r.pk).status for r in (first, second, third)
    ] == [CONFIRMED, CONFIRMED, WAITLISTED]
    # The two promoted are told, as when a place is freed by a cancellation.
    assert sorted(message.to[0] for message in mailoutbox) == [
        "w0@example.org",
        "w1@example.org",
    ]


def test_members_registered_by_staff_get_their_confirmation_in_both_languages(
    regions, manager, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(title="Study tour", capacity=1)
    delegation = DelegationFactory(event=event, region=regions["10"])
    first = PersonFactory(email="first@example.org")
    second = PersonFactory(email="second@example.org")
    without_email = PersonFactory(email="")

    with django_capture_on_commit_callbacks(execute=True):
        outcomes = services.delegation_register_members(
            user=manager,
            delegation=delegation,
            members=[(first, None), (second, None), (without_email, None)],
        )

    registrations = [outcome.registration for outcome in outcomes]
    assert [message.to for message in mailoutbox] == [
        ["first@example.org"],
        ["second@example.org"],
    ]
    assert [message.subject for message in mailoutbox] == [
        "Регистрация подтверждена: Study tour / Registration confirmed: Study tour",
        "Вы в листе ожидания: Study tour / You are on the waitlist: Study tour",
    ]
    for message, registration in zip(mailoutbox, registrations, strict=False):
        assert notifications.ticket_url(registration) in message.body


def test_a_registration_rolled_back_sends_nothing_and_demo_data_sends_nothing(
    regions, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory()

    with django_capture_on_commit_callbacks(execute=True):
        register(event, PersonFactory(email="quiet@example.org"), notify=False)
        with pytest.raises(ValidationError):
            register(event, Registration.objects.get().person)

    assert mailoutbox == []


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Event.Status.HELD},
        {
            "status": Event.Status.CONFIRMED,
            "starts_on": date(2024, 7, 7),
            "ends_on": date(2024, 7, 8),
        },
    ],
)
def test_a_place_cannot_be_cancelled_once_the_event_is_over(regions, manager, fields):
    event = EventFactory(capacity=1)
    place = register(event, notify=False)
    waiting = register(event, notify=False)
    Event.objects.filter(pk=event.pk).update(**fields)

    with pytest.raises(ValidationError) as raised:
        services.registration_cancel(registration=place, user=manager)

    assert raised.value.messages == [
        "This event is over: its places can no longer be cancelled."
    ]
    assert statuses(event) == [CONFIRMED, WAITLISTED]
    assert waiting.pk


def test_who_cancelled_a_place_is_in_its_history(regions, manager):
    place = register(EventFactory(), notify=False)

    services.registration_cancel(registration=place, user=manager)

    assert place.history.latest().history_user == manager
    assert place.history.latest().status == CANCELLED


def test_removing_the_limit_confirms_the_whole_waitlist(regions, manager):
    event = EventFactory(capacity=1)
    for _ in range(3):
        register(event)

    services.event_update(user=manager, event=event, capacity=None)

    assert statuses(event) == [CONFIRMED] * 3


# One registration a person ------------------------------------------------------------


def test_the_same_person_cannot_register_twice(regions):
    event = EventFactory(capacity=10)
    person = PersonFactory()
    register(event, person)

    with pytest.raises(ValidationError) as error:
        register(event, person)

    assert messages(error) == {
        "email": ["This person is already registered for this event."]
    }
    assert Registration.objects.filter(event=event).count() == 1


def test_a_waitlisted_person_cannot_register_again_either(regions):
    event = EventFactory(capacity=0)
    person = PersonFactory()
    register(event, person)

    with pytest.raises(ValidationError):
        register(event, person)

    assert statuses(event) == [WAITLISTED]


def test_a_cancelled_person_registers_again_at_the_end_of_the_queue(regions):
    event = EventFactory(capacity=1)
    leaver = PersonFactory()
    first = register(event, leaver)
    waiting = register(event)
    later = register(event)
    services.registration_cancel(registration=first)

    again = register(event, leaver)

    # The same record, renewed: its token (the QR code) stays valid.
    assert again.pk == first.pk and again.token == first.token
    assert again.status == WAITLISTED and again.cancelled_at is None
    assert Registration.objects.get(pk=waiting.pk).status == CONFIRMED
    assert waitlist_position(Registration.objects.get(pk=later.pk)) == 1
    assert waitlist_position(again) == 2


def test_a_registration_on_a_person_already_registered_elsewhere_is_independent(
    regions,
):
    person = PersonFactory()
    one, other = EventFactory(capacity=1), EventFactory(capacity=1)

    assert register(one, person).status == CONFIRMED
    assert register(other, person).status == CONFIRMED


@pytest.mark.parametrize(
    "status,message",
    [
        (Event.Status.CANCELLED, "This event is cancelled."),
        (Event.Status.HELD, "This event has already taken place."),
    ],
)
def test_registration_is_refused_for_cancelled_and_held_events(
    regions, status, message
):
    event = EventFactory(status=status, capacity=10)

    with pytest.raises(ValidationError) as error:
        register(event)

    assert error.value.messages == [message]
    assert not Registration.objects.exists()


def test_a_planned_event_takes_registrations(regions):
    event = EventFactory(status=Event.Status.PLANNED, capacity=10)

    assert register(event).status == CONFIRMED


# The public form ----------------------------------------------------------------------


def public(event: Event, regions, **overrides):
    values = {
        "event": event,
        "surname": "Петрова",
        "first_name": "Анна",
        "patronymic": "Сергеевна",
        "email": "anna.petrova@example.org",
        "phone": "+7 912 345-67-89",
        "region": regions["10"],
        "consent": True,
    }
    return services.public_register(**{**values, **overrides})


def test_public_registration_needs_the_consent_to_processing(regions):
    event = EventFactory(capacity=10)

    with pytest.raises(ValidationError) as error:
        public(event, regions, consent=False)

    assert messages(error) == {
        "consent": [
            "Registration needs your consent to the processing of your personal data."
        ]
    }
    assert not Person.objects.exists()
    assert not Registration.objects.exists()


def test_public_registration_records_the_consent_given_through_the_form(regions):
    event = EventFactory(capacity=10, title="Ознакомительный визит в Москву")

    registration = public(event, regions, client="192.0.2.1")

    consent = registration.consent
    assert registration.source == Registration.Source.PUBLIC
    assert registration.status == CONFIRMED
    assert consent.person == registration.person
    assert consent.purpose == Consent.Purpose.PROCESSING
    assert consent.channel == Consent.Channel.EVENT_REGISTRATION
    assert consent.given_on == timezone.localdate()
    assert consent.evidence == (
        "Public registration for “Ознакомительный визит в Москву”, 192.0.2.1"
    )
    person = registration.person
    assert (person.full_name, person.email, person.phone, person.region.code) == (
        "Петрова Анна Сергеевна",
        "anna.petrova@example.org",
        "+79123456789",
        "10",
    )


def test_public_registration_finds_a_known_person_by_email(regions):
    known = PersonFactory(surname="Петрова", email="Anna.Petrova@example.org")
    event = EventFactory(capacity=10)

    registration = public(event, regions, email="anna.petrova@EXAMPLE.org", phone="")

    assert registration.person == known
    assert Person.objects.count() == 1


def test_public_registration_finds_a_known_person_by_phone(regions):
    known = PersonFactory(phone="+79123456789", email="")
    event = EventFactory(capacity=10)

    registration = public(event, regions, email="new.address@example.org")

    assert registration.person == known
    assert Person.objects.count() == 1
    # The form fills the contact the record lacked, and changes nothing else.
    known.refresh_from_db()
    assert known.email == "new.address@example.org"
    assert known.surname.startswith("Иванов")


def test_public_registration_twice_is_refused_next_to_the_email(regions):
    event = EventFactory(capacity=10)
    public(event, regions)

    with pytest.raises(ValidationError) as error:
        public(event, regions, phone="")

    assert messages(error) == {
        "email": ["This person is already registered for this event."]
    }
    assert Registration.objects.count() == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"registration_open": False},
        {"status": Event.Status.CANCELLED},
        {"status": Event.Status.HELD},
    ],
)
def test_public_registration_is_refused_when_the_event_is_not_open(regions, changes):
    event = EventFactory(capacity=10, **changes)

    with pytest.raises(ValidationError) as error:
        public(event, regions)

    assert error.value.messages == ["Registration for this event is closed."]
    assert not Registration.objects.exists()


def test_public_registration_on_a_full_event_goes_to_the_waitlist(regions):
    event = EventFactory(capacity=1)
    register(event)

    registration = public(event, regions)

    assert registration.status == WAITLISTED
    assert waitlist_position(registration) == 1


# Itineraries --------------------------------------------------------------------------


def test_a_study_tour_from_the_template_visits_up_to_six_venues_then_debriefs(
    regions, manager
):
    for name in ("Винзавод", "Artplay", "ГЭС-2", "Флакон", "Хлебозавод", "Фабрика"):
        VenueFactory(name=name)
    VenueFactory(name="Дом культуры", region=regions["16"], city="Казань")
    VenueFactory(name="Арма")

    event = services.event_create(
        user=manager,
        format=Event.Format.STUDY_TOUR,
        title="Ознакомительный визит",
        starts_on=date(2027, 7, 7),
        ends_on=date(2027, 7, 8),
        region=regions["77"],
        city="Москва",
        from_template=True,
    )

    sessions = list(event.sessions.select_related("venue"))
    visits = [session for session in sessions if session.venue]
    assert len(visits) == 6
    assert {visit.venue.region.code for visit in visits} == {"77"}
    assert len({visit.venue_id for visit in visits}) == 6
    assert all(event.includes(session.day) for session in sessions)
    debrief = sessions[-1]
    assert debrief.venue is None and debrief.topic.startswith("Debrief")
    assert (debrief.day, debrief.starts_at) == (date(2027, 7, 8), time(17, 0))
    assert all(
        visit.ends_at <= debrief.starts_at
        for visit in visits
        if visit.day == debrief.day
    )


@pytest.mark.parametrize("days,visits", [(1, 3), (2, 6), (4, 6)])
def test_the_template_gives_three_to_six_visits_by_the_tours_length(
    regions, days, visits
):
    for number in range(8):
        VenueFactory(name=f"Пространство {number}")
    event = EventFactory(
        starts_on=date(2027, 7, 7), ends_on=date(2027, 7, 6 + days), capacity=None
    )

    template = services.itinerary_template(event)

    assert len([values for values in template if values.get("venue")]) == visits
    assert template[-1]["day"] == event.ends_on
    assert template[-1]["topic"] == "Debrief: what the delegation takes home"
    # No two sessions of the template overlap.
    slots = sorted((v["day"], v["starts_at"], v["ends_at"]) for v in template)
    for (day, _start, end), (next_day, next_start, _end) in pairwise(slots):
        assert day < next_day or end <= next_start


def test_the_template_prefers_the_venues_itineraries_use_most(regions):
    favourite = VenueFactory(name="Я последняя по алфавиту")
    SessionFactory.create_batch(2, venue=favourite)
    for number in range(4):
        VenueFactory(name=f"Площадка {number}")
    event = EventFactory(starts_on=date(2027, 9, 1), ends_on=date(2027, 9, 1))

    template = services.itinerary_template(event)

    assert template[0]["venue"] == favourite
    assert template[0]["topic"] == "Visit: Я последняя по алфавиту"


def test_other_formats_start_with_an_opening_and_a_closing(regions):
    event = EventFactory(
        format=Event.Format.BUSINESS_MISSION,
        starts_on=date(2027, 7, 6),
        ends_on=date(2027, 7, 7),
    )

    template = services.itinerary_template(event)

    assert [(v["day"], v["topic"]) for v in template] == [
        (date(2027, 7, 6), "Opening"),
        (date(2027, 7, 7), "Closing and next steps"),
    ]


def test_a_session_outside_the_events_dates_is_refused(regions, manager):
    event = EventFactory(starts_on=date(2027, 7, 7), ends_on=date(2027, 7, 8))

    with pytest.raises(ValidationError) as error:
        services.session_add(
            user=manager,
            event=event,
            day=date(2027, 7, 9),
            starts_at=time(10),
            ends_at=time(11),
            topic="Лишний день",
        )

    assert messages(error) == {"day": ["The event runs from 07/07/2027 to 08/07/2027."]}
    assert not Session.objects.exists()


def test_a_session_ending_before_it_starts_is_refused(regions, manager):
    event = EventFactory()

    with pytest.raises(ValidationError) as error:
        services.session_add(
            user=manager,
            event=event,
            day=event.starts_on,
            starts_at=time(12),
            ends_at=time(11),
            topic="Наоборот",
        )

    assert messages(error)["ends_at"] == ["A session ends after it starts."]


def test_an_overlapping_session_is_kept_for_staff_to_decide(regions, manager):
    venue = VenueFactory()
    SessionFactory(venue=venue, starts_at=time(10), ends_at=time(12))
    event = EventFactory()

    session = services.session_add(
        user=manager,
        event=event,
        day=event.starts_on,
        starts_at=time(11),
        ends_at=time(13),
        venue=venue,
        topic="Вторая группа",
    )

    assert Session.objects.filter(venue=venue).count() == 2
    assert session.pk


def test_moving_an_event_away_from_its_sessions_is_refused(regions, manager):
    event = EventFactory(starts_on=date(2027, 7, 7), ends_on=date(2027, 7, 8))
    SessionFactory(event=event, day=date(2027, 7, 8))

    with pytest.raises(ValidationError) as error:
        services.event_update(
            user=manager,
            event=event,
            starts_on=date(2027, 8, 7),
            ends_on=date(2027, 8, 8),
        )

    assert list(messages(error)) == ["starts_on"]
    assert "outside these dates" in messages(error)["starts_on"][0]
    assert Event.objects.get(pk=event.pk).starts_on == date(2027, 7, 7)


def test_an_event_of_another_format_than_its_programme_is_refused(regions, manager):
    from tests.programmes.factories import ProgrammeFactory

    programme = ProgrammeFactory(
        name="Business missions 2027", format="business_mission"
    )

    with pytest.raises(ValidationError) as error:
        services.event_create(
            user=manager,
            programme=programme,
            format=Event.Format.STUDY_TOUR,
            title="Визит",
            starts_on=date(2027, 7, 7),
            ends_on=date(2027, 7, 7),
            region=regions["77"],
            city="Москва",
        )

    assert messages(error) == {
        "format": [
            "The programme “Business missions 2027” is a series of another format: "
            "Business mission."
        ]
    }
    assert not Event.objects.exists()


def test_an_event_with_people_registered_cannot_be_deleted(regions, manager):
    registration = RegistrationFactory()

    with pytest.raises(ValidationError) as error:
        services.event_delete(user=manager, event=registration.event)

    assert "cancel it instead" in error.value.messages[0]
    assert Event.objects.filter(pk=registration.event_id).exists()


@pytest.mark.parametrize("who", ["expert", "partner_karelia"])
def test_only_staff_plan_events(request, regions, who):
    user = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        services.event_create(
            user=user,
            format=Event.Format.SEMINAR,
            title="Семинар",
            starts_on=date(2027, 7, 7),
            ends_on=date(2027, 7, 7),
            region=regions["10"],
            city="Петрозаводск",
        )

    assert not Event.objects.exists()


# Delegations --------------------------------------------------------------------------


def test_a_partner_registers_a_delegation_of_their_region_only(
    regions, partner_karelia
):
    event = EventFactory()

    own = services.delegation_create(
        user=partner_karelia, event=event, region=regions["10"]
    )
    with pytest.raises(ValidationError) as error:
        services.delegation_create(
            user=partner_karelia, event=event, region=regions["16"]
        )

    assert own.created_by == partner_karelia
    assert messages(error) == {
        "region": ["You can only register delegations of your own regions."]
    }
    assert event.delegations.count() == 1


def test_an_expert_registers_no_delegation(regions, expert):
    with pytest.raises(PermissionDenied):
        services.delegation_create(
            user=expert, event=EventFactory(), region=regions["10"]
        )


def test_a_delegation_registers_each_member_and_reports_the_ones_already_in(
    regions, manager
):
    event = EventFactory(capacity=2)
    delegation = DelegationFactory(event=event)
    official = PersonRole.objects.get(code="official")
    already = PersonFactory(surname="Уже")
    register(event, already)
    newcomers = [PersonFactory(surname=f"Новый{n}") for n in range(2)]

    outcomes = services.delegation_register_members(
        user=manager,
        delegation=delegation,
        members=[(already, None), (newcomers[0], official), (newcomers[1], None)],
    )

    assert [(o.person, o.error) for o in outcomes] == [
        (already, "This person is already registered for this event."),
        (newcomers[0], ""),
        (newcomers[1], ""),
    ]
    confirmed, waitlisted = outcomes[1].registration, outcomes[2].registration
    assert (confirmed.status, confirmed.delegation, confirmed.role) == (
        CONFIRMED,
        delegation,
        official,
    )
    assert confirmed.source == Registration.Source.DELEGATION
    assert waitlisted.status == WAITLISTED


def test_a_partner_cannot_register_members_into_another_regions_delegation(
    regions, partner_tatarstan
):
    delegation = DelegationFactory(region=regions["10"])

    with pytest.raises(ValidationError):
        services.delegation_register_members(
            user=partner_tatarstan,
            delegation=delegation,
            members=[(PersonFactory(), None)],
        )

    assert not Registration.objects.exists()


# Attendance and feedback --------------------------------------------------------------


def test_check_in_marks_the_session_once(regions, manager):
    registration = RegistrationFactory()
    session = SessionFactory(event=registration.event)

    first = services.check_in(
        user=manager,
        registration=registration,
        session=session,
        method=Attendance.Method.QR,
    )
    again = services.check_in(
        user=manager,
        registration=registration,
        session=session,
        method=Attendance.Method.SEARCH,
    )

    assert first == again and again.method == Attendance.Method.QR
    assert Attendance.objects.count() == 1
    registration.refresh_from_db()
    assert registration.checked_in_at is not None


def test_a_waitlisted_person_is_not_checked_in(regions, manager):
    registration = RegistrationFactory(
        status=WAITLISTED, person__surname="Ждёт", person__patronymic=""
    )
    session = SessionFactory(event=registration.event)

    with pytest.raises(ValidationError) as error:
        services.check_in(
            user=manager,
            registration=registration,
            session=session,
            method=Attendance.Method.QR,
        )

    assert error.value.messages == ["Ждёт Иван has no confirmed place: waitlisted."]
    assert not Attendance.objects.exists()


def test_a_session_of_another_event_is_refused_at_check_in(regions, manager):
    registration = RegistrationFactory()

    with pytest.raises(ValidationError) as error:
        services.check_in(
            user=manager,
            registration=registration,
            session=SessionFactory(),
            method=Attendance.Method.QR,
        )

    assert messages(error) == {"session": ["This session belongs to another event."]}


def test_the_attendance_grid_sets_and_clears_a_cell(regions, manager):
    registration = RegistrationFactory()
    session = SessionFactory(event=registration.event)

    services.attendance_set(
        user=manager, registration=registration, session=session, present=True
    )
    marked = Attendance.objects.get()
    services.attendance_set(
        user=manager, registration=registration, session=session, present=False
    )

    assert marked.method == Attendance.Method.GRID
    assert not Attendance.objects.exists()


def test_feedback_opens_when_the_event_starts(regions):
    registration = RegistrationFactory(
        event__starts_on=timezone.localdate() + timedelta(days=1),
        event__ends_on=timezone.localdate() + timedelta(days=2),
    )

    with pytest.raises(ValidationError) as error:
        services.feedback_submit(registration=registration, rating=5, recommend=10)

    assert error.value.messages == ["Feedback opens when the event starts."]
    assert not Feedback.objects.exists()


def test_feedback_sent_again_replaces_the_first(regions):
    registration = RegistrationFactory(
        event__starts_on=date(2024, 7, 7), event__ends_on=date(2024, 7, 8)
    )

    services.feedback_submit(registration=registration, rating=3, recommend=6)
    services.feedback_submit(
        registration=registration, rating=5, recommend=10, comment="Спасибо!"
    )

    feedback = Feedback.objects.get()
    assert (feedback.rating, feedback.recommend, feedback.comment) == (
        5,
        10,
        "Спасибо!",
    )


@pytest.mark.parametrize(
    "rating,recommend,field",
    [(0, 5, "rating"), (6, 5, "rating"), (3, 11, "recommend")],
)
def test_feedback_out_of_its_scales_is_refused_by_field(
    regions, rating, recommend, field
):
    registration = RegistrationFactory(
        event__starts_on=date(2024, 7, 7), event__ends_on=date(2024, 7, 8)
    )

    with pytest.raises(ValidationError) as error:
        services.feedback_submit(
            registration=registration, rating=rating, recommend=recommend
        )

    assert list(messages(error)) == [field]
    assert not Feedback.objects.exists()


def test_only_participants_with_a_place_leave_feedback(regions):
    registration = RegistrationFactory(
        status=CANCELLED,
        event__starts_on=date(2024, 7, 7),
        event__ends_on=date(2024, 7, 8),
    )

    with pytest.raises(ValidationError) as error:
        services.feedback_submit(registration=registration, rating=5, recommend=9)

    assert error.value.messages == [
        "Only participants with a place can leave feedback."
    ]


# Internships and outcomes -------------------------------------------------------------


def test_placements_belong_to_internships(regions, manager):
    tour = EventFactory(format=Event.Format.STUDY_TOUR)

    with pytest.raises(ValidationError) as error:
        services.placement_create(
            user=manager,
            event=tour,
            participant=PersonFactory(),
            host=OrganisationFactory(),
            starts_on=date(2027, 7, 7),
            ends_on=date(2027, 7, 20),
        )

    assert error.value.messages == ["Placements belong to internships."]


def test_a_placement_cannot_end_before_it_starts(regions, manager):
    internship = EventFactory(format=Event.Format.INTERNSHIP)

    with pytest.raises(ValidationError) as error:
        services.placement_create(
            user=manager,
            event=internship,
            participant=PersonFactory(),
            host=OrganisationFactory(),
            starts_on=date(2027, 7, 20),
            ends_on=date(2027, 7, 7),
        )

    assert messages(error) == {
        "ends_on": ["The placement cannot end before it starts."]
    }


def test_a_meeting_on_an_outreach_visit_is_written_to_the_community(regions, manager):
    visit = EventFactory(
        format=Event.Format.OUTREACH_VISIT,
        region=regions["35"],
        city="Череповец",
        starts_on=date(2023, 10, 12),
        ends_on=date(2023, 10, 12),
    )
    met = PersonFactory(region=regions["35"])
    company = OrganisationFactory(region=regions["35"], full_name="ООО «Мега-Пак»")

    interaction = services.outreach_meeting_record(
        user=manager,
        event=visit,
        occurred_on=date(2023, 10, 12),
        topic="Встреча с «Мега-Пак»",
        people=[met],
        organisations=[company],
        follow_ups=[
            FollowUpInput(
                description="Подготовить соглашение о сотрудничестве",
                owner=manager,
                due_on=date(2023, 11, 1),
            )
        ],
    )

    assert interaction.kind == Interaction.Kind.MEETING
    assert interaction.region == regions["35"]
    assert list(interaction.people.all()) == [met]
    assert list(visit.interactions.all()) == [interaction]
    outcome = Outcome.objects.get(event=visit)
    assert outcome.kind == Outcome.Kind.FOLLOW_UP
    assert outcome.follow_up == FollowUp.objects.get(interaction=interaction)
    assert outcome.summary == "Подготовить соглашение о сотрудничестве"


def test_a_meeting_outside_the_visits_dates_is_refused(regions, manager):
    visit = EventFactory(
        format=Event.Format.OUTREACH_VISIT,
        starts_on=date(2023, 10, 12),
        ends_on=date(2023, 10, 12),
    )

    with pytest.raises(ValidationError) as error:
        services.outreach_meeting_record(
            user=manager, event=visit, occurred_on=date(2023, 10, 13), topic="Поздно"
        )

    assert list(messages(error)) == ["occurred_on"]
    assert not Interaction.objects.exists()


def test_a_whole_delegation_is_marked_present_at_once(regions, manager):
    event = EventFactory()
    session = SessionFactory(event=event)
    already = RegistrationFactory(event=event)
    services.check_in(user=manager, registration=already, session=session, method="qr")
    checked_in_at = Registration.objects.get(pk=already.pk).checked_in_at
    arriving = RegistrationFactory.create_batch(3, event=event)

    marked = services.session_check_in_all(
        user=manager, session=session, registrations=[already, *arriving]
    )

    assert marked == 3
    assert Attendance.objects.filter(session=session).count() == 4
    assert Attendance.objects.get(registration=already).method == "qr"
    assert Registration.objects.get(pk=already.pk).checked_in_at == checked_in_at
    assert not Registration.objects.filter(
        event=event, checked_in_at__isnull=True
    ).exists()
    # The change of each registration is in its history, by the user.
    assert arriving[0].history.latest().history_user == manager


def test_marking_a_group_present_refuses_anyone_without_a_place(regions, manager):
    event = EventFactory()
    session = SessionFactory(event=event)
    waiting = RegistrationFactory(
        event=event, status=WAITLISTED, person__surname="Ждёт", person__patronymic=""
    )

    with pytest.raises(ValidationError) as error:
        services.session_check_in_all(
            user=manager,
            session=session,
            registrations=[RegistrationFactory(event=event), waiting],
        )
    with pytest.raises(ValidationError) as other:
        services.session_check_in_all(
            user=manager, session=session, registrations=[RegistrationFactory()]
        )

    assert error.value.messages == ["Ждёт Иван has no confirmed place: waitlisted."]
    assert messages(other) == {"session": ["This session belongs to another event."]}
    assert not Attendance.objects.exists()


def test_a_programme_with_events_is_not_deleted(regions, manager):
    from tests.programmes.factories import ProgrammeFactory

    programme = ProgrammeFactory()
    EventFactory(programme=programme)
    empty = ProgrammeFactory()

    with pytest.raises(ValidationError) as error:
        services.programme_delete(user=manager, programme=programme)
    services.programme_delete(user=manager, programme=empty)

    assert error.value.messages == [
        "Events belong to this programme: move or delete them first."
    ]
    assert list(Programme.objects.all()) == [programme]


def test_a_delegation_whose_members_all_cancelled_can_be_deleted(
    regions, partner_karelia
):
    delegation = DelegationFactory(region=regions["10"])
    member = RegistrationFactory(event=delegation.event, delegation=delegation)
    services.registration_cancel(registration=member)

    services.delegation_delete(user=partner_karelia, delegation=delegation)

    assert not Delegation.objects.exists()
    assert Registration.objects.get(pk=member.pk).delegation is None


@pytest.mark.parametrize("who", ["expert", "partner_karelia"])
def test_only_staff_link_meetings_and_change_outcomes(request, regions, who):
    from tests.community.factories import InteractionFactory

    user = request.getfixturevalue(who)
    event = EventFactory(region=regions["10"], city="Петрозаводск")
    outcome = Outcome.objects.create(event=event, kind="other", summary="Итог")

    with pytest.raises(PermissionDenied):
        services.event_interactions_link(
            user=user, event=event, interactions=[InteractionFactory()]
        )
    with pytest.raises(PermissionDenied):
        services.outcome_update(user=user, outcome=outcome, summary="Другой")
    with pytest.raises(PermissionDenied):
        services.outcome_delete(user=user, outcome=outcome)

    assert not event.interactions.exists()
    assert Outcome.objects.get().summary == "Итог"
