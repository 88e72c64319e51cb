"""Reads of the programmes: who sees which event, delegation and registration;
venue conflicts in itineraries; the totals and feedback figures staff read."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creative_regions.programmes import selectors
from creative_regions.programmes.models import (
    Attendance,
    Delegation,
    Event,
    Feedback,
    Registration,
    Session,
)
from tests.community.factories import PersonFactory
from tests.core.factories import UserFactory
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


# Who sees what ------------------------------------------------------------------------


@pytest.fixture
def world(regions):
    """A Kazan seminar; a Moscow study tour with a Karelian delegation; a
    Moscow forum nobody from the regions attends; a registration of each
    region's person at each visible place. The Moscow events no longer take
    registrations, so only delegations make them visible to partners."""
    kazan = EventFactory(
        title="Семинар в Казани",
        format=Event.Format.SEMINAR,
        region=regions["16"],
        city="Казань",
    )
    tour = EventFactory(
        title="Визит в Москву", region=regions["77"], registration_open=False
    )
    forum = EventFactory(
        title="Форум в Москве", region=regions["77"], registration_open=False
    )
    karelians = DelegationFactory(event=tour, region=regions["10"])
    tatar = PersonFactory(region=regions["16"], surname="Татарстанова")
    karelian = PersonFactory(region=regions["10"], surname="Карелова")
    muscovite = PersonFactory(region=regions["77"], surname="Москвина")
    return {
        "events": {"kazan": kazan, "tour": tour, "forum": forum},
        "delegation": karelians,
        "registrations": {
            "tatar@kazan": RegistrationFactory(event=kazan, person=tatar),
            "muscovite@kazan": RegistrationFactory(event=kazan, person=muscovite),
            "karelian@tour": RegistrationFactory(
                event=tour, person=karelian, delegation=karelians
            ),
            "muscovite@tour": RegistrationFactory(event=tour, person=muscovite),
            # A Tatarstan person on their own at a Moscow event that no
            # delegation of Tatarstan attends.
            "tatar@forum": RegistrationFactory(event=forum, person=tatar),
        },
        "sessions": {
            name: SessionFactory(event=event)
            for name, event in (("kazan", kazan), ("tour", tour), ("forum", forum))
        },
    }


def names(queryset, catalogue) -> set[str]:
    ids = set(queryset.values_list("pk", flat=True))
    return {name for name, record in catalogue.items() if record.pk in ids}


@pytest.mark.parametrize(
    "who,expected",
    [
        ("partner_tatarstan", {"kazan"}),
        # Moscow's tour, where Karelia sends a delegation.
        ("partner_karelia", {"tour"}),
        ("manager", {"kazan", "tour", "forum"}),
        ("expert", {"kazan", "tour", "forum"}),
        ("analyst", {"kazan", "tour", "forum"}),
    ],
)
def test_a_partner_sees_events_in_their_regions_and_those_their_delegations_attend(
    request, world, who, expected
):
    user = request.getfixturevalue(who)

    assert names(Event.objects.visible_to(user), world["events"]) == expected
    assert names(selectors.event_list(user=user), world["events"]) == expected
    assert names(Session.objects.visible_to(user), world["sessions"]) == expected


@pytest.mark.parametrize(
    ("fields", "is_seen"),
    [
        ({}, True),
        ({"format": Event.Format.BUSINESS_MISSION}, True),
        ({"format": Event.Format.FORUM}, True),
        ({"registration_open": False}, False),
        ({"status": Event.Status.CANCELLED}, False),
        ({"status": Event.Status.HELD}, False),
        ({"starts_on": date(2020, 7, 7), "ends_on": date(2020, 7, 8)}, False),
        ({"format": Event.Format.SEMINAR}, False),
        ({"format": Event.Format.OUTREACH_VISIT}, False),
        ({"format": Event.Format.INTERNSHIP}, False),
    ],
)
def test_a_partner_sees_the_events_taking_delegations_from_every_region(
    regions, partner_tatarstan, fields, is_seen
):
    """So a region can register its first delegation to a Moscow study tour."""
    event = EventFactory(region=regions["77"], **fields)

    assert Event.objects.visible_to(partner_tatarstan).contains(event) is is_seen
    assert not Registration.objects.visible_to(partner_tatarstan).exists()


def test_anonymous_and_regionless_partners_see_no_event(world):
    from django.contrib.auth.models import AnonymousUser

    regionless = UserFactory(role="partner")

    assert not Event.objects.visible_to(AnonymousUser()).exists()
    assert not Event.objects.visible_to(regionless).exists()
    assert not Registration.objects.visible_to(regionless).exists()


@pytest.mark.parametrize(
    "who,expected",
    [
        ("partner_tatarstan", {"tatar@kazan"}),
        ("partner_karelia", {"karelian@tour"}),
        (
            "manager",
            {
                "tatar@kazan",
                "muscovite@kazan",
                "karelian@tour",
                "muscovite@tour",
                "tatar@forum",
            },
        ),
    ],
)
def test_a_partner_sees_their_regions_registrations_at_the_events_they_see(
    request, world, who, expected
):
    user = request.getfixturevalue(who)

    visible = Registration.objects.visible_to(user)

    assert names(visible, world["registrations"]) == expected
    assert names(selectors.registration_list(user=user), world["registrations"]) == (
        expected
    )


@pytest.mark.parametrize(
    "who,count",
    [("partner_tatarstan", 0), ("partner_karelia", 1), ("expert", 1)],
)
def test_delegations_are_their_sending_regions_records(request, world, who, count):
    user = request.getfixturevalue(who)

    assert Delegation.objects.visible_to(user).count() == count
    assert selectors.delegation_list(user=user).count() == count


def test_a_partner_gets_not_found_for_another_regions_event_and_delegation(
    world, partner_tatarstan, partner_karelia
):
    tour, delegation = world["events"]["tour"], world["delegation"]

    with pytest.raises(Http404):
        selectors.event_get_for_user(user=partner_tatarstan, pk=tour.pk)
    with pytest.raises(Http404):
        selectors.delegation_get_for_user(user=partner_tatarstan, pk=delegation.pk)
    assert selectors.event_get_for_user(user=partner_karelia, pk=tour.pk) == tour
    assert (
        selectors.delegation_get_for_user(user=partner_karelia, pk=delegation.pk)
        == delegation
    )


@pytest.mark.parametrize("pk", ["abc", None, "999999", "-1"])
def test_a_malformed_or_unknown_id_is_not_found(world, manager, pk):
    with pytest.raises(Http404):
        selectors.event_get_for_user(user=manager, pk=pk)


def test_the_delegation_list_counts_members_not_cancelled(world):
    delegation = world["delegation"]
    RegistrationFactory(event=delegation.event, delegation=delegation)
    RegistrationFactory(event=delegation.event, delegation=delegation, status=CANCELLED)
    manager = UserFactory(role="manager")

    listed = selectors.delegation_list(user=manager, event=delegation.event).get()

    assert listed.member_count == 2


def test_public_events_are_open_to_registration_and_neither_held_nor_cancelled(
    regions,
):
    open_event = EventFactory(title="Открыто")
    EventFactory(title="Закрыто", registration_open=False)
    EventFactory(title="Прошло", status=Event.Status.HELD)
    EventFactory(title="Отменено", status=Event.Status.CANCELLED)

    assert list(Event.objects.public()) == [open_event]
    assert selectors.public_event_get(public_key=open_event.public_key) == open_event
    with pytest.raises(Http404):
        selectors.public_event_get(public_key="not-a-uuid")


def test_events_between_takes_those_running_on_any_day_of_the_range(regions, manager):
    EventFactory(title="До", starts_on=date(2027, 6, 28), ends_on=date(2027, 6, 30))
    EventFactory(title="Через", starts_on=date(2027, 6, 30), ends_on=date(2027, 7, 2))
    EventFactory(title="Внутри", starts_on=date(2027, 7, 10), ends_on=date(2027, 7, 10))
    EventFactory(title="После", starts_on=date(2027, 8, 1), ends_on=date(2027, 8, 2))

    july = selectors.events_between(
        user=manager, first=date(2027, 7, 1), last=date(2027, 7, 31)
    )

    assert [event.title for event in july] == ["Через", "Внутри"]


# Venue conflicts ----------------------------------------------------------------------


def test_two_events_at_one_venue_at_overlapping_times_are_flagged(regions):
    winzavod = VenueFactory(name="Винзавод")
    karelia = SessionFactory(
        venue=winzavod, starts_at=time(10), ends_at=time(11, 30), topic="Карелия"
    )
    kazan = SessionFactory(
        venue=winzavod, starts_at=time(11), ends_at=time(12), topic="Казань"
    )
    after = SessionFactory(
        venue=winzavod, starts_at=time(12), ends_at=time(13), topic="Смежная"
    )
    elsewhere = SessionFactory(
        venue=VenueFactory(name="Artplay"),
        starts_at=time(10),
        ends_at=time(12),
        topic="Другая площадка",
    )
    next_day = SessionFactory(
        venue=winzavod,
        day=karelia.day + timedelta(days=1),
        starts_at=time(10),
        ends_at=time(12),
        event=karelia.event,
    )
    no_venue = SessionFactory(starts_at=time(10), ends_at=time(12))

    conflicts = selectors.session_conflicts(
        [karelia, kazan, after, elsewhere, next_day, no_venue]
    )

    assert conflicts == {karelia.pk: [kazan], kazan.pk: [karelia]}
    assert karelia.event != kazan.event


def test_conflicts_of_one_itinerary_include_sessions_of_other_events(regions):
    venue = VenueFactory()
    mine = SessionFactory(venue=venue, starts_at=time(10), ends_at=time(12))
    theirs = SessionFactory(venue=venue, starts_at=time(9), ends_at=time(10, 1))

    conflicts = selectors.session_conflicts(selectors.session_list(event=mine.event))

    assert conflicts == {mine.pk: [theirs]}


def test_no_sessions_no_conflicts(regions):
    assert selectors.session_conflicts([]) == {}


# One slot: (event, venue or none, day, start and end in quarters of an hour).
slots = st.tuples(
    st.integers(0, 1),
    st.one_of(st.none(), st.integers(0, 1)),
    st.integers(0, 1),
    st.integers(32, 76),
    st.integers(1, 8),
)


def _minutes(start: int, length: int) -> set[int]:
    return set(range(start * 15, (start + length) * 15))


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(slots, min_size=1, max_size=8))
def test_conflicts_are_exactly_the_overlapping_pairs_at_a_venue(regions, rows):
    """Against a brute force: two sessions clash when they share a venue, a day
    and at least one minute; touching ends do not clash."""
    with transaction.atomic():
        events = [EventFactory(capacity=None) for _ in range(2)]
        venues = [VenueFactory() for _ in range(2)]
        sessions = [
            Session.objects.create(
                event=events[event],
                venue=None if venue is None else venues[venue],
                day=events[event].starts_on + timedelta(days=day),
                starts_at=time(start // 4, start % 4 * 15),
                ends_at=time((start + length) // 4, (start + length) % 4 * 15),
                topic="x",
            )
            for event, venue, day, start, length in rows
        ]
        expected = {}
        for index, (_event, venue, day, start, length) in enumerate(rows):
            clashes = {
                sessions[other].pk
                for other, (_e, other_venue, other_day, other_start, other_length) in (
                    enumerate(rows)
                )
                if other != index
                and venue is not None
                and other_venue == venue
                and other_day == day
                and _minutes(start, length) & _minutes(other_start, other_length)
            }
            if clashes:
                expected[sessions[index].pk] = clashes

        # Asked about one event's itinerary, sessions of the other count too.
        first_event = [s for s in sessions if s.event == events[0]]
        found = selectors.session_conflicts(first_event)

        assert {pk: {s.pk for s in clashes} for pk, clashes in found.items()} == {
            pk: clashes
            for pk, clashes in expected.items()
            if pk in {s.pk for s in first_event}
        }
        transaction.set_rollback(True)


# Totals and feedback ------------------------------------------------------------------


def test_registration_totals_count_each_status_and_who_came(regions):
    event = EventFactory(capacity=4)
    session = SessionFactory(event=event)
    delegation = DelegationFactory(event=event)
    came = RegistrationFactory(event=event, delegation=delegation)
    Attendance.objects.create(session=session, registration=came, method="qr")
    # Two sessions attended still count once.
    Attendance.objects.create(
        session=SessionFactory(event=event), registration=came, method="grid"
    )
    RegistrationFactory(event=event, checked_in_at=timezone.now())
    RegistrationFactory(event=event, delegation=delegation)
    RegistrationFactory.create_batch(2, event=event, status=WAITLISTED)
    RegistrationFactory(event=event, status=CANCELLED, delegation=delegation)
    RegistrationFactory(status=CONFIRMED)  # another event's

    everyone = selectors.registration_totals(event.registrations.all(), event)
    delegates = selectors.registration_totals(
        event.registrations.filter(delegation=delegation), event
    )

    assert everyone == selectors.RegistrationTotals(
        registered=5,
        confirmed=3,
        waitlisted=2,
        cancelled=1,
        attended=2,
        capacity=4,
    )
    assert everyone.free == 1
    assert (delegates.registered, delegates.confirmed, delegates.cancelled) == (2, 2, 1)
    assert delegates.attended == 1


def test_places_left_never_go_below_zero_and_are_unknown_without_a_limit(regions):
    full = EventFactory(capacity=1)
    RegistrationFactory.create_batch(2, event=full)
    open_ended = EventFactory(capacity=None)

    assert selectors.registration_totals(full.registrations.all(), full).free == 0
    assert (
        selectors.registration_totals(open_ended.registrations.all(), open_ended).free
        is None
    )


def test_feedback_results_give_the_average_the_spread_and_the_nps(regions):
    event = EventFactory(starts_on=date(2024, 7, 7), ends_on=date(2024, 7, 8))
    answers = [
        (5, 10, "Очень полезно"),
        (4, 9, ""),
        (4, 9, "Хотим ещё"),
        (2, 7, ""),
        (5, 6, ""),
        (3, 3, "Мало времени на площадках"),
    ]
    for rating, recommend, comment in answers:
        Feedback.objects.create(
            registration=RegistrationFactory(event=event),
            rating=rating,
            recommend=recommend,
            comment=comment,
        )
    Feedback.objects.create(
        registration=RegistrationFactory(), rating=1, recommend=0
    )  # another event's

    results = selectors.feedback_results(event)

    assert results.responses == 6
    assert results.average_rating == pytest.approx(23 / 6)
    assert results.ratings == {1: 0, 2: 1, 3: 1, 4: 2, 5: 2}
    # Promoters 10, 9, 9; passive 7; detractors 6 and 3: (3 − 2) / 6 = 16.7 %.
    assert (results.promoters, results.passives, results.detractors) == (3, 1, 2)
    assert results.net_promoter_score == pytest.approx(100 / 6)
    assert sorted(f.comment for f in results.comments) == [
        "Мало времени на площадках",
        "Очень полезно",
        "Хотим ещё",
    ]


def test_feedback_results_of_an_event_without_answers_are_empty(regions):
    results = selectors.feedback_results(EventFactory())

    assert results.responses == 0
    assert results.average_rating is None
    assert results.net_promoter_score is None
    assert results.ratings == {1: 0, 2: 0, 3: 0, 4: 0, 5: 0}


def test_the_waitlist_position_counts_those_queued_earlier(regions):
    event = EventFactory(capacity=0)
    now = timezone.now()
    first = RegistrationFactory(event=event, status=WAITLISTED, queued_at=now)
    # Same instant: the earlier record goes first.
    second = RegistrationFactory(event=event, status=WAITLISTED, queued_at=now)
    third = RegistrationFactory(
        event=event, status=WAITLISTED, queued_at=now + timedelta(seconds=1)
    )
    RegistrationFactory(event=event, status=CANCELLED, queued_at=now)

    assert [selectors.waitlist_position(r) for r in (first, second, third)] == [
        1,
        2,
        3,
    ]
    assert selectors.waitlist_position(RegistrationFactory(event=event)) is None
