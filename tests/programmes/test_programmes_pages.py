"""Programmes: the list with the number of events each user may see, the page
listing its events, the forms, and the navigation entries of the module."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from creative_regions.programmes.models import Event, Programme
from tests.programmes.factories import EventFactory, ProgrammeFactory
from tests.programmes.planning import htmx, july_2023, sign_in

pytestmark = pytest.mark.django_db

LIST = reverse("programmes:programme-list")


@pytest.fixture
def july(regions):
    return july_2023()


def counts(response) -> dict[str, int]:
    return {
        programme.name: programme.event_count for programme in response.context["page"]
    }


def programme_form(**changes) -> dict:
    data = {
        "name": "Study tours for regional delegations 2024",
        "format": "study_tour",
        "year": "2024",
        "methodology": "study_visit",
        "description": "",
    }
    data.update(changes)
    return data


def test_the_list_counts_the_events_of_each_programme(client, manager, july):
    sign_in(client, manager)

    response = client.get(LIST)

    assert counts(response) == {"Business missions 2023": 1, "Study tours 2023": 1}
    html = response.content.decode()
    assert "2 programmes" in html
    assert ">2023<" in html  # a year, not «2 023»


def test_a_partner_counts_only_the_events_they_see(
    client, partner_tatarstan, partner_karelia, july
):
    sign_in(client, partner_tatarstan)
    tatarstan = client.get(LIST)
    sign_in(client, partner_karelia)
    karelia = client.get(LIST)

    assert counts(tatarstan) == {"Business missions 2023": 0, "Study tours 2023": 0}
    # The Karelian delegation attends the study tour.
    assert counts(karelia) == {"Business missions 2023": 0, "Study tours 2023": 1}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"programme_format": "business_mission"}, ["Business missions 2023"]),
        ({"q": "tours"}, ["Study tours 2023"]),
        ({"year": "2024"}, []),
    ],
)
def test_the_list_filters(client, expert, july, filters, expected):
    sign_in(client, expert)

    response = client.get(LIST, filters)

    assert list(counts(response)) == expected


def test_a_bad_year_is_named(client, manager, july):
    sign_in(client, manager)

    response = client.get(LIST, {"year": "1812"})

    assert response.status_code == 400
    assert dict(response.context["filter_errors"])["Year"] == [
        "Ensure this value is greater than or equal to 2000."
    ]


def test_the_list_takes_a_fixed_number_of_queries(
    client, manager, july, django_assert_num_queries
):
    for number in range(20):
        EventFactory(programme=ProgrammeFactory(name=f"Study tours {number}"))
    sign_in(client, manager)
    client.get(LIST)

    with django_assert_num_queries(4):
        response = client.get(LIST)

    assert len(response.context["page"]) == 22


def test_the_list_sorts_by_its_columns(client, manager, july):
    ProgrammeFactory(name="Outreach visits 2024", format="outreach_visit", year=2024)
    EventFactory(
        programme=july.tours, starts_on=date(2023, 9, 7), ends_on=date(2023, 9, 8)
    )
    sign_in(client, manager)

    latest = client.get(LIST)
    by_name = client.get(LIST, {"sort": "-name"})
    by_events = client.get(LIST, {"sort": "-events"})

    assert list(counts(latest)) == [
        "Outreach visits 2024",
        "Business missions 2023",
        "Study tours 2023",
    ]
    assert list(counts(by_name)) == [
        "Study tours 2023",
        "Outreach visits 2024",
        "Business missions 2023",
    ]
    assert list(counts(by_events).items()) == [
        ("Study tours 2023", 2),
        ("Business missions 2023", 1),
        ("Outreach visits 2024", 0),
    ]
    assert 'aria-sort="descending"' in latest.content.decode()


def test_the_list_answers_htmx_with_its_results(client, manager, july):
    sign_in(client, manager)

    response = client.get(LIST, {"programme_format": "study_tour"}, **htmx())

    html = response.content.decode()
    assert "<html" not in html
    assert "1 programme" in html
    assert "Business missions 2023" not in html


def test_the_export_has_the_counts_the_user_sees(client, partner_karelia, july):
    sign_in(client, partner_karelia)

    response = client.get(reverse("programmes:programme-export"))

    rows = list(
        load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)
    )
    assert rows[0][:5] == ("Name", "Format", "Year", "Methodology template", "Events")
    assert {row[0]: row[4] for row in rows[1:]} == {
        "Business missions 2023": 0,
        "Study tours 2023": 1,
    }


def test_the_page_lists_the_events_the_user_sees(
    client, manager, partner_tatarstan, july
):
    sign_in(client, manager)
    staff = client.get(reverse("programmes:programme-detail", args=[july.tours.pk]))
    sign_in(client, partner_tatarstan)
    partner = client.get(reverse("programmes:programme-detail", args=[july.tours.pk]))

    assert [event.title for event in staff.context["page"]] == [
        "Study tour of regional delegations"
    ]
    assert "7–8 July 2023" in staff.content.decode()
    assert partner.status_code == 200
    assert list(partner.context["page"]) == []
    assert "Study tour of regional delegations" not in partner.content.decode()
    assert "No events of this programme yet." in partner.content.decode()


def test_staff_plan_an_event_from_the_programmes_page(client, manager, july):
    sign_in(client, manager)

    html = client.get(
        reverse("programmes:programme-detail", args=[july.tours.pk])
    ).content.decode()

    assert f"{reverse('programmes:event-create')}?programme={july.tours.pk}" in html


def test_staff_add_a_programme(client, manager, regions):
    sign_in(client, manager)

    response = client.post(reverse("programmes:programme-create"), programme_form())

    programme = Programme.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "programmes:programme-detail", args=[programme.pk]
    )
    assert (programme.format, programme.year, programme.methodology) == (
        "study_tour",
        2024,
        "study_visit",
    )
    followed = client.get(response["Location"])
    assert (
        "The programme “Study tours for regional delegations 2024” is recorded."
        in followed.content.decode()
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"name": "Study tours 2023"},
            "name",
            "Programme with this Name already exists.",
        ),
        (
            {"year": "1999"},
            "year",
            "Ensure this value is greater than or equal to 2000.",
        ),
        ({"format": ""}, "format", "This field is required."),
        (
            {"methodology": "improvised"},
            "methodology",
            "Select a valid choice. improvised is not one of the available choices.",
        ),
    ],
)
def test_bad_programme_input_is_answered_at_the_field(
    client, manager, july, changes, field, message
):
    sign_in(client, manager)

    response = client.post(
        reverse("programmes:programme-create"), programme_form(**changes)
    )

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert Programme.objects.count() == 2


def test_staff_edit_a_programme(client, manager, july):
    sign_in(client, manager)

    response = client.post(
        reverse("programmes:programme-edit", args=[july.tours.pk]),
        programme_form(name="Study tours for regional delegations 2023", year="2023"),
    )

    assert response.status_code == 302
    july.tours.refresh_from_db()
    assert july.tours.name == "Study tours for regional delegations 2023"
    history = client.get(
        reverse("programmes:programme-detail", args=[july.tours.pk])
    ).context["history"]
    assert [
        (c.label, c.old, c.new) for c in history[0].changes if c.field == "methodology"
    ] == [("methodology template", "—", "Study visit or delegation")]


@pytest.mark.parametrize("user_fixture", ["expert", "partner_karelia"])
def test_readers_may_not_add_or_edit_programmes(client, request, july, user_fixture):
    sign_in(client, request.getfixturevalue(user_fixture))

    created = client.post(reverse("programmes:programme-create"), programme_form())
    edited = client.post(
        reverse("programmes:programme-edit", args=[july.tours.pk]), programme_form()
    )
    page = client.get(LIST)

    assert [created.status_code, edited.status_code] == [403, 403]
    assert Programme.objects.count() == 2
    assert 'data-testid="programme-create"' not in page.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        LIST,
        reverse("programmes:programme-export"),
        reverse("programmes:programme-create"),
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, url, regions):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_an_unknown_programme_is_404(client, manager, regions):
    sign_in(client, manager)

    assert (
        client.get(reverse("programmes:programme-detail", args=[31337])).status_code
        == 404
    )


def test_the_main_menu_leads_to_the_calendar_programmes_and_venues(
    client, partner_karelia, regions
):
    sign_in(client, partner_karelia)

    html = client.get(reverse("core:home")).content.decode()

    for name in (
        "programmes:calendar",
        "programmes:programme-list",
        "programmes:venue-list",
    ):
        assert f'href="{reverse(name)}"' in html


def test_programmes_name_their_format_in_events_create_form(client, manager, july):
    sign_in(client, manager)

    response = client.get(reverse("programmes:event-create"))

    labels = dict(response.context["form"].fields["programme"].choices)
    assert labels[july.missions.pk] == "Business missions 2023 · Business mission"
    assert Event.objects.count() == 4
