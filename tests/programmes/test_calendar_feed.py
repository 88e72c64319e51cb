"""The ICS feed: the calendar page gives each user a personal address carrying the
filter; calendar applications fetch it without a session and get, as parseable
iCalendar, exactly the events that user may see with that filter."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest
from django.urls import reverse

from creative_regions.programmes.views_calendar import feed_token
from tests.programmes.planning import july_2023, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def july(regions):
    return july_2023()


def feed(client, user, **filters):
    url = reverse("programmes:calendar-feed", args=[feed_token(user)])
    return client.get(url, filters)


def events_of(response) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(entry["SUMMARY"]): entry for entry in calendar.walk("VEVENT")}


def test_the_feed_is_icalendar_with_one_all_day_event_each(client, manager, july):
    response = feed(client, manager)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = events_of(response)
    assert set(events) == {
        "Business mission of Karelian designers",
        "Study tour of regional delegations",
        "Outreach visit to Kazan",
        "Seminar in Petrozavodsk",
    }
    mission = events["Business mission of Karelian designers"]
    assert mission["DTSTART"].dt == date(2023, 7, 6)
    # DTEND is exclusive: the day after the mission's last day.
    assert mission["DTEND"].dt == date(2023, 7, 8)
    assert mission["DTSTART"].params.get("VALUE") == "DATE"
    assert str(mission["LOCATION"]) == "Москва"
    description = str(mission["DESCRIPTION"])
    assert "Interior-design trends and working with clients." in description
    assert f"/programmes/events/{july.mission.pk}/" in description
    assert str(mission["URL"]).endswith(f"/programmes/events/{july.mission.pk}/")


@pytest.mark.parametrize(
    ("title", "status"),
    [
        ("Business mission of Karelian designers", "CONFIRMED"),  # held
        ("Study tour of regional delegations", "CONFIRMED"),
        ("Outreach visit to Kazan", "TENTATIVE"),  # planned
        ("Seminar in Petrozavodsk", "CANCELLED"),
    ],
)
def test_each_status_reads_as_a_calendar_status(client, manager, july, title, status):
    events = events_of(feed(client, manager))

    assert str(events[title]["STATUS"]) == status


def test_uids_are_stable_between_fetches(client, manager, july):
    first = {
        title: str(entry["UID"])
        for title, entry in events_of(feed(client, manager)).items()
    }
    july.tour.title = "Study tour, renamed"
    july.tour.save()
    second = {str(entry["UID"]) for entry in events_of(feed(client, manager)).values()}

    assert first["Study tour of regional delegations"] in second
    assert first["Study tour of regional delegations"] == (
        f"event-{july.tour.pk}@testserver"
    )
    assert len(set(first.values())) == 4


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"event_format": "outreach_visit"}, {"Outreach visit to Kazan"}),
        ({"region": "10"}, {"Seminar in Petrozavodsk"}),
        (
            {"status": "confirmed"},
            {"Study tour of regional delegations"},
        ),
        (
            {"date_from": "2023-07-08", "date_to": "2023-07-31"},
            {
                "Study tour of regional delegations",
                "Outreach visit to Kazan",
                "Seminar in Petrozavodsk",
            },
        ),
    ],
)
def test_the_feed_follows_its_filter(client, manager, july, filters, expected):
    assert set(events_of(feed(client, manager, **filters))) == expected


def test_a_partners_feed_has_only_what_the_partner_sees(
    client, partner_karelia, partner_tatarstan, july
):
    assert set(events_of(feed(client, partner_karelia))) == {
        "Study tour of regional delegations",
        "Seminar in Petrozavodsk",
    }
    assert set(events_of(feed(client, partner_tatarstan))) == {
        "Outreach visit to Kazan"
    }
    # Asking for another region's events adds nothing.
    assert set(events_of(feed(client, partner_tatarstan, region="77"))) == set()


def test_the_feed_needs_no_session(client, manager, july):
    client.logout()

    response = feed(client, manager)

    assert response.status_code == 200
    assert "Cache-Control" in response and "private" in response["Cache-Control"]


def test_a_deactivated_users_feed_stops_working(client, manager, july):
    manager.is_active = False
    manager.save()
    client.cookies["django_language"] = "en"

    response = feed(client, manager)

    assert response.status_code == 404
    assert b"BEGIN:VCALENDAR" not in response.content
    assert "This calendar link is not valid" in response.content.decode()


@pytest.mark.parametrize(
    "token",
    ["1", "1:forged", "abc", "1:" + "A" * 27],
)
def test_a_forged_token_shows_nothing(client, manager, july, token):
    response = client.get(reverse("programmes:calendar-feed", args=[token]))

    assert response.status_code == 404
    assert b"BEGIN:VCALENDAR" not in response.content


def test_one_users_token_does_not_open_anothers_feed(
    client, manager, partner_tatarstan, july
):
    token = feed_token(partner_tatarstan)
    _pk, signature = token.split(":", 1)
    forged = f"{manager.pk}:{signature}"

    response = client.get(reverse("programmes:calendar-feed", args=[forged]))

    assert response.status_code == 404


def test_a_bad_filter_in_the_feed_is_refused_with_the_reason(client, manager, july):
    client.cookies["django_language"] = "en"

    response = feed(client, manager, region="Kazan")

    assert response.status_code == 400
    assert "Region: A region code is two digits, e.g. 16." in response.content.decode()


def test_the_calendar_page_gives_a_personal_address_with_the_filter(
    client, manager, july
):
    sign_in(client, manager)

    response = client.get(
        reverse("programmes:calendar"),
        {"month": "2023-07", "view": "month", "event_format": "study_tour", "page": 2},
    )

    url = response.context["feed_url"]
    parts = urlsplit(url)
    assert parts.scheme == "http" and parts.netloc == "testserver"
    assert parts.path == reverse("programmes:calendar-feed", args=[feed_token(manager)])
    # The filter, and only the filter, goes into the address.
    assert parse_qs(parts.query) == {"event_format": ["study_tour"]}
    assert f'value="{url}"' in response.content.decode().replace("&amp;", "&")
    # Fetched without a session, the address gives the filtered events.
    client.logout()
    fetched = client.get(f"{parts.path}?{parts.query}")
    assert set(events_of(fetched)) == {"Study tour of regional delegations"}


def test_the_same_user_always_gets_the_same_address(manager, partner_karelia):
    assert feed_token(manager) == feed_token(manager)
    assert feed_token(manager) != feed_token(partner_karelia)


def test_an_event_of_one_day_ends_the_next_day(client, manager, july):
    july.kazan_visit.ends_on = july.kazan_visit.starts_on
    july.kazan_visit.save()

    entry = events_of(feed(client, manager))["Outreach visit to Kazan"]

    assert entry["DTEND"].dt - entry["DTSTART"].dt == timedelta(days=1)
