"""The attendance grid: rows of confirmed participants, columns of sessions, a
tick saved in place with the column's total; staff tick, others read."""

from __future__ import annotations

from datetime import time

import pytest
from django.urls import reverse

from creative_regions.programmes.models import Attendance, Event, Registration
from tests.community.pages import sign_in
from tests.programmes.factories import EventFactory, RegistrationFactory, SessionFactory
from tests.programmes.people import partner_of, study_tour

pytestmark = pytest.mark.django_db


@pytest.fixture
def tour(regions):
    tour = study_tour()
    tour.vinzavod = SessionFactory(event=tour.event, topic="Винзавод")
    tour.artplay = SessionFactory(
        event=tour.event, topic="Artplay", starts_at=time(12, 30), ends_at=time(14)
    )
    tour.waiting = RegistrationFactory(
        event=tour.event, status=Registration.Status.WAITLISTED
    )
    Attendance.objects.create(
        session=tour.vinzavod, registration=tour.tatar, method="qr"
    )
    return tour


def grid_url(tour) -> str:
    return reverse("programmes:attendance-grid", args=[tour.event.pk])


def cell_url(tour, registration, session) -> str:
    return reverse(
        "programmes:attendance-set", args=[tour.event.pk, registration.pk, session.pk]
    )


def test_anonymous_user_is_sent_to_sign_in(client, tour):
    response = client.get(grid_url(tour))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))
    client.post(cell_url(tour, tour.karelian, tour.vinzavod), {"present": "1"})
    assert Attendance.objects.count() == 1


def test_staff_see_a_row_per_confirmed_participant_and_column_totals(
    client, manager, tour
):
    sign_in(client, manager)
    response = client.get(grid_url(tour))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row["registration"].person.surname for row in rows] == [
        "Гарипова",
        "Лампинен",
        "Соколов",
    ]
    assert [total["count"] for total in response.context["totals"]] == [1, 0]
    page = response.content.decode()
    assert "Винзавод" in page and "Artplay" in page
    assert page.count('type="checkbox"') == 6
    assert " disabled" not in page.split('data-testid="attendance-grid"')[1]
    assert f'data-testid="total-{tour.vinzavod.pk}">1<' in page


def test_a_tick_is_saved_at_once_and_the_total_follows(client, manager, tour):
    sign_in(client, manager)
    response = client.post(
        cell_url(tour, tour.karelian, tour.vinzavod),
        {"present": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    attendance = Attendance.objects.get(registration=tour.karelian)
    assert (attendance.session, attendance.method, attendance.recorded_by) == (
        tour.vinzavod,
        Attendance.Method.GRID,
        manager,
    )
    page = response.content.decode()
    assert "checked" in page
    assert (
        f'<span id="total-{tour.vinzavod.pk}" data-testid="total-{tour.vinzavod.pk}"'
        f' hx-swap-oob="true">2</span>'
    ) in page
    tour.karelian.refresh_from_db()
    assert tour.karelian.checked_in_at is not None


def test_untick_removes_the_attendance(client, manager, tour):
    sign_in(client, manager)
    response = client.post(
        cell_url(tour, tour.tatar, tour.vinzavod), {}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert not Attendance.objects.exists()
    assert 'hx-swap-oob="true">0</span>' in response.content.decode()


def test_a_waitlisted_person_cannot_be_ticked(client, manager, english, tour):
    sign_in(client, manager)
    response = client.post(
        cell_url(tour, tour.waiting, tour.vinzavod),
        {"present": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert "has no confirmed place: waitlisted." in response.content.decode()
    assert not Attendance.objects.filter(registration=tour.waiting).exists()


def test_a_cell_of_another_event_is_not_found(client, manager, tour):
    other = SessionFactory(event=EventFactory())
    sign_in(client, manager)
    response = client.post(cell_url(tour, tour.karelian, other), {"present": "1"})
    assert response.status_code == 404
    assert not Attendance.objects.filter(session=other).exists()


def test_expert_reads_the_grid_but_cannot_tick(client, expert, tour):
    sign_in(client, expert)
    response = client.get(grid_url(tour))
    assert response.status_code == 200
    assert response.context["can_edit"] is False
    assert response.content.decode().count(" disabled") == 6
    denied = client.post(cell_url(tour, tour.karelian, tour.vinzavod), {"present": "1"})
    assert denied.status_code == 403
    assert Attendance.objects.count() == 1


def test_partner_sees_their_people_only_and_cannot_tick(client, partner_karelia, tour):
    sign_in(client, partner_karelia)
    response = client.get(grid_url(tour))
    assert [row["registration"].person.surname for row in response.context["rows"]] == [
        "Лампинен"
    ]
    assert [total["count"] for total in response.context["totals"]] == [0, 0]
    denied = client.post(cell_url(tour, tour.karelian, tour.vinzavod), {"present": "1"})
    assert denied.status_code == 403
    assert Attendance.objects.count() == 1


def test_partner_of_a_region_sending_nobody_gets_404(client, tour):
    Event.objects.filter(pk=tour.event.pk).update(registration_open=False)
    sign_in(client, partner_of("63"))
    assert client.get(grid_url(tour)).status_code == 404


def test_an_itinerary_without_sessions_says_what_to_do(client, manager, regions):
    tour = study_tour()
    sign_in(client, manager)
    response = client.get(grid_url(tour))
    assert "The itinerary has no sessions yet." in response.content.decode()
