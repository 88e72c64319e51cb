"""An event's page (its facts, itinerary by day with venue conflicts, outcomes and
history) and the forms that plan, change and delete events, with who may do
what."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from creative_regions.programmes import services
from creative_regions.programmes.models import Event, Outcome, Session
from tests.community.factories import OrganisationFactory, region
from tests.programmes.factories import (
    EventFactory,
    RegistrationFactory,
    VenueFactory,
)
from tests.programmes.planning import july_2023, session, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def july(regions):
    return july_2023()


def detail(event) -> str:
    return reverse("programmes:event-detail", args=[event.pk])


def event_form(**changes) -> dict:
    data = {
        "title": "Study tour for Tula",
        "format": "study_tour",
        "programme": "",
        "starts_on": "2027-09-14",
        "ends_on": "2027-09-15",
        "region": "",
        "city": "Москва",
        "status": "planned",
        "goals": "Creative spaces of Moscow for Tula's officials.",
        "description": "",
        "capacity": "30",
    }
    data.update(changes)
    return data


# The page -------------------------------------------------------------------------


def test_the_page_shows_the_events_facts(client, manager, july):
    host = OrganisationFactory(
        full_name="Центр современного искусства «Винзавод»", region=region("77")
    )
    july.tour.hosts.add(host)
    july.tour.capacity = 40
    july.tour.save()
    sign_in(client, manager)

    response = client.get(detail(july.tour))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Study tour of regional delegations" in html
    assert "7–8 July 2023 · Москва, Moscow" in html
    assert 'class="badge fmt-badge fmt-study_tour">Study tour</span>' in html
    assert ">Confirmed</span>" in html
    assert "Study tours 2023" in html
    assert reverse("community:organisation-detail", args=[host.pk]) in html
    assert "2 days" in html
    assert ">40</dd>" in html


def test_the_itinerary_is_grouped_by_day_with_venues_and_times(client, manager, july):
    session(
        july.tour,
        venue=july.artplay,
        day=date(2023, 7, 8),
        start="12:30",
        end="14:00",
        topic="Design centre",
    )
    session(
        july.tour,
        venue=july.winery,
        day=date(2023, 7, 7),
        start="10:00",
        end="11:30",
        topic="Contemporary art",
    )
    session(
        july.tour, day=date(2023, 7, 8), start="17:00", end="18:00", topic="Debrief"
    )
    sign_in(client, manager)

    response = client.get(detail(july.tour))

    days = response.context["itinerary"]
    assert [(day.day, [s.topic for s in day.sessions]) for day in days] == [
        (date(2023, 7, 7), ["Contemporary art"]),
        (date(2023, 7, 8), ["Design centre", "Debrief"]),
    ]
    html = response.content.decode()
    assert "Friday, 7 July 2023" in html
    assert "Saturday, 8 July 2023" in html
    assert "10:00–11:30" in html
    assert reverse("programmes:venue-detail", args=[july.winery.pk]) in html
    assert "3 sessions" in html


def test_a_session_overlapping_another_at_the_venue_names_it(client, manager, july):
    ours = session(
        july.tour,
        venue=july.winery,
        start="10:00",
        end="11:30",
        topic="Tour of the galleries",
    )
    # The Karelian mission is at «Винзавод» on 7 July too, from 11:00.
    session(
        july.mission,
        venue=july.winery,
        day=date(2023, 7, 7),
        start="11:00",
        end="12:00",
        topic="Meeting the residents",
    )
    # Back to back with ours: not an overlap.
    session(july.tour, venue=july.winery, start="11:30", end="12:00", topic="Coffee")
    sign_in(client, manager)

    response = client.get(detail(july.tour))

    html = response.content.decode()
    assert response.context["conflict_count"] == 2
    assert (
        "Overlaps “Meeting the residents” (11:00–12:00) of the event "
        "“Business mission of Karelian designers” at the same venue."
    ) in html
    assert detail(july.mission) + "#itinerary" in html
    assert "1 session overlaps" not in html
    assert "2 sessions overlap others at the same venue." in html
    conflicts = {
        s.topic: [c.session.topic for c in s.conflicts]
        for day in response.context["itinerary"]
        for s in day.sessions
    }
    assert conflicts == {
        "Tour of the galleries": ["Meeting the residents"],
        "Coffee": ["Meeting the residents"],
    }
    assert ours.pk


def test_a_partner_is_not_told_the_name_of_an_event_they_cannot_see(
    client, partner_karelia, july
):
    session(
        july.tour,
        venue=july.winery,
        start="10:00",
        end="11:30",
        topic="Tour of the galleries",
    )
    session(
        july.mission,
        venue=july.winery,
        day=date(2023, 7, 7),
        start="11:00",
        end="12:00",
        topic="Meeting the residents",
    )
    sign_in(client, partner_karelia)

    response = client.get(detail(july.tour))

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "Overlaps a session (11:00–12:00) of another event at the same venue." in html
    )
    assert "Business mission of Karelian designers" not in html
    assert "Meeting the residents" not in html


def test_the_outcomes_are_listed_with_their_organisations(
    client, manager, partner_karelia, july
):
    mega_art = OrganisationFactory(
        full_name="Креативное пространство «Мега-Арт»", region=region("76")
    )
    Outcome.objects.create(
        event=july.tour,
        kind=Outcome.Kind.AGREEMENT,
        summary="Prepare a cooperation agreement with «Мега-Арт»",
        organisation=mega_art,
    )
    sign_in(client, manager)

    html = client.get(detail(july.tour)).content.decode()

    assert "Agreement to prepare" in html
    assert "Prepare a cooperation agreement with «Мега-Арт»" in html
    assert reverse("community:organisation-detail", args=[mega_art.pk]) in html
    # A Karelian partner sees the outcome but not another region's organisation.
    sign_in(client, partner_karelia)
    partner_html = client.get(detail(july.tour)).content.decode()
    assert "Prepare a cooperation agreement with «Мега-Арт»" in partner_html
    assert (
        reverse("community:organisation-detail", args=[mega_art.pk]) not in partner_html
    )
    assert "an organisation from another region" in partner_html


def test_the_page_shows_the_history_of_changes_in_words(client, manager, july):
    services.event_update(
        user=manager, event=july.kazan_visit, status=Event.Status.CONFIRMED
    )
    sign_in(client, manager)

    response = client.get(detail(july.kazan_visit))

    entries = response.context["history"]
    assert entries[0].user == manager
    assert [(c.label, c.old, c.new) for c in entries[0].changes] == [
        ("status", "Planned", "Confirmed")
    ]
    assert "Planned</del> → <ins" in response.content.decode()


def test_the_page_includes_the_people_part(client, manager, july):
    sign_in(client, manager)

    response = client.get(detail(july.tour))

    assert "programmes/event/_people_tabs.html" in [t.name for t in response.templates]


@pytest.mark.parametrize(
    ("user_fixture", "event_name", "status"),
    [
        ("manager", "mission", 200),
        ("expert", "mission", 200),
        ("partner_karelia", "tour", 200),  # their delegation attends
        ("partner_karelia", "karelia_seminar", 200),  # held in their region
        ("partner_karelia", "mission", 404),
        ("partner_tatarstan", "tour", 404),
        ("partner_tatarstan", "kazan_visit", 200),
    ],
)
def test_who_may_open_an_events_page(
    client, request, july, user_fixture, event_name, status
):
    sign_in(client, request.getfixturevalue(user_fixture))

    response = client.get(detail(getattr(july, event_name)))

    assert response.status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(client, july):
    response = client.get(detail(july.tour))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("user_fixture", ["expert", "partner_karelia"])
def test_readers_get_no_edit_controls(client, request, july, user_fixture):
    session(july.tour, venue=july.winery, topic="Tour of the galleries")
    sign_in(client, request.getfixturevalue(user_fixture))

    html = client.get(detail(july.tour)).content.decode()

    assert "Tour of the galleries" in html
    for marker in (
        "event-edit",
        "event-delete",
        "session-edit",
        "session-delete",
        "session-add",
    ):
        assert f'data-testid="{marker}"' not in html


def test_staff_get_the_edit_controls(client, analyst, july):
    session(july.tour, venue=july.winery, topic="Tour of the galleries")
    sign_in(client, analyst)

    html = client.get(detail(july.tour)).content.decode()

    for marker in (
        "event-edit",
        "event-delete",
        "session-edit",
        "session-delete",
        "session-add",
    ):
        assert f'data-testid="{marker}"' in html


# Planning an event ----------------------------------------------------------------


def test_planning_a_study_tour_from_the_template_drafts_its_itinerary(
    client, manager, regions
):
    for name in ("Винзавод", "Artplay", "ГЭС-2", "Флакон"):
        VenueFactory(name=name)
    sign_in(client, manager)

    response = client.post(
        reverse("programmes:event-create"),
        event_form(region=regions["77"].pk, from_template="on"),
    )

    event = Event.objects.get(title="Study tour for Tula")
    assert response.status_code == 302
    assert response["Location"] == detail(event)
    topics = list(
        event.sessions.order_by("day", "starts_at").values_list("topic", flat=True)
    )
    assert len(topics) == 5
    assert sum(topic.startswith("Visit: ") for topic in topics) == 4
    assert topics[-1] == "Debrief: what the delegation takes home"
    assert all(
        event.includes(day) for day in event.sessions.values_list("day", flat=True)
    )
    assert event.created_by == manager
    # The drafted sessions are the planner's in the history too.
    assert set(
        Session.history.filter(event_id=event.pk).values_list("history_user", flat=True)
    ) == {manager.pk}
    page = client.get(response["Location"])
    assert (
        "The event “Study tour for Tula” is planned, with a draft itinerary of 5 "
        "sessions to adjust."
    ) in page.content.decode()


def test_planning_without_the_template_starts_with_no_itinerary(
    client, manager, regions
):
    sign_in(client, manager)

    client.post(reverse("programmes:event-create"), event_form(region=regions["77"].pk))

    event = Event.objects.get(title="Study tour for Tula")
    assert event.sessions.count() == 0
    assert event.capacity == 30
    assert event.goals == "Creative spaces of Moscow for Tula's officials."


def test_the_form_starts_from_the_programme_it_was_opened_from(client, manager, july):
    sign_in(client, manager)

    response = client.get(
        reverse("programmes:event-create"), {"programme": july.tours.pk}
    )

    form = response.context["form"]
    assert form["programme"].value() == july.tours.pk
    assert form["format"].value() == "study_tour"
    assert form["from_template"].value() is True


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"starts_on": "2027-09-15", "ends_on": "2027-09-14"},
            "ends_on",
            "The event cannot end before it starts.",
        ),
        ({"title": ""}, "title", "This field is required."),
        ({"starts_on": "15.09.2027"}, "starts_on", "Enter a valid date."),
        (
            {"capacity": "-1"},
            "capacity",
            "Ensure this value is greater than or equal to 0.",
        ),
        (
            {"title": "x" * 301},
            "title",
            "Ensure this value has at most 300 characters (it has 301).",
        ),
    ],
)
def test_bad_input_is_answered_next_to_the_field(
    client, manager, regions, changes, field, message
):
    sign_in(client, manager)

    response = client.post(
        reverse("programmes:event-create"),
        event_form(region=regions["77"].pk, **changes),
    )

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert f'data-testid="error-{field}"' in response.content.decode()
    assert not Event.objects.exists()


def test_a_programme_of_another_format_is_refused_at_the_format(client, manager, july):
    sign_in(client, manager)

    response = client.post(
        reverse("programmes:event-create"),
        event_form(region=july.tour.region_id, programme=july.missions.pk),
    )

    assert response.status_code == 400
    assert response.context["form"].errors["format"] == [
        "The programme “Business missions 2023” is a series of another format: "
        "Business mission."
    ]
    assert not Event.objects.filter(title="Study tour for Tula").exists()


@pytest.mark.parametrize("user_fixture", ["expert", "partner_karelia"])
def test_readers_may_not_plan_events(client, request, regions, user_fixture):
    sign_in(client, request.getfixturevalue(user_fixture))

    page = client.get(reverse("programmes:event-create"))
    posted = client.post(
        reverse("programmes:event-create"), event_form(region=regions["10"].pk)
    )

    assert page.status_code == 403
    assert posted.status_code == 403
    assert not Event.objects.exists()


# Changing an event ----------------------------------------------------------------


def test_editing_an_event_saves_it_and_its_hosts(client, manager, july):
    host = OrganisationFactory(full_name="ООО «Мега-Пак»", region=region("35"))
    sign_in(client, manager)

    response = client.post(
        reverse("programmes:event-edit", args=[july.kazan_visit.pk]),
        event_form(
            title="Outreach visit to Kazan and Innopolis",
            format="outreach_visit",
            region=july.kazan_visit.region_id,
            city="Казань",
            starts_on="2023-07-20",
            ends_on="2023-07-22",
            status="confirmed",
            hosts=[host.pk],
        ),
    )

    assert response.status_code == 302
    july.kazan_visit.refresh_from_db()
    assert july.kazan_visit.title == "Outreach visit to Kazan and Innopolis"
    assert july.kazan_visit.ends_on == date(2023, 7, 22)
    assert list(july.kazan_visit.hosts.all()) == [host]


def test_the_edit_form_starts_with_the_events_values(client, manager, july):
    sign_in(client, manager)

    response = client.get(reverse("programmes:event-edit", args=[july.tour.pk]))

    form = response.context["form"]
    assert form["title"].value() == "Study tour of regional delegations"
    assert form["programme"].value() == july.tours.pk
    assert "from_template" not in form.fields


def test_new_dates_leaving_sessions_outside_are_refused(client, manager, july):
    session(july.tour, day=date(2023, 7, 8), topic="Debrief")
    sign_in(client, manager)

    response = client.post(
        reverse("programmes:event-edit", args=[july.tour.pk]),
        event_form(
            title=july.tour.title,
            region=july.tour.region_id,
            programme=july.tours.pk,
            starts_on="2023-07-07",
            ends_on="2023-07-07",
        ),
    )

    assert response.status_code == 400
    assert response.context["form"].errors["starts_on"] == [
        "1 session of the itinerary falls outside these dates: move it first."
    ]
    july.tour.refresh_from_db()
    assert july.tour.ends_on == date(2023, 7, 8)


@pytest.mark.parametrize(
    ("user_fixture", "status"),
    [("expert", 403), ("partner_karelia", 403), ("partner_tatarstan", 403)],
)
def test_readers_may_not_change_events(client, request, july, user_fixture, status):
    sign_in(client, request.getfixturevalue(user_fixture))

    response = client.post(
        reverse("programmes:event-edit", args=[july.tour.pk]),
        event_form(region=july.tour.region_id),
    )

    assert response.status_code == status
    july.tour.refresh_from_db()
    assert july.tour.title == "Study tour of regional delegations"


def test_editing_an_unknown_event_is_404(client, manager, regions):
    sign_in(client, manager)

    assert (
        client.get(reverse("programmes:event-edit", args=[999999])).status_code == 404
    )


# Deleting an event ----------------------------------------------------------------


def test_an_event_nobody_registered_for_is_deleted_with_its_itinerary(
    client, manager, july
):
    session(july.kazan_visit, topic="Meeting the ministry")
    sign_in(client, manager)

    page = client.get(reverse("programmes:event-delete", args=[july.kazan_visit.pk]))
    response = client.post(
        reverse("programmes:event-delete", args=[july.kazan_visit.pk])
    )

    assert "1 session of the itinerary" in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse("programmes:calendar")
    assert not Event.objects.filter(pk=july.kazan_visit.pk).exists()
    assert not Session.objects.filter(topic="Meeting the ministry").exists()
    followed = client.get(response["Location"])
    assert "“Outreach visit to Kazan” is deleted." in followed.content.decode()


def test_an_event_with_registrations_is_not_deleted_and_says_why(client, manager, july):
    RegistrationFactory(event=july.tour)
    sign_in(client, manager)

    page = client.get(reverse("programmes:event-delete", args=[july.tour.pk]))
    response = client.post(reverse("programmes:event-delete", args=[july.tour.pk]))

    assert (
        "1 person is registered for this event: it cannot be deleted."
        in page.content.decode()
    )
    assert 'data-testid="delete-confirm"' not in page.content.decode()
    assert response.status_code == 400
    assert (
        "People are registered for this event: cancel it instead, so that they "
        "are told and the record stays."
    ) in response.content.decode()
    assert Event.objects.filter(pk=july.tour.pk).exists()


@pytest.mark.parametrize("user_fixture", ["expert", "partner_karelia"])
def test_readers_may_not_delete_events(client, request, july, user_fixture):
    sign_in(client, request.getfixturevalue(user_fixture))

    response = client.post(
        reverse("programmes:event-delete", args=[july.karelia_seminar.pk])
    )

    assert response.status_code == 403
    assert Event.objects.filter(pk=july.karelia_seminar.pk).exists()


def test_a_future_event_shows_its_public_page_when_open(client, manager, regions):
    event = EventFactory(
        registration_open=True, starts_on=date(2027, 7, 7), ends_on=date(2027, 7, 8)
    )
    sign_in(client, manager)

    html = client.get(detail(event)).content.decode()

    assert reverse("programmes:public-register", args=[event.public_key]) in html
