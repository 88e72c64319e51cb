"""The calendar: the month grid (weeks, bars across days, lanes, today), the list,
the filters kept in the address and answered in place for HTMX, the export, and
who sees which events."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from creative_regions.programmes.models import Event
from creative_regions.programmes.views_calendar import month_weeks
from tests.programmes.factories import EventFactory
from tests.programmes.planning import htmx, july_2023, sign_in

pytestmark = pytest.mark.django_db

CALENDAR = reverse("programmes:calendar")


@pytest.fixture
def july(regions):
    return july_2023()


def titles(response) -> list[str]:
    """The events the month grid shows, in the order of their first bar."""
    seen = []
    for week in response.context["weeks"]:
        for lane in week.lanes:
            for cell in lane:
                if cell.bar and cell.bar.event.title not in seen:
                    seen.append(cell.bar.event.title)
    return seen


# The grid -------------------------------------------------------------------------


def test_month_weeks_start_on_monday_and_cover_the_whole_month(regions):
    weeks = month_weeks(date(2023, 7, 1), [], today=date(2023, 7, 12))

    assert [week.days[0].day for week in weeks] == [
        date(2023, 6, 26),
        date(2023, 7, 3),
        date(2023, 7, 10),
        date(2023, 7, 17),
        date(2023, 7, 24),
        date(2023, 7, 31),
    ]
    assert weeks[0].days[0].in_month is False
    assert weeks[0].days[5].day == date(2023, 7, 1)
    assert weeks[0].days[5].in_month is True
    assert [day.day for week in weeks for day in week.days if day.is_today] == [
        date(2023, 7, 12)
    ]


def test_an_event_across_weeks_is_a_bar_in_each_week_marked_as_continuing(july):
    weeks = month_weeks(date(2023, 7, 1), [july.karelia_seminar], date(2023, 7, 1))

    last = weeks[-1]
    (bar,) = [cell.bar for cell in last.lanes[0] if cell.bar]
    # 31 July is a Monday: the seminar covers Monday to Wednesday of that week.
    assert (bar.first, bar.last, bar.span) == (0, 2, 3)
    assert bar.continues_before is False
    assert bar.continues_after is False
    august = month_weeks(date(2023, 8, 1), [july.karelia_seminar], date(2023, 8, 1))
    (first_week_bar,) = [cell.bar for cell in august[0].lanes[0] if cell.bar]
    assert (first_week_bar.first, first_week_bar.last) == (0, 2)


def test_overlapping_events_take_separate_lanes_and_each_lane_has_seven_days(july):
    weeks = month_weeks(
        date(2023, 7, 1), [july.mission, july.tour, july.kazan_visit], date(2023, 7, 1)
    )

    # 6–7 and 7–8 July overlap on the 7th: two lanes in the week of 3 July.
    week = weeks[1]
    assert len(week.lanes) == 2
    assert [
        [(cell.bar.event.title, cell.span) for cell in lane if cell.bar]
        for lane in week.lanes
    ] == [
        [("Business mission of Karelian designers", 2)],
        [("Study tour of regional delegations", 2)],
    ]
    for lane in week.lanes:
        assert sum(cell.span for cell in lane) == 7
    # The Kazan visit (20–21 July) shares no day with them: one lane that week.
    assert len(weeks[3].lanes) == 1


def test_an_event_running_over_a_week_end_is_marked_as_continuing():
    event = Event(
        pk=1, title="Long", starts_on=date(2023, 7, 5), ends_on=date(2023, 7, 12)
    )

    weeks = month_weeks(date(2023, 7, 1), [event], date(2023, 7, 1))

    first = next(cell.bar for cell in weeks[1].lanes[0] if cell.bar)
    second = next(cell.bar for cell in weeks[2].lanes[0] if cell.bar)
    assert (first.first, first.last, first.continues_after) == (2, 6, True)
    assert (second.first, second.last, second.continues_before) == (0, 2, True)


# The month page -------------------------------------------------------------------


def test_the_month_shows_its_events_coloured_by_format(client, manager, july):
    sign_in(client, manager)

    response = client.get(CALENDAR, {"month": "2023-07"})

    assert response.status_code == 200
    assert titles(response) == [
        "Business mission of Karelian designers",
        "Study tour of regional delegations",
        "Outreach visit to Kazan",
        "Seminar in Petrozavodsk",
    ]
    assert response.context["month_count"] == 4
    html = response.content.decode()
    assert 'class="cal-event fmt-business_mission' in html
    assert 'class="cal-event fmt-outreach_visit' in html
    assert "fmt-seminar is-cancelled" in html
    assert ">July 2023</h2>" in html


def test_today_is_marked_in_the_current_month(client, manager, regions):
    sign_in(client, manager)

    response = client.get(CALENDAR)

    html = response.content.decode()
    assert response.context["is_current_month"] is True
    assert html.count('aria-current="date"') == 1
    assert "cal-today" in html


def test_previous_and_next_month_links_keep_the_filter(client, manager, july):
    sign_in(client, manager)

    response = client.get(
        CALENDAR, {"month": "2023-07", "event_format": "study_tour", "region": "77"}
    )

    previous_url = response.context["previous_url"]
    next_url = response.context["next_url"]
    assert "month=2023-06" in previous_url
    assert "month=2023-08" in next_url
    for url in (previous_url, next_url):
        assert "event_format=study_tour" in url
        assert "region=77" in url
    # December runs into January of the next year.
    december = client.get(CALENDAR, {"month": "2023-12"})
    assert "month=2024-01" in december.context["next_url"]


def test_the_seminar_shows_in_august_too(client, manager, july):
    sign_in(client, manager)

    response = client.get(CALENDAR, {"month": "2023-08"})

    assert titles(response) == ["Seminar in Petrozavodsk"]
    assert response.context["month_count"] == 1


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (
            {"event_format": "business_mission"},
            ["Business mission of Karelian designers"],
        ),
        ({"region": "16"}, ["Outreach visit to Kazan"]),
        ({"status": "cancelled"}, ["Seminar in Petrozavodsk"]),
        (
            {"status": "confirmed", "event_format": "study_tour"},
            ["Study tour of regional delegations"],
        ),
        ({"q": "kazan"}, ["Outreach visit to Kazan"]),
        ({"q": "петрозаводск"}, ["Seminar in Petrozavodsk"]),
    ],
)
def test_filters_narrow_the_month(client, manager, july, filters, expected):
    sign_in(client, manager)

    response = client.get(CALENDAR, {"month": "2023-07", **filters})

    assert titles(response) == expected


def test_the_programme_filter_shows_its_events(client, manager, july):
    sign_in(client, manager)

    response = client.get(CALENDAR, {"month": "2023-07", "programme": july.tours.pk})

    assert titles(response) == ["Study tour of regional delegations"]


def test_an_htmx_request_gets_the_results_alone_with_the_month_kept(
    client, manager, july
):
    sign_in(client, manager)

    response = client.get(CALENDAR, {"month": "2023-07", "region": "16"}, **htmx())

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="calendar-filters"' not in html
    assert 'id="calendar-month" value="2023-07" hx-swap-oob="true"' in html
    assert "Outreach visit to Kazan" in html
    assert "Study tour of regional delegations" not in html
    assert response["Vary"].count("HX-Request") == 1


def test_the_whole_page_keeps_the_filter_in_its_form(client, manager, july):
    sign_in(client, manager)

    response = client.get(CALENDAR, {"month": "2023-07", "event_format": "seminar"})

    html = response.content.decode()
    assert '<option value="seminar" selected>' in html
    assert 'name="month" id="calendar-month" value="2023-07"' in html
    # Regions offered are those where the user's events take place, by name.
    region_field = response.context["filterset"].form.fields["region"]
    assert list(region_field.widget.choices) == [
        ("", "All regions"),
        ("10", "Karelia"),
        ("77", "Moscow"),
        ("16", "Tatarstan"),
    ]


def test_bad_filters_and_months_are_named_with_the_field(client, manager, july):
    sign_in(client, manager)

    response = client.get(
        CALENDAR, {"month": "2023-13", "region": "Moscow", "event_format": "party"}
    )

    assert response.status_code == 400
    errors = dict(response.context["filter_errors"])
    assert errors["Region"] == ["A region code is two digits, e.g. 16."]
    assert errors["Month"] == ["A month is written as year and month, e.g. 2023-07."]
    assert "Select a valid choice" in errors["Format"][0]
    assert titles(response) == []
    # Inline, the same answer must still swap in.
    partial = client.get(CALENDAR, {"region": "Moscow"}, **htmx())
    assert partial.status_code == 200
    assert "A region code is two digits, e.g. 16." in partial.content.decode()


def test_an_empty_month_points_to_the_nearest_events(client, manager, july):
    sign_in(client, manager)

    response = client.get(CALENDAR, {"month": "2023-03"})

    assert response.context["month_count"] == 0
    assert "earlier_url" not in response.context
    assert response.context["later_month"] == date(2023, 7, 1)
    html = response.content.decode()
    assert "No events this month." in html
    assert "The next after it: July 2023" in html
    later = client.get(CALENDAR, {"month": "2023-10", "region": "16"})
    assert later.context["earlier_month"] == date(2023, 7, 1)
    assert "No event this month matches the filters." in later.content.decode()


# Who sees what --------------------------------------------------------------------


def test_a_partner_sees_their_regions_events_and_those_their_delegations_attend(
    client, partner_karelia, partner_tatarstan, july
):
    sign_in(client, partner_karelia)
    karelia = client.get(CALENDAR, {"month": "2023-07"})
    sign_in(client, partner_tatarstan)
    tatarstan = client.get(CALENDAR, {"month": "2023-07"})

    assert titles(karelia) == [
        "Study tour of regional delegations",
        "Seminar in Petrozavodsk",
    ]
    assert titles(tatarstan) == ["Outreach visit to Kazan"]
    assert "Business mission of Karelian designers" not in tatarstan.content.decode()


def test_a_partner_filtering_by_another_region_gets_nothing_more(
    client, partner_tatarstan, july
):
    sign_in(client, partner_tatarstan)

    response = client.get(CALENDAR, {"month": "2023-07", "region": "77"})

    assert titles(response) == []


def test_the_expert_reads_the_calendar_without_the_plan_button(client, expert, july):
    sign_in(client, expert)

    response = client.get(CALENDAR, {"month": "2023-07"})

    assert len(titles(response)) == 4
    assert response.context["can_edit"] is False
    assert 'data-testid="event-create"' not in response.content.decode()
    assert 'data-testid="plan-day"' not in response.content.decode()


def test_a_manager_sees_the_plan_button(client, manager, july):
    sign_in(client, manager)

    response = client.get(CALENDAR, {"month": "2023-07"})

    assert 'data-testid="event-create"' in response.content.decode()


def test_a_manager_plans_an_event_on_a_day_clicked_in_the_month(client, manager, july):
    sign_in(client, manager)

    month = client.get(CALENDAR, {"month": "2023-07"}).content.decode()
    plan = f"{reverse('programmes:event-create')}?starts_on=2023-07-14"
    form = client.get(plan).context["form"]

    # The days of July only, not June's or August's shown in the grid.
    assert month.count('data-testid="plan-day"') == 31
    assert f'href="{plan}"' in month
    assert (form["starts_on"].value(), form["ends_on"].value()) == (
        date(2023, 7, 14),
        date(2023, 7, 14),
    )
    assert (
        client.get(f"{reverse('programmes:event-create')}?starts_on=14.07.2023")
        .context["form"]["starts_on"]
        .value()
        is None
    )


@pytest.mark.parametrize(
    "url",
    [CALENDAR, reverse("programmes:calendar-export")],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, url, regions):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


# The list -------------------------------------------------------------------------


def test_the_list_shows_events_latest_first_and_sorts_by_date(client, manager, july):
    sign_in(client, manager)

    latest = client.get(CALENDAR, {"view": "list"})
    earliest = client.get(CALENDAR, {"view": "list", "sort": "starts_on"})

    assert [event.title for event in latest.context["page"]] == [
        "Seminar in Petrozavodsk",
        "Outreach visit to Kazan",
        "Study tour of regional delegations",
        "Business mission of Karelian designers",
    ]
    assert [event.title for event in earliest.context["page"]] == [
        "Business mission of Karelian designers",
        "Study tour of regional delegations",
        "Outreach visit to Kazan",
        "Seminar in Petrozavodsk",
    ]
    assert "4 events" in latest.content.decode()
    assert "6–7 July 2023" in latest.content.decode()
    assert "31 July – 2 August 2023" in latest.content.decode()


def test_the_list_filters_by_dates(client, manager, july):
    sign_in(client, manager)

    response = client.get(
        CALENDAR, {"view": "list", "date_from": "2023-07-08", "date_to": "2023-07-20"}
    )

    assert [event.title for event in response.context["page"]] == [
        "Outreach visit to Kazan",
        "Study tour of regional delegations",
    ]


def test_the_list_is_paged(client, manager, regions):
    for day in range(1, 29):
        for hour in range(2):
            EventFactory(
                title=f"Seminar {day:02d}-{hour}",
                format=Event.Format.SEMINAR,
                starts_on=date(2024, 2, day),
                ends_on=date(2024, 2, day),
            )
    sign_in(client, manager)

    first = client.get(CALENDAR, {"view": "list"})
    second = client.get(CALENDAR, {"view": "list", "page": 2})

    assert first.context["page"].paginator.count == 56
    assert len(first.context["page"]) == 50
    assert len(second.context["page"]) == 6
    assert "Page 1 of 2" in first.content.decode()


def test_the_list_counts_only_what_a_partner_sees(client, partner_tatarstan, july):
    sign_in(client, partner_tatarstan)

    response = client.get(CALENDAR, {"view": "list"})

    assert [event.title for event in response.context["page"]] == [
        "Outreach visit to Kazan"
    ]
    assert "1 event" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "headers", "queries"),
    [
        # Session, user, count, page; the whole page adds the filter bar's
        # regions and programmes.
        ({"view": "list"}, {}, 6),
        ({"view": "list"}, htmx(), 4),
        ({"month": "2023-07"}, {}, 5),
        ({"month": "2023-07"}, htmx(), 3),
    ],
)
def test_the_calendar_takes_a_fixed_number_of_queries(
    client, manager, july, django_assert_num_queries, params, headers, queries
):
    for day in range(1, 20):
        EventFactory(starts_on=date(2023, 7, day), ends_on=date(2023, 7, day + 1))
    sign_in(client, manager)
    client.get(CALENDAR, params, **headers)

    with django_assert_num_queries(queries):
        response = client.get(CALENDAR, params, **headers)

    assert response.status_code == 200


# The export -----------------------------------------------------------------------


def test_the_export_has_the_filtered_events_the_user_sees(
    client, partner_karelia, july
):
    sign_in(client, partner_karelia)

    response = client.get(
        reverse("programmes:calendar-export"), {"event_format": "seminar"}
    )

    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Title", "Format", "Starts on")
    assert [row[0] for row in rows[1:]] == ["Seminar in Petrozavodsk"]
    assert rows[1][1] == "Seminar or workshop"
    assert rows[1][6] == "Cancelled"


def test_the_export_refuses_a_bad_filter_with_the_reason(client, manager, july):
    sign_in(client, manager)

    response = client.get(reverse("programmes:calendar-export"), {"programme": "-1"})

    assert response.status_code == 400
    assert "Programme: An id is a whole number, e.g. 42." in response.content.decode()
