"""The door: the check-in page a ticket's QR code opens and the search over an
event's registrations; staff only."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from creative_regions.programmes.models import Attendance, Registration
from creative_regions.programmes.selectors import door_session_default
from tests.community.factories import PersonFactory
from tests.programmes.factories import (
    DelegationFactory,
    RegistrationFactory,
    SessionFactory,
)
from tests.programmes.public_pages import study_tour

pytestmark = pytest.mark.django_db

WAITLISTED = Registration.Status.WAITLISTED
CANCELLED = Registration.Status.CANCELLED


def sign_in(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def tour(regions):
    return study_tour()


@pytest.fixture
def ticket(tour, regions):
    """Maria Sokolova of Karelia's delegation, with a confirmed place."""
    return RegistrationFactory(
        event=tour,
        person=PersonFactory(
            surname="Соколова",
            first_name="Мария",
            email="sokolova@example.org",
            phone="+79123456789",
            region=regions["10"],
        ),
        delegation=DelegationFactory(event=tour, region=regions["10"]),
    )


def check_in_path(registration) -> str:
    return reverse("programmes:check-in", args=[registration.token])


def door_path(event) -> str:
    return reverse("programmes:event-check-in", args=[event.pk])


def first_session(event):
    return event.sessions.order_by("day", "starts_at").first()


# Who may open the door ----------------------------------------------------------------


@pytest.mark.parametrize("page", ["check-in", "event-check-in"])
def test_anonymous_visitor_signs_in_first(client, ticket, page):
    path = check_in_path(ticket) if page == "check-in" else door_path(ticket.event)

    response = client.get(path)

    assert response.status_code == 302
    assert response.url == f"{reverse('core:login')}?next={path}"


@pytest.mark.parametrize("account", ["partner_karelia", "partner_tatarstan", "expert"])
@pytest.mark.parametrize("page", ["check-in", "event-check-in"])
def test_only_agency_staff_work_the_door(client, request, ticket, page, account):
    """Even the partner of the delegation's own region: checking in is the
    agency's."""
    sign_in(client, request.getfixturevalue(account))
    path = check_in_path(ticket) if page == "check-in" else door_path(ticket.event)

    get = client.get(path)
    post = client.post(
        path,
        {"session": first_session(ticket.event).pk, "registration": ticket.pk},
    )

    assert get.status_code == 403
    assert post.status_code == 403
    assert Attendance.objects.count() == 0


@pytest.mark.parametrize("account", ["manager", "analyst", "admin_user"])
def test_staff_open_both_pages(client, request, ticket, account):
    sign_in(client, request.getfixturevalue(account))

    assert client.get(check_in_path(ticket)).status_code == 200
    assert client.get(door_path(ticket.event)).status_code == 200


def test_unknown_ticket_is_not_found(client, manager, regions):
    sign_in(client, manager)

    response = client.get(
        reverse("programmes:check-in", args=["00000000-0000-0000-0000-000000000000"])
    )

    assert response.status_code == 404


# The QR code's page -------------------------------------------------------------------


def test_scanned_ticket_shows_the_person_and_delegation_and_checks_in_on_click(
    client, manager, ticket
):
    sign_in(client, manager)
    session = first_session(ticket.event)

    page = client.get(check_in_path(ticket)).content.decode()
    assert Attendance.objects.count() == 0
    response = client.post(check_in_path(ticket), {"session": session.pk})

    assert "Соколова Мария" in page
    assert "Delegation of Karelia" in page
    assert 'data-state="ready"' in page
    content = response.content.decode()
    assert 'data-state="checked_in"' in content
    assert "Checked in" in content
    attendance = Attendance.objects.get()
    assert (attendance.registration, attendance.session) == (ticket, session)
    assert attendance.method == Attendance.Method.QR
    assert attendance.recorded_by == manager
    ticket.refresh_from_db()
    assert ticket.checked_in_at is not None


def test_second_scan_says_already_checked_in_and_adds_nothing(client, manager, ticket):
    sign_in(client, manager)
    session = first_session(ticket.event)
    client.post(check_in_path(ticket), {"session": session.pk})

    response = client.post(check_in_path(ticket), {"session": session.pk})

    content = response.content.decode()
    assert 'data-state="already"' in content
    recorded = timezone.localtime(Attendance.objects.get().recorded_at)
    assert f"Already checked in at {recorded:%H:%M}" in content
    assert Attendance.objects.count() == 1


@pytest.mark.parametrize("status", [WAITLISTED, CANCELLED])
def test_check_in_is_refused_without_a_confirmed_place(client, manager, tour, status):
    sign_in(client, manager)
    registration = RegistrationFactory(event=tour, status=status)

    page = client.get(check_in_path(registration)).content.decode()
    response = client.post(
        check_in_path(registration), {"session": first_session(tour).pk}
    )

    assert 'data-state="no_place"' in page
    assert "No confirmed place" in page
    assert 'data-testid="door-form"' not in page
    content = response.content.decode()
    assert "has no confirmed place" in content
    assert Attendance.objects.count() == 0
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_ticket_of_another_event_is_flagged_at_the_door(client, manager, ticket):
    sign_in(client, manager)
    other = study_tour(title="Business mission of Karelian designers")
    client.get(door_path(other))

    page = client.get(check_in_path(ticket)).content.decode()
    response = client.post(
        check_in_path(ticket), {"session": first_session(ticket.event).pk}
    )

    assert 'data-state="wrong_event"' in page
    assert "Wrong event" in page
    assert "Business mission of Karelian designers" in page
    assert 'data-state="wrong_event"' in response.content.decode()
    assert Attendance.objects.count() == 0


