"""The delegate list of an event: its filters, search, sorting and totals, its
exports (logged as personal data), cancelling a place (the waitlist moves up)
and registering a person by hand; who may do what."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from creative_regions.community.models import Person, PersonRole
from creative_regions.core.models import PersonalDataExport
from creative_regions.programmes.models import Attendance, Event, Registration
from tests.community.factories import PersonFactory, region
from tests.community.pages import sign_in
from tests.programmes.factories import RegistrationFactory, SessionFactory
from tests.programmes.people import partner_of, study_tour

pytestmark = pytest.mark.django_db


@pytest.fixture
def tour(regions):
    """Three confirmed places of three; a waitlisted Tatar, a cancelled
    Muscovite; the Karelian attended the first session."""
    tour = study_tour(capacity=3)
    now = timezone.now()
    for minutes, registration in (
        (60, tour.karelian),
        (50, tour.tatar),
        (40, tour.muscovite),
    ):
        Registration.objects.filter(pk=registration.pk).update(
            queued_at=now - timedelta(minutes=minutes)
        )
    tour.waiting = RegistrationFactory(
        event=tour.event,
        person=PersonFactory(
            surname="Хабибуллин",
            first_name="Рустам",
            region=region("16"),
            email="rustam@example.org",
        ),
        delegation=tour.tatarstan,
        status=Registration.Status.WAITLISTED,
        source=Registration.Source.DELEGATION,
        queued_at=now - timedelta(minutes=20),
    )
    tour.gone = RegistrationFactory(
        event=tour.event,
        person=PersonFactory(surname="Орлова", first_name="Вера", region=region("77")),
        status=Registration.Status.CANCELLED,
        source=Registration.Source.PUBLIC,
        queued_at=now - timedelta(minutes=30),
    )
    tour.session = SessionFactory(event=tour.event)
    Attendance.objects.create(
        session=tour.session, registration=tour.karelian, method="grid"
    )
    return tour


def list_url(tour, **query) -> str:
    url = reverse("programmes:registration-list", args=[tour.event.pk])
    if query:
        from urllib.parse import urlencode

        url += "?" + urlencode(query)
    return url


def names(response) -> list[str]:
    return [registration.person.surname for registration in response.context["page"]]


def test_anonymous_user_is_sent_to_sign_in(client, tour):
    for url in (
        list_url(tour),
        reverse("programmes:registration-export", args=[tour.event.pk, "xlsx"]),
        reverse("programmes:registration-create", args=[tour.event.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("core:login"))
    response = client.post(
        reverse("programmes:registration-cancel", args=[tour.karelian.pk])
    )
    assert response.status_code == 302
    tour.karelian.refresh_from_db()
    assert tour.karelian.status == Registration.Status.CONFIRMED


def test_staff_see_everyone_with_totals(client, manager, tour):
    sign_in(client, manager)
    response = client.get(list_url(tour))
    assert response.status_code == 200
    assert names(response) == [
        "Лампинен",
        "Гарипова",
        "Соколов",
        "Орлова",
        "Хабибуллин",
    ]
    totals = response.context["totals"]
    assert (
        totals.registered,
        totals.confirmed,
        totals.waitlisted,
        totals.cancelled,
        totals.attended,
        totals.free,
    ) == (4, 3, 1, 1, 1, 0)
    page = response.content.decode()
    assert "5 registrations" in page
    assert 'data-testid="total-free">0<' in page
    assert reverse("programmes:registration-create", args=[tour.event.pk]) in page


def test_partner_sees_only_their_regions_people(client, partner_tatarstan, tour):
    sign_in(client, partner_tatarstan)
    response = client.get(list_url(tour))
    assert response.status_code == 200
    assert sorted(names(response)) == ["Гарипова", "Хабибуллин"]
    assert response.context["totals"].registered == 2
    page = response.content.decode()
    assert "Лампинен" not in page
    assert "petr@example.org" not in page


def test_partner_of_a_region_sending_nobody_gets_404(client, tour):
    Event.objects.filter(pk=tour.event.pk).update(registration_open=False)
    sign_in(client, partner_of("63"))
    assert client.get(list_url(tour)).status_code == 404
    export = reverse("programmes:registration-export", args=[tour.event.pk, "csv"])
    assert client.get(export).status_code == 404
    assert not PersonalDataExport.objects.exists()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "waitlisted"}, ["Хабибуллин"]),
        ({"status": "cancelled"}, ["Орлова"]),
        ({"source": "public"}, ["Соколов", "Орлова"]),
        ({"region": "16"}, ["Гарипова", "Хабибуллин"]),
        ({"role": "official"}, ["Лампинен"]),
        ({"attended": "true"}, ["Лампинен"]),
        ({"attended": "false"}, ["Гарипова", "Соколов", "Орлова", "Хабибуллин"]),
        ({"q": "alsu@example"}, ["Гарипова"]),
        ({"q": "соколов пётр"}, ["Соколов"]),
        ({"q": "петр"}, ["Соколов"]),
    ],
)
def test_filters_and_search_narrow_the_list(client, manager, tour, query, expected):
    sign_in(client, manager)
    response = client.get(list_url(tour, **query))
    assert names(response) == expected


def test_filter_by_delegation_and_totals_follow_it(client, manager, tour):
    sign_in(client, manager)
    response = client.get(list_url(tour, delegation=tour.tatarstan.pk))
    assert names(response) == ["Гарипова", "Хабибуллин"]
    totals = response.context["totals"]
    assert (totals.registered, totals.confirmed, totals.waitlisted) == (2, 1, 1)
    assert 'data-testid="total-registered">2<' in response.content.decode()


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Гарипова", "Лампинен", "Орлова", "Соколов", "Хабибуллин"]),
        ("-name", ["Хабибуллин", "Соколов", "Орлова", "Лампинен", "Гарипова"]),
        ("region", ["Лампинен", "Гарипова", "Хабибуллин", "Орлова", "Соколов"]),
        ("-attended", ["Лампинен", "Гарипова", "Орлова", "Соколов", "Хабибуллин"]),
        ("status", ["Орлова", "Гарипова", "Лампинен", "Соколов", "Хабибуллин"]),
        ("-registered", ["Хабибуллин", "Орлова", "Соколов", "Гарипова", "Лампинен"]),
    ],
)
def test_every_column_sorts(client, manager, tour, sort, expected):
    sign_in(client, manager)
    assert names(client.get(list_url(tour, sort=sort))) == expected


def test_a_bad_filter_is_explained_not_ignored(client, manager, tour):
    sign_in(client, manager)
    response = client.get(list_url(tour, region="Казань", status="lost"))
    assert response.status_code == 200
    assert names(response) == []
    page = response.content.decode()
    assert "A region code is two digits, e.g. 16." in page
    assert "Select a valid choice. lost is not one of the available choices." in page


def test_an_htmx_request_gets_the_results_alone(client, manager, tour):
    sign_in(client, manager)
    response = client.get(list_url(tour, status="confirmed"), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "<html" not in page
    assert 'data-testid="registration-table"' in page
    assert "3 registrations" in page
    assert response["Vary"] == "HX-Request, Cookie" or "HX-Request" in response["Vary"]


def test_the_list_costs_a_fixed_number_of_queries(
    client, manager, tour, django_assert_num_queries
):
    sign_in(client, manager)
    client.get(list_url(tour))
    with django_assert_num_queries(13):
        client.get(list_url(tour))
    for _number in range(20):
        RegistrationFactory(event=tour.event, status=Registration.Status.WAITLISTED)
    with django_assert_num_queries(13):
        response = client.get(list_url(tour))
    assert len(response.context["page"]) == 25


def test_xlsx_export_follows_the_filter_and_is_logged(client, manager, tour):
    sign_in(client, manager)
    response = client.get(
        reverse("programmes:registration-export", args=[tour.event.pk, "xlsx"])
        + "?region=16"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="event-{tour.event.pk}-delegates.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == (
        "Surname",
        "First name",
        "Patronymic",
        "Position",
        "Region",
        "E-mail",
        "Phone",
    )
    assert [row[0] for row in rows[1:]] == ["Гарипова", "Хабибуллин"]
    assert rows[2][5] == "rustam@example.org"
    assert rows[2][9] == "Waitlisted"
    log = PersonalDataExport.objects.get()
    assert (log.user, log.dataset, log.row_count, log.file_format) == (
        manager,
        "programmes.registration",
        2,
        "xlsx",
    )
    assert log.query == f"event={tour.event.pk}&region=16"


def test_partner_csv_export_holds_only_their_people(client, partner_karelia, tour):
    sign_in(client, partner_karelia)
    response = client.get(
        reverse("programmes:registration-export", args=[tour.event.pk, "csv"])
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [row[0] for row in rows[1:]] == ["Лампинен"]
    assert rows[1][8] == "Official"
    assert rows[1][12] == "1"
    assert PersonalDataExport.objects.get().row_count == 1


def test_expert_reads_the_list_but_cannot_export_or_change_it(client, expert, tour):
    sign_in(client, expert)
    response = client.get(list_url(tour))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Export to XLSX" not in page
    assert "Cancel the registration" not in page
    export = reverse("programmes:registration-export", args=[tour.event.pk, "xlsx"])
    assert client.get(export).status_code == 403
    assert not PersonalDataExport.objects.exists()
    cancel = client.post(
        reverse("programmes:registration-cancel", args=[tour.karelian.pk])
    )
    assert cancel.status_code == 403
    tour.karelian.refresh_from_db()
    assert tour.karelian.status == Registration.Status.CONFIRMED
    create = reverse("programmes:registration-create", args=[tour.event.pk])
    assert client.get(create).status_code == 403


def test_an_export_in_an_unknown_format_is_not_found(client, manager, tour):
    sign_in(client, manager)
    url = reverse("programmes:registration-export", args=[tour.event.pk, "pdf"])
    assert client.get(url).status_code == 404
    assert not PersonalDataExport.objects.exists()


def test_a_bad_filter_refuses_the_export(client, manager, tour):
    sign_in(client, manager)
    url = reverse("programmes:registration-export", args=[tour.event.pk, "csv"])
    response = client.get(url + "?region=Kazan")
    assert response.status_code == 400
    assert "Region: A region code is two digits, e.g. 16." in response.content.decode()
    assert not PersonalDataExport.objects.exists()


def test_staff_cancel_a_place_and_the_waitlist_moves_up(client, manager, tour):
    sign_in(client, manager)
    response = client.post(
        reverse("programmes:registration-cancel", args=[tour.muscovite.pk]),
        {"next": list_url(tour, status="confirmed")},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == list_url(tour, status="confirmed")
    page = response.content.decode()
    assert "The registration of Соколов Пётр Иванович is cancelled." in page
    assert "Promoted from the waitlist: Хабибуллин Рустам Иванович." in page
    tour.waiting.refresh_from_db()
    assert tour.waiting.status == Registration.Status.CONFIRMED
    assert [message.to for message in mail.outbox] == [["rustam@example.org"]]


def test_an_unsafe_next_address_is_not_followed(client, manager, tour):
    sign_in(client, manager)
    response = client.post(
        reverse("programmes:registration-cancel", args=[tour.muscovite.pk]),
        {"next": "https://evil.example.org/"},
    )
    assert response["Location"] == list_url(tour)


def test_partner_cannot_cancel_a_public_registration(client, partner_of_moscow, tour):
    sign_in(client, partner_of_moscow)
    response = client.post(
        reverse("programmes:registration-cancel", args=[tour.muscovite.pk])
    )
    assert response.status_code == 403
    tour.muscovite.refresh_from_db()
    assert tour.muscovite.status == Registration.Status.CONFIRMED


@pytest.fixture
def partner_of_moscow(regions):
    return partner_of("77")


def test_partner_cannot_cancel_another_regions_registration(
    client, partner_karelia, tour
):
    sign_in(client, partner_karelia)
    response = client.post(
        reverse("programmes:registration-cancel", args=[tour.tatar.pk])
    )
    assert response.status_code == 404
    tour.tatar.refresh_from_db()
    assert tour.tatar.status == Registration.Status.CONFIRMED


def test_staff_register_a_person_from_the_community(client, manager, tour):
    person = PersonFactory(surname="Белова", first_name="Ирина", region=region("42"))
    sign_in(client, manager)
    response = client.post(
        reverse("programmes:registration-create", args=[tour.event.pk]),
        {"person": person.pk, "role": PersonRole.objects.get(code="expert").pk},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == list_url(tour)
    page = response.content.decode()
    assert "Белова Ирина Иванович: On the waitlist, number 2 in the queue." in page
    registration = Registration.objects.get(person=person)
    assert (registration.source, registration.status, registration.role.code) == (
        Registration.Source.STAFF,
        Registration.Status.WAITLISTED,
        "expert",
    )


def test_staff_register_a_new_person_recorded_in_the_community(client, manager, tour):
    sign_in(client, manager)
    response = client.post(
        reverse("programmes:registration-create", args=[tour.event.pk]),
        {
            "surname": "Зайцева",
            "first_name": "Мария",
            "region": region("61").pk,
            "email": "maria@example.org",
            "delegation": "",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(surname="Зайцева")
    assert (person.region.code, person.email) == ("61", "maria@example.org")
    assert Registration.objects.filter(person=person, event=tour.event).exists()


def test_a_new_person_needs_a_name_and_region(client, manager, tour):
    sign_in(client, manager)
    url = reverse("programmes:registration-create", args=[tour.event.pk])
    empty = client.post(url, {})
    assert empty.status_code == 400
    assert "Choose a person from the community or describe a new one." in (
        empty.content.decode()
    )
    partial = client.post(url, {"surname": "Зайцева"})
    assert partial.status_code == 400
    assert partial.context["form"].errors["first_name"] == ["Needed for a new person."]
    assert partial.context["form"].errors["region"] == ["Needed for a new person."]
    assert not Person.objects.filter(surname="Зайцева").exists()


def test_registering_someone_twice_is_refused_next_to_the_person(client, manager, tour):
    sign_in(client, manager)
    response = client.post(
        reverse("programmes:registration-create", args=[tour.event.pk]),
        {"person": tour.karelian.person.pk},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["person"] == [
        "This person is already registered for this event."
    ]
    assert 'data-testid="error-person"' in response.content.decode()


def test_a_refused_registration_keeps_no_new_person(client, manager, tour):
    tour.event.status = "cancelled"
    tour.event.save()
    sign_in(client, manager)
    response = client.post(
        reverse("programmes:registration-create", args=[tour.event.pk]),
        {"surname": "Зайцева", "first_name": "Мария", "region": region("61").pk},
    )
    assert response.status_code == 400
    assert "This event is cancelled." in response.content.decode()
    assert not Person.objects.filter(surname="Зайцева").exists()


def test_partner_cannot_register_a_person_by_hand(client, partner_karelia, tour):
    sign_in(client, partner_karelia)
    url = reverse("programmes:registration-create", args=[tour.event.pk])
    assert client.get(url).status_code == 403
    person = PersonFactory(region=region("10"))
    assert client.post(url, {"person": person.pk}).status_code == 403
    assert not Registration.objects.filter(person=person).exists()


def test_the_events_page_shows_the_people_tabs_and_totals(client, manager, tour):
    sign_in(client, manager)
    response = client.get(reverse("programmes:event-detail", args=[tour.event.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    tabs = page.split('data-testid="people-tabs"')[1].split("</ul>")[0]
    assert reverse("programmes:delegation-list", args=[tour.event.pk]) in tabs
    assert reverse("programmes:attendance-grid", args=[tour.event.pk]) in tabs
    assert reverse("programmes:feedback-results", args=[tour.event.pk]) in tabs
    assert "Placements" not in tabs
    totals = page.split('data-testid="people-totals"')[1]
    assert 'data-testid="total-registered">4<' in totals
    assert 'data-testid="total-waitlisted">1<' in totals
    assert 'data-testid="total-attended">1<' in totals
    assert "of 3 places at the event" in totals


def test_the_events_page_counts_only_what_a_partner_may_see(
    client, partner_karelia, tour
):
    sign_in(client, partner_karelia)
    page = client.get(
        reverse("programmes:event-detail", args=[tour.event.pk])
    ).content.decode()
    totals = page.split('data-testid="people-totals"')[1]
    assert 'data-testid="total-registered">1<' in totals
    assert 'data-testid="total-waitlisted">0<' in totals
