"""The calendar in a real browser: filtering in place with the filter kept in the
address, moving between months, the list, the keyboard, and planning an
itinerary on the event's page with the messages next to the fields, in Russian
and in English."""

from __future__ import annotations

import re

import pytest

from creative_regions.programmes.models import Session
from tests.core.factories import UserFactory
from tests.e2e.conftest import screenshot, sign_in
from tests.programmes.planning import july_2023

pytestmark = pytest.mark.e2e


@pytest.fixture
def july(reference_data):
    UserFactory(username="manager", role="manager")
    return july_2023()


def bars(page):
    return page.locator('[data-testid="calendar-event"]')


def test_filtering_and_moving_through_the_months(page, live_server, july):
    sign_in(page, "manager")
    page.goto("/programmes/calendar/?month=2023-07")

    assert page.get_by_test_id("month-title").inner_text() == "Июль 2023"
    # One bar per event and week: each of July's four stays within a week.
    assert bars(page).count() == 4
    screenshot(page, "programmes-calendar-month-ru")

    page.select_option("#id_event_format", "study_tour")
    page.wait_for_url(re.compile(r"event_format=study_tour"))
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=calendar-event]').length === 1"
    )
    assert (
        bars(page).first.inner_text().startswith("Study tour of regional delegations")
    )
    assert "month=2023-07" in page.url

    page.get_by_test_id("month-next").click()
    page.wait_for_url(re.compile(r"month=2023-08"))
    assert page.get_by_test_id("month-title").inner_text() == "Август 2023"
    assert bars(page).count() == 0
    # The empty month leads back to the study tour, filter and all.
    page.get_by_test_id("earlier-month").click()
    page.wait_for_url(re.compile(r"month=2023-07"))
    assert "event_format=study_tour" in page.url
    assert bars(page).count() == 1

    # Back in the browser's history is the August page, as it was.
    page.go_back()
    page.wait_for_url(re.compile(r"month=2023-08"))
    assert page.get_by_test_id("month-title").inner_text() == "Август 2023"

    # Reloaded without JavaScript's help, the address alone gives the same page.
    page.goto(page.url)
    assert page.locator("#id_event_format").input_value() == "study_tour"


def test_the_list_and_the_keyboard(page, live_server, july):
    sign_in(page, "manager")
    page.goto("/programmes/calendar/?month=2023-07")

    page.get_by_test_id("view-list").click()
    page.wait_for_url(re.compile(r"view=list"))
    rows = page.locator('[data-testid="event-table"] tbody tr')
    assert rows.count() == 4
    assert rows.first.inner_text().startswith("31 июля – 2 августа 2023 г.")

    page.goto("/programmes/calendar/?month=2023-07")
    bars(page).nth(1).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/programmes/events/{july.tour.pk}/$"))
    assert page.get_by_test_id("event-title").inner_text() == (
        "Study tour of regional delegations"
    )


def test_planning_the_itinerary_in_place(page, live_server, july):
    sign_in(page, "manager")
    page.goto(f"/programmes/events/{july.tour.pk}/")

    page.get_by_test_id("session-add").locator("summary").click()
    form = page.get_by_test_id("session-add")
    form.locator("#id_session-day").fill("2023-07-10")
    form.locator("#id_session-starts_at").fill("10:00")
    form.locator("#id_session-ends_at").fill("11:30")
    form.locator("#id_session-venue").select_option(str(july.winery.pk))
    form.locator("#id_session-topic").fill("Центр современного искусства «Винзавод»")
    form.get_by_role("button").click()

    error = page.get_by_test_id("error-day")
    error.wait_for()
    assert "07.07.2023" in error.inner_text() and "08.07.2023" in error.inner_text()
    assert Session.objects.count() == 0

    form = page.get_by_test_id("session-add")
    form.locator("#id_session-day").fill("2023-07-07")
    form.get_by_role("button").click()
    page.get_by_test_id("itinerary-notice").wait_for()
    assert page.get_by_test_id("session-row").count() == 1
    assert "10:00–11:30" in page.get_by_test_id("session-row").inner_text()
    screenshot(page, "programmes-event-itinerary-ru")

    # Edit in place: the row becomes a form, the change comes back as a row.
    page.get_by_test_id("session-edit").click()
    page.get_by_test_id("session-edit-row").wait_for()
    session = Session.objects.get()
    page.locator(f"#id_session-{session.pk}-ends_at").fill("12:15")
    page.get_by_test_id("session-edit-row").get_by_role(
        "button", name=re.compile(".")
    ).first.click()
    page.get_by_test_id("itinerary-notice").wait_for()
    page.wait_for_function(
        "document.querySelector('[data-testid=session-row]').innerText.includes('12:15')"
    )
    session.refresh_from_db()
    assert session.ends_at.strftime("%H:%M") == "12:15"


def test_the_calendar_and_the_event_in_english(page, live_server, july):
    sign_in(page, "manager")
    page.context.add_cookies(
        [{"name": "django_language", "value": "en", "url": live_server.url}]
    )
    page.goto("/programmes/calendar/?month=2023-07")

    assert page.get_by_test_id("month-title").inner_text() == "July 2023"
    assert page.get_by_role("columnheader", name="Mon").count() == 1
    feed = page.get_by_test_id("calendar-feed-url").input_value()
    assert re.search(r"/programmes/calendar/feed/[^/]+/events\.ics$", feed)
    screenshot(page, "programmes-calendar-month-en")

    page.goto(f"/programmes/events/{july.tour.pk}/")
    assert "7–8 July 2023" in page.get_by_test_id("event-facts").inner_text()
    screenshot(page, "programmes-event-en")