def test_session_of_another_event_is_not_offered(client, manager, ticket):
    sign_in(client, manager)
    foreign = first_session(study_tour(title="Other"))

    response = client.post(check_in_path(ticket), {"session": foreign.pk})

    assert 'data-testid="error-session"' in response.content.decode()
    assert Attendance.objects.count() == 0


def test_default_session_is_the_one_running_now_else_the_first_of_the_day(tour):
    day = tour.starts_on
    afternoon = SessionFactory(
        event=tour, day=day, starts_at=time(15, 0), ends_at=time(16, 30)
    )
    morning = first_session(tour)

    assert door_session_default(tour, day=day, at=time(15, 30)) == afternoon
    assert door_session_default(tour, day=day, at=time(8, 0)) == morning
    assert door_session_default(tour, day=tour.ends_on, at=time(9, 0)) == (
        tour.sessions.get(day=tour.ends_on)
    )
    assert (
        door_session_default(tour, day=tour.ends_on + timedelta(days=9), at=time(9, 0))
        == morning
    )


def test_scanned_ticket_proposes_the_session_running_now(client, manager, regions):
    sign_in(client, manager)
    now = timezone.localtime()
    start = (datetime.combine(now.date(), time(0, 0))).time()
    event = study_tour(starts_on=now.date(), ends_on=now.date() + timedelta(days=1))
    running = SessionFactory(
        event=event, day=now.date(), starts_at=start, ends_at=time(23, 59, 59)
    )
    registration = RegistrationFactory(event=event)

    content = client.get(check_in_path(registration)).content.decode()

    assert f'<option value="{running.pk}" selected>' in content


# Search at the door -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["соколова", "СОКОЛ", "sokolova@example", "912 345", "89123456789"]
)
def test_search_finds_by_surname_email_or_phone(client, manager, ticket, text):
    sign_in(client, manager)
    RegistrationFactory(event=ticket.event, person=PersonFactory(surname="Петрова"))

    response = client.get(door_path(ticket.event), {"q": text}, HTTP_HX_REQUEST="true")

    content = response.content.decode()
    assert "<html" not in content
    assert content.count('data-testid="door-row"') == 1
    assert "Соколова Мария" in content


def test_search_is_limited_to_the_events_active_registrations(
    client, manager, ticket, regions
):
    sign_in(client, manager)
    RegistrationFactory(
        event=study_tour(title="Other"), person=PersonFactory(surname="Соколова")
    )
    RegistrationFactory(
        event=ticket.event,
        person=PersonFactory(surname="Соколова-Белова"),
        status=CANCELLED,
    )

    content = client.get(door_path(ticket.event), {"q": "Соколова"}).content.decode()

    assert content.count('data-testid="door-row"') == 1
    assert "Соколова-Белова" not in content


def test_one_click_in_the_results_checks_in_and_answers_the_row(
    client, manager, ticket
):
    sign_in(client, manager)
    session = first_session(ticket.event)

    response = client.post(
        door_path(ticket.event),
        {"registration": ticket.pk, "session": session.pk, "q": "Соколова"},
        HTTP_HX_REQUEST="true",
    )

    content = response.content.decode()
    assert content.lstrip().startswith(f'<tr id="door-row-{ticket.pk}"')
    assert 'data-testid="door-checked-in"' in content
    assert 'hx-swap-oob="true"' in content
    assert "1 confirmed place · 1 checked in at this session" in content
    attendance = Attendance.objects.get()
    assert attendance.method == Attendance.Method.SEARCH
    assert attendance.session == session


def test_waitlisted_person_found_at_the_door_cannot_be_checked_in(
    client, manager, tour
):
    sign_in(client, manager)
    waiting = RegistrationFactory(
        event=tour, person=PersonFactory(surname="Гусева"), status=WAITLISTED
    )

    results = client.get(door_path(tour), {"q": "Гусева"}).content.decode()
    response = client.post(
        door_path(tour),
        {"registration": waiting.pk, "session": first_session(tour).pk},
        HTTP_HX_REQUEST="true",
    )

    assert "No confirmed place" in results
    assert 'data-testid="door-row-check-in"' not in results
    assert "has no confirmed place" in response.content.decode()
    assert Attendance.objects.count() == 0


def test_registration_of_another_event_cannot_be_checked_in_through_this_door(
    client, manager, ticket
):
    sign_in(client, manager)
    other = study_tour(title="Other")

    response = client.post(
        door_path(other),
        {"registration": ticket.pk, "session": first_session(other).pk},
    )

    assert response.status_code == 404
    assert Attendance.objects.count() == 0


def test_door_counts_confirmed_places_and_people_present_at_the_session(
    client, manager, ticket
):
    sign_in(client, manager)
    session = first_session(ticket.event)
    RegistrationFactory(event=ticket.event)
    RegistrationFactory(event=ticket.event, status=WAITLISTED)
    client.post(check_in_path(ticket), {"session": session.pk})

    content = client.get(
        door_path(ticket.event), {"session": session.pk}
    ).content.decode()

    assert "2 confirmed places · 1 checked in at this session" in content
