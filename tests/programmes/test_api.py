"""The programmes API: the partner rule on every endpoint, writes through the
services with 400s naming the field, the waitlist and its promotion, filters,
figures and query counts."""

from __future__ import annotations

import base64
from datetime import date, time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

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
from tests.community.factories import (
    FollowUpFactory,
    OrganisationFactory,
    PersonFactory,
)
from tests.programmes.factories import (
    DelegationFactory,
    EventFactory,
    ProgrammeFactory,
    RegistrationFactory,
    SessionFactory,
    VenueFactory,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("english", "media_in_tmp"),
]

API = "/api/v1/programmes"


@pytest.fixture
def client(client):
    """Answers in English, whatever the translations say."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


CONFIRMED = Registration.Status.CONFIRMED
WAITLISTED = Registration.Status.WAITLISTED


@pytest.fixture
def records(regions, manager):
    """One record of every kind in Tatarstan (16) and in Karelia (10): an event
    held there with a session, the region's delegation and a member registered,
    present and with feedback; an internship with a placement; an outcome."""
    made = {}
    for code, city in (("16", "Казань"), ("10", "Петрозаводск")):
        region = regions[code]
        event = EventFactory(
            title=f"Визит {code}",
            region=region,
            city=city,
            starts_on=date(2024, 7, 7),
            ends_on=date(2024, 7, 8),
        )
        session = SessionFactory(event=event, topic=f"Сессия {code}")
        delegation = DelegationFactory(event=event, region=region)
        person = PersonFactory(region=region, surname=f"Участник{code}")
        registration = RegistrationFactory(
            event=event, person=person, delegation=delegation
        )
        attendance = Attendance.objects.create(
            session=session, registration=registration, method="qr"
        )
        feedback = Feedback.objects.create(
            registration=registration, rating=5, recommend=10, comment=f"Отзыв {code}"
        )
        internship = EventFactory(
            format=Event.Format.INTERNSHIP,
            title=f"Стажировка {code}",
            region=region,
            city=city,
        )
        host = OrganisationFactory(region=region, full_name=f"Студия {code}")
        placement = InternshipPlacement.objects.create(
            event=internship,
            participant=person,
            host=host,
            starts_on=date(2027, 7, 7),
            ends_on=date(2027, 7, 20),
        )
        outcome = Outcome.objects.create(
            event=event,
            kind=Outcome.Kind.AGREEMENT,
            summary=f"Соглашение {code}",
            organisation=host,
        )
        made[code] = {
            "events": event,
            "sessions": session,
            "delegations": delegation,
            "registrations": registration,
            "attendance": attendance,
            "feedback": feedback,
            "placements": placement,
            "outcomes": outcome,
            "person": person,
            "host": host,
            "internship": internship,
        }
    return made


SCOPED = [
    "events",
    "sessions",
    "delegations",
    "registrations",
    "attendance",
    "feedback",
    "placements",
    "outcomes",
]


def login(client, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))


def ids(response) -> set[int]:
    assert response.status_code == 200, response.json()
    return {item["id"] for item in response.json()["results"]}


@pytest.mark.parametrize("endpoint", SCOPED)
@pytest.mark.parametrize(
    "who,visible",
    [
        ("partner_tatarstan", {"16"}),
        ("partner_karelia", {"10"}),
        ("manager", {"16", "10"}),
        ("expert", {"16", "10"}),
    ],
)
def test_each_list_shows_a_partner_only_their_regions_records(
    client, request, records, endpoint, who, visible
):
    login(client, request, who)

    response = client.get(f"{API}/{endpoint}/")

    expected = {records[code][endpoint].pk for code in visible}
    if endpoint == "events":
        expected |= {records[code]["internship"].pk for code in visible}
    assert ids(response) == expected


@pytest.mark.parametrize(
    "endpoint", [*SCOPED, "venues", "programmes", "events/1/totals"]
)
def test_anonymous_users_get_nothing(client, records, endpoint):
    response = client.get(f"{API}/{endpoint}/")

    assert response.status_code in (401, 403)
    assert response.json()["title"]


@pytest.mark.parametrize("endpoint", SCOPED)
@pytest.mark.parametrize(
    "who,code,status",
    [
        ("partner_tatarstan", "16", 200),
        ("partner_tatarstan", "10", 404),
        ("partner_karelia", "16", 404),
        ("manager", "10", 200),
        ("expert", "16", 200),
    ],
)
def test_each_detail_is_found_only_in_the_users_regions(
    client, request, records, endpoint, who, code, status
):
    login(client, request, who)

    response = client.get(f"{API}/{endpoint}/{records[code][endpoint].pk}/")

    assert response.status_code == status
    if status == 404:
        assert response.json()["status"] == 404


@pytest.mark.parametrize("endpoint", ["venues", "programmes"])
def test_venues_and_programmes_are_shared_reference(
    client, partner_karelia, regions, endpoint
):
    venue = VenueFactory(name="Винзавод")
    programme = ProgrammeFactory(name="Study tours 2027")
    client.force_login(partner_karelia)

    response = client.get(f"{API}/{endpoint}/")

    assert ids(response) == {(venue if endpoint == "venues" else programme).pk}


def test_a_partner_sees_a_moscow_event_their_delegation_attends_but_not_its_hosts(
    client, partner_karelia, regions
):
    moscow_host = OrganisationFactory(region=regions["77"], full_name="ГЭС-2")
    karelian_host = OrganisationFactory(region=regions["10"], full_name="ЦКИ Карелии")
    tour = EventFactory(title="Визит в Москву", region=regions["77"])
    tour.hosts.set([moscow_host, karelian_host])
    DelegationFactory(event=tour, region=regions["10"])
    EventFactory(title="Форум в Москве", region=regions["77"], registration_open=False)
    client.force_login(partner_karelia)

    listed = client.get(f"{API}/events/").json()["results"]

    assert [(item["title"], item["hosts"]) for item in listed] == [
        ("Визит в Москву", [karelian_host.pk])
    ]


@pytest.mark.parametrize(
    "filters,expected",
    [
        ("event_format=internship", {"Стажировка 16", "Стажировка 10"}),
        ("region=16", {"Визит 16", "Стажировка 16"}),
        ("status=held", set()),
        ("date_from=2024-07-08&date_to=2024-07-31", {"Визит 16", "Визит 10"}),
        ("q=визит+16", {"Визит 16"}),
        ("region=", {"Визит 16", "Визит 10", "Стажировка 16", "Стажировка 10"}),
    ],
)
def test_events_filter_as_the_calendar_does(
    client, manager, records, filters, expected
):
    client.force_login(manager)

    results = client.get(f"{API}/events/?{filters}").json()["results"]

    assert {item["title"] for item in results} == expected


@pytest.mark.parametrize(
    "filters,field",
    [
        ("region=Казань", "region"),
        ("status=done", "status"),
        ("date_from=07.07.2024", "date_from"),
        ("event_format=party", "event_format"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(client, manager, records, filters, field):
    client.force_login(manager)

    response = client.get(f"{API}/events/?{filters}", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_registrations_filter_by_event_status_and_delegation(client, manager, records):
    event = records["16"]["events"]
    waiting = RegistrationFactory(event=event, status=WAITLISTED)
    client.force_login(manager)

    by_event = ids(client.get(f"{API}/registrations/?event={event.pk}"))
    by_status = ids(client.get(f"{API}/registrations/?status=waitlisted"))
    by_delegation = ids(
        client.get(f"{API}/registrations/?delegation={records['10']['delegations'].pk}")
    )

    assert by_event == {records["16"]["registrations"].pk, waiting.pk}
    assert by_status == {waiting.pk}
    assert by_delegation == {records["10"]["registrations"].pk}


def test_a_registration_reads_its_place_in_the_queue(client, manager, regions):
    event = EventFactory(capacity=1)
    first = RegistrationFactory(event=event)
    second = RegistrationFactory(event=event, status=WAITLISTED)
    third = RegistrationFactory(event=event, status=WAITLISTED)
    client.force_login(manager)

    listed = client.get(f"{API}/registrations/?event={event.pk}").json()["results"]
    detail = client.get(f"{API}/registrations/{third.pk}/").json()

    assert [(item["id"], item["waitlist_position"]) for item in listed] == [
        (first.pk, None),
        (second.pk, 1),
        (third.pk, 2),
    ]
    assert detail["waitlist_position"] == 2
    assert detail["status_name"] == "Waitlisted"


# Writes -------------------------------------------------------------------------------


def event_payload(regions, **overrides) -> dict:
    return {
        "format": "study_tour",
        "title": "Ознакомительный визит",
        "starts_on": "2027-07-07",
        "ends_on": "2027-07-08",
        "region": "77",
        "city": "Москва",
        "capacity": 50,
        "registration_open": True,
        **overrides,
    }


def post(client, endpoint: str, payload: dict):
    return client.post(
        f"{API}/{endpoint}/",
        payload,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_staff_plan_a_study_tour_from_the_template(client, manager, regions):
    for name in ("Винзавод", "Artplay", "ГЭС-2", "Флакон"):
        VenueFactory(name=name)
    host = OrganisationFactory(region=regions["77"])
    client.force_login(manager)

    response = post(
        client,
        "events",
        event_payload(regions, from_template=True, hosts=[host.pk]),
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    event = Event.objects.get(pk=body["id"])
    assert (body["title"], body["format_name"], body["hosts"]) == (
        "Ознакомительный визит",
        "Study tour",
        [host.pk],
    )
    assert body["public_url"] == f"/programmes/public/events/{event.public_key}/"
    assert body["created_by"] == manager.username
    assert event.sessions.filter(venue__isnull=False).count() == 4
    assert event.sessions.filter(venue__isnull=True).count() == 1


@pytest.mark.parametrize(
    "endpoint,payload",
    [
        ("events", {}),
        ("venues", {"name": "Флакон", "kind": "design_centre", "region": "77"}),
        ("programmes", {"name": "Study tours 2027", "format": "study_tour"}),
    ],
)
@pytest.mark.parametrize("who", ["expert", "partner_karelia"])
def test_only_staff_write_events_venues_and_programmes(
    client, request, regions, endpoint, payload, who
):
    client.force_login(request.getfixturevalue(who))
    model = {"events": Event, "venues": Venue, "programmes": Programme}[endpoint]

    response = post(
        client,
        endpoint,
        payload or event_payload(regions, region="10", city="Петрозаводск"),
    )

    assert response.status_code == 403
    assert response.json()["detail"] == "Your role does not allow this action."
    assert not model.objects.exists()


def test_an_event_ending_before_it_starts_is_a_400_naming_the_field(
    client, manager, regions
):
    client.force_login(manager)

    response = post(client, "events", event_payload(regions, ends_on="2027-07-01"))

    assert response.status_code == 400
    assert response.json() == {
        "type": "about:blank",
        "title": "Invalid input",
        "status": 400,
        "detail": "Check the fields marked in errors.",
        "errors": {"ends_on": ["The event cannot end before it starts."]},
    }
    assert not Event.objects.exists()


def test_bad_shapes_are_400s_by_field(client, manager, regions):
    client.force_login(manager)

    response = post(
        client,
        "events",
        event_payload(regions, region="99", capacity=-1, format="party"),
    )

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"region", "capacity", "format"}


def test_an_event_update_with_more_places_promotes_the_waitlist(
    client, manager, regions
):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status=WAITLISTED)
    client.force_login(manager)

    response = client.patch(
        f"{API}/events/{event.pk}/",
        {"capacity": 2},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["capacity"] == 2
    waiting.refresh_from_db()
    assert waiting.status == CONFIRMED


def test_an_event_with_registrations_is_not_deleted(client, manager, records):
    client.force_login(manager)
    event = records["16"]["events"]

    response = client.delete(f"{API}/events/{event.pk}/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "cancel it instead" in response.json()["errors"]["non_field_errors"][0]
    assert Event.objects.filter(pk=event.pk).exists()


def test_sessions_list_their_clashes_at_the_venue(client, manager, regions):
    winzavod = VenueFactory(name="Винзавод")
    ours = SessionFactory(venue=winzavod, starts_at=time(10), ends_at=time(11, 30))
    theirs = SessionFactory(venue=winzavod, starts_at=time(11), ends_at=time(12))
    adjacent = SessionFactory(venue=winzavod, starts_at=time(12), ends_at=time(13))
    client.force_login(manager)

    listed = client.get(f"{API}/sessions/").json()["results"]
    detail = client.get(f"{API}/sessions/{ours.pk}/").json()

    assert {item["id"]: item["conflicts"] for item in listed} == {
        ours.pk: [theirs.pk],
        theirs.pk: [ours.pk],
        adjacent.pk: [],
    }
    assert (detail["conflicts"], detail["venue_name"]) == ([theirs.pk], "Винзавод")


def test_a_partner_does_not_see_the_clashing_session_of_an_event_they_cannot_see(
    client, partner_karelia, regions
):
    venue = VenueFactory()
    karelian_tour = EventFactory(region=regions["10"], city="Петрозаводск")
    ours = SessionFactory(event=karelian_tour, venue=venue, ends_at=time(12))
    closed = EventFactory(registration_open=False)
    SessionFactory(event=closed, venue=venue, ends_at=time(12))  # a Moscow event's
    client.force_login(partner_karelia)

    detail = client.get(f"{API}/sessions/{ours.pk}/").json()

    assert detail["conflicts"] == []


def test_a_session_outside_the_events_dates_is_a_400_on_the_day(
    client, manager, regions
):
    event = EventFactory(starts_on=date(2027, 7, 7), ends_on=date(2027, 7, 8))
    client.force_login(manager)

    response = post(
        client,
        "sessions",
        {
            "event": event.pk,
            "day": "2027-07-10",
            "starts_at": "10:00",
            "ends_at": "11:00",
            "topic": "Лишний день",
        },
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "day": ["The event runs from 07/07/2027 to 08/07/2027."]
    }
    assert not Session.objects.exists()


def test_staff_register_a_person_then_the_waitlist(client, manager, regions):
    event = EventFactory(capacity=1)
    first, second = PersonFactory(), PersonFactory()
    client.force_login(manager)

    confirmed = post(client, "registrations", {"event": event.pk, "person": first.pk})
    waiting = post(client, "registrations", {"event": event.pk, "person": second.pk})
    again = post(client, "registrations", {"event": event.pk, "person": second.pk})

    assert confirmed.status_code == waiting.status_code == 201
    assert (confirmed.json()["status"], confirmed.json()["source"]) == (
        "confirmed",
        "staff",
    )
    assert (waiting.json()["status"], waiting.json()["waitlist_position"]) == (
        "waitlisted",
        1,
    )
    assert again.status_code == 400
    assert again.json()["errors"] == {
        "person": ["This person is already registered for this event."]
    }
    assert Registration.objects.filter(event=event).count() == 2


def test_a_registration_with_another_events_delegation_is_refused(
    client, manager, regions
):
    event = EventFactory()
    client.force_login(manager)

    response = post(
        client,
        "registrations",
        {
            "event": event.pk,
            "person": PersonFactory().pk,
            "delegation": DelegationFactory().pk,
        },
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "delegation": ["This delegation goes to another event."]
    }
    assert not Registration.objects.filter(event=event).exists()


@pytest.mark.parametrize("status", [Event.Status.CANCELLED, Event.Status.HELD])
def test_no_registration_for_a_cancelled_or_held_event(
    client, manager, regions, status
):
    event = EventFactory(status=status)
    client.force_login(manager)

    response = post(
        client, "registrations", {"event": event.pk, "person": PersonFactory().pk}
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["non_field_errors"]
    assert not Registration.objects.exists()


def test_cancelling_through_the_api_promotes_the_first_waiting(
    client, manager, regions, mailoutbox
):
    event = EventFactory(capacity=1)
    leaving = RegistrationFactory(event=event)
    waiting = RegistrationFactory(
        event=event, status=WAITLISTED, person__email="next@example.org"
    )
    client.force_login(manager)

    response = client.post(f"{API}/registrations/{leaving.pk}/cancel/")

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    waiting.refresh_from_db()
    assert waiting.status == CONFIRMED
    assert [message.to for message in mailoutbox] == [["next@example.org"]]


def test_a_partner_cancels_their_delegations_member_but_not_an_individual(
    client, partner_karelia, regions
):
    event = EventFactory(region=regions["10"], city="Петрозаводск")
    delegation = DelegationFactory(event=event, region=regions["10"])
    member = RegistrationFactory(event=event, delegation=delegation)
    individual = RegistrationFactory(
        event=event, person=PersonFactory(region=regions["10"])
    )
    client.force_login(partner_karelia)

    own = client.post(f"{API}/registrations/{member.pk}/cancel/")
    other = client.post(f"{API}/registrations/{individual.pk}/cancel/")

    assert own.status_code == 200
    assert other.status_code == 403
    assert other.json()["detail"] == (
        "Your role does not allow cancelling this registration."
    )
    individual.refresh_from_db()
    assert individual.status == CONFIRMED


def test_registrations_are_never_changed_or_deleted_but_cancelled(
    client, manager, records
):
    registration = records["16"]["registrations"]
    client.force_login(manager)

    patched = client.patch(
        f"{API}/registrations/{registration.pk}/",
        {"status": "cancelled"},
        content_type="application/json",
    )
    deleted = client.delete(f"{API}/registrations/{registration.pk}/")

    assert (patched.status_code, deleted.status_code) == (405, 405)
    registration.refresh_from_db()
    assert registration.status == CONFIRMED


def test_a_partner_registers_their_regions_delegation_and_its_members(
    client, partner_karelia, regions
):
    seminar = EventFactory(
        format=Event.Format.SEMINAR,
        region=regions["10"],
        city="Петрозаводск",
        capacity=1,
    )
    members = [PersonFactory(region=regions["10"]) for _ in range(2)]
    client.force_login(partner_karelia)

    created = post(client, "delegations", {"event": seminar.pk, "region": "10"})
    delegation_id = created.json()["id"]
    registered = client.post(
        f"{API}/delegations/{delegation_id}/members/",
        {
            "members": [
                {"person": members[0].pk, "role": "official"},
                {"person": members[1].pk},
                {"person": members[0].pk},
            ]
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert created.status_code == 201
    assert registered.status_code == 200, registered.json()
    assert [(m["person"], m["status"], m["error"]) for m in registered.json()] == [
        (members[0].pk, "confirmed", ""),
        (members[1].pk, "waitlisted", ""),
        (members[0].pk, None, "This person is already registered for this event."),
    ]
    delegation = Delegation.objects.get(pk=delegation_id)
    assert delegation.created_by == partner_karelia
    assert delegation.registrations.get(person=members[0]).role.code == "official"


def test_a_partner_cannot_register_another_regions_delegation(
    client, partner_karelia, regions
):
    seminar = EventFactory(region=regions["10"], city="Петрозаводск")
    client.force_login(partner_karelia)

    response = post(client, "delegations", {"event": seminar.pk, "region": "16"})

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "region": ["You can only register delegations of your own regions."]
    }
    assert not Delegation.objects.exists()


def test_an_event_a_partner_cannot_see_takes_no_delegation_of_theirs(
    client, partner_karelia, regions
):
    moscow_forum = EventFactory(region=regions["77"], registration_open=False)
    client.force_login(partner_karelia)

    response = post(client, "delegations", {"event": moscow_forum.pk, "region": "10"})

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "event": [f'Invalid pk "{moscow_forum.pk}" - object does not exist.']
    }
    assert not Delegation.objects.exists()


def test_a_partner_cannot_register_members_into_another_regions_delegation(
    client, partner_karelia, records
):
    tatar_delegation = records["16"]["delegations"]
    client.force_login(partner_karelia)

    response = client.post(
        f"{API}/delegations/{tatar_delegation.pk}/members/",
        {
            "members": [
                {"person": PersonFactory(region=records["10"]["person"].region).pk}
            ]
        },
        content_type="application/json",
    )

    assert response.status_code == 404
    assert tatar_delegation.registrations.count() == 1


def test_a_partner_cannot_move_their_delegation_to_another_region(
    client, partner_karelia, regions
):
    delegation = DelegationFactory(region=regions["10"])
    client.force_login(partner_karelia)

    response = client.patch(
        f"{API}/delegations/{delegation.pk}/",
        {"region": "16"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "region": ["You can only register delegations of your own regions."]
    }
    delegation.refresh_from_db()
    assert delegation.region.code == "10"


def test_a_delegation_with_members_is_not_deleted(client, manager, records):
    delegation = records["16"]["delegations"]
    client.force_login(manager)

    response = client.delete(
        f"{API}/delegations/{delegation.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "non_field_errors": [
            "Members of this delegation are registered: cancel their "
            "registrations first."
        ]
    }
    assert Delegation.objects.filter(pk=delegation.pk).exists()


def test_staff_record_and_delete_a_presence(client, manager, records):
    registration = records["16"]["registrations"]
    session = SessionFactory(event=registration.event)
    client.force_login(manager)

    created = post(
        client,
        "attendance",
        {"session": session.pk, "registration": registration.pk, "method": "search"},
    )
    deleted = client.delete(f"{API}/attendance/{created.json()['id']}/")

    assert created.status_code == 201
    assert created.json()["method_name"] == "Search at the door"
    assert deleted.status_code == 204
    assert not Attendance.objects.filter(session=session).exists()


def test_a_waitlisted_person_is_not_marked_present(client, manager, regions):
    registration = RegistrationFactory(status=WAITLISTED, person__patronymic="")
    session = SessionFactory(event=registration.event)
    client.force_login(manager)

    response = post(
        client,
        "attendance",
        {"session": session.pk, "registration": registration.pk},
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "non_field_errors": [
            f"{registration.person.full_name} has no confirmed place: waitlisted."
        ]
    }
    assert not Attendance.objects.exists()


def test_staff_add_a_placement_and_outcome(client, manager, records):
    internship = records["16"]["internship"]
    follow_up = FollowUpFactory(interaction__region=records["16"]["host"].region)
    client.force_login(manager)

    placement = post(
        client,
        "placements",
        {
            "event": internship.pk,
            "participant": records["16"]["person"].pk,
            "host": records["16"]["host"].pk,
            "starts_on": "2027-07-01",
            "ends_on": "2027-06-01",
        },
    )
    outcome = post(
        client,
        "outcomes",
        {
            "event": records["16"]["events"].pk,
            "kind": "follow_up",
            "summary": "Подготовить соглашение",
            "follow_up": follow_up.pk,
        },
    )

    assert placement.status_code == 400
    assert placement.json()["errors"] == {
        "ends_on": ["The placement cannot end before it starts."]
    }
    assert outcome.status_code == 201
    assert (outcome.json()["kind_name"], outcome.json()["follow_up"]) == (
        "Follow-up",
        follow_up.pk,
    )


def test_a_placement_on_a_study_tour_is_refused(client, manager, records):
    client.force_login(manager)

    response = post(
        client,
        "placements",
        {
            "event": records["16"]["events"].pk,
            "participant": records["16"]["person"].pk,
            "host": records["16"]["host"].pk,
            "starts_on": "2027-07-01",
            "ends_on": "2027-07-10",
        },
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "non_field_errors": ["Placements belong to internships."]
    }


def test_feedback_is_read_only(client, manager, records):
    client.force_login(manager)

    response = post(client, "feedback", {"rating": 5})

    assert response.status_code == 405
    assert Feedback.objects.count() == 2


# Figures ------------------------------------------------------------------------------


def test_event_totals_count_what_the_user_sees(
    client, partner_karelia, manager, regions
):
    tour = EventFactory(region=regions["77"], capacity=3)
    karelians = DelegationFactory(event=tour, region=regions["10"])
    present = RegistrationFactory(event=tour, delegation=karelians)
    present.checked_in_at = timezone.now()
    present.save()
    RegistrationFactory(event=tour, delegation=karelians, status=WAITLISTED)
    RegistrationFactory.create_batch(2, event=tour)
    RegistrationFactory(event=tour, status=Registration.Status.CANCELLED)

    client.force_login(manager)
    everyone = client.get(f"{API}/events/{tour.pk}/totals/").json()
    client.force_login(partner_karelia)
    karelia = client.get(f"{API}/events/{tour.pk}/totals/").json()

    assert everyone == {
        "registered": 4,
        "confirmed": 3,
        "waitlisted": 1,
        "cancelled": 1,
        "attended": 1,
        "capacity": 3,
        "free": 0,
    }
    assert (karelia["registered"], karelia["confirmed"], karelia["waitlisted"]) == (
        2,
        1,
        1,
    )


def test_feedback_results_give_the_nps_and_a_partner_only_their_comments(
    client, partner_karelia, manager, regions
):
    tour = EventFactory(region=regions["77"])
    karelians = DelegationFactory(event=tour, region=regions["10"])
    answers = [(5, 10, "Из Карелии", karelians), (4, 8, "Из Москвы", None)]
    answers += [(2, 3, "", None), (5, 9, "", None)]
    for rating, recommend, comment, delegation in answers:
        Feedback.objects.create(
            registration=RegistrationFactory(event=tour, delegation=delegation),
            rating=rating,
            recommend=recommend,
            comment=comment,
        )

    client.force_login(manager)
    staff = client.get(f"{API}/events/{tour.pk}/feedback-results/").json()
    client.force_login(partner_karelia)
    partner = client.get(f"{API}/events/{tour.pk}/feedback-results/").json()

    # Promoters 10 and 9, passive 8, detractor 3: (2 − 1) / 4 = 25 %.
    assert {key: staff[key] for key in staff if key != "comments"} == {
        "responses": 4,
        "average_rating": 4.0,
        "ratings": {"1": 0, "2": 1, "3": 0, "4": 1, "5": 2},
        "promoters": 2,
        "passives": 1,
        "detractors": 1,
        "net_promoter_score": 25.0,
    }
    assert sorted(c["comment"] for c in staff["comments"]) == [
        "Из Карелии",
        "Из Москвы",
    ]
    assert partner["net_promoter_score"] == 25.0
    assert [c["comment"] for c in partner["comments"]] == ["Из Карелии"]


# Query counts -------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", [*SCOPED, "venues", "programmes"])
def test_lists_take_a_fixed_number_of_queries(
    client, manager, records, endpoint, django_assert_max_num_queries
):
    client.force_login(manager)
    for code in ("16", "10"):
        for _ in range(3):
            RegistrationFactory(event=records[code]["events"], status=WAITLISTED)
            SessionFactory(event=records[code]["events"], venue=VenueFactory())
    VenueFactory.create_batch(3)
    ProgrammeFactory.create_batch(3)
    client.get(f"{API}/{endpoint}/")  # the session and the user are read once

    with django_assert_max_num_queries(12):
        response = client.get(f"{API}/{endpoint}/")

    assert response.status_code == 200
    assert response.json()["count"] >= 2


# Venue photos -------------------------------------------------------------------------

# A 1×1 PNG image.
PNG_PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def test_staff_upload_a_venue_photo_everyone_reads_it_and_staff_delete_it(
    client, manager, expert, regions
):
    venue = VenueFactory(name="ГЭС-2")
    client.force_login(manager)

    created = client.post(
        f"{API}/venue-photos/",
        {
            "venue": venue.pk,
            "caption": "Зал",
            "image": SimpleUploadedFile("hall.png", PNG_PIXEL, "image/png"),
        },
    )
    client.force_login(expert)
    listed = client.get(f"{API}/venue-photos/", {"venue": venue.pk}).json()
    on_the_venue = client.get(f"{API}/venues/{venue.pk}/").json()["photos"]
    image = client.get(created.json()["url"])
    refused = client.delete(f"{API}/venue-photos/{created.json()['id']}/")
    client.force_login(manager)
    deleted = client.delete(f"{API}/venue-photos/{created.json()['id']}/")

    assert created.status_code == 201, created.json()
    assert created.json()["venue"] == venue.pk
    assert created.json()["caption"] == "Зал"
    assert [photo["id"] for photo in listed["results"]] == [created.json()["id"]]
    assert [photo["id"] for photo in on_the_venue] == [created.json()["id"]]
    assert b"".join(image.streaming_content) == PNG_PIXEL
    assert refused.status_code == 403
    assert deleted.status_code == 204
    assert not VenuePhoto.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "hall.png",
            b"<svg xmlns='http://www.w3.org/2000/svg'/>",
            "The file is not a JPEG, PNG or WebP image.",
        ),
        (
            "hall.gif",
            b"GIF89a",
            "File extension “gif” is not allowed. Allowed extensions are: jpg, jpeg, png, webp.",
        ),
    ],
)
def test_a_venue_photo_that_is_no_image_is_refused_on_its_field(
    client, manager, regions, name, content, message
):
    venue = VenueFactory()
    client.force_login(manager)

    response = client.post(
        f"{API}/venue-photos/",
        {"venue": venue.pk, "image": SimpleUploadedFile(name, content)},
    )

    assert response.status_code == 400
    assert response.json()["errors"]["image"] == [message]
    assert not VenuePhoto.objects.exists()
