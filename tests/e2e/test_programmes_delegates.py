"""The people at an event in a real browser: a delegation registered with its
members picked and typed in (Russian), the delegate list filtered and sorted in
place, and the attendance grid ticked (English)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from creative_regions.community.models import PersonRole
from creative_regions.programmes.models import Attendance, Registration
from tests.community.factories import PersonFactory, region
from tests.core.factories import UserFactory
from tests.e2e.conftest import screenshot, sign_in
from tests.programmes.factories import RegistrationFactory, SessionFactory
from tests.programmes.people import study_tour

pytestmark = pytest.mark.e2e


@pytest.fixture
def tour(reference_data):
    UserFactory(username="manager", role="manager")
    tour = study_tour(capacity=4)
    PersonFactory(surname="Виролайнен", first_name="Анна", region=region("10"))
    tour.session = SessionFactory(event=tour.event, topic="Винзавод")
    # Before any page renders its role lists: an earlier browser test flushes the
    # tables, the migrated roles with them.
    tour.designer, _created = PersonRole.objects.get_or_create(
        code="designer", defaults={"name_ru": "Дизайнер", "name_en": "Designer"}
    )
    return tour


def test_manager_registers_a_delegation_with_its_members(page, tour):
    sign_in(page, "manager")
    page.goto(f"/programmes/events/{tour.event.pk}/delegations/")
    expect(page.get_by_test_id("tab-delegations")).to_contain_text("2")
    page.get_by_test_id("delegation-create").click()
    page.locator("#id_region").select_option(str(region("35").pk))
    page.locator("#id_logistics").fill("Поезд из Череповца, 6 июля в 7:40")
    page.locator("[data-testid=delegation-form] button[type=submit]").click()
    page.wait_for_url("**/delegations/*/members/")

    page.locator("#picker-members-search").fill("Виро")
    option = page.locator("#picker-members-results .picker-option").first
    expect(option).to_contain_text("Виролайнен Анна")
    designer = tour.designer
    option.locator("select").select_option(str(designer.pk))
    option.locator("input[type=checkbox]").check()
    expect(page.locator("#picker-members-chosen")).to_contain_text("Виролайнен Анна")

    page.locator("#id_new-0-surname").fill("Мäкинен")
    page.locator("#id_new-0-first_name").fill("Ээва")
    page.locator("[data-testid=new-people] button").click()
    expect(page.locator("#id_new-1-surname")).to_be_visible()
    page.locator("#id_new-1-surname").fill("Ранта")
    page.locator("#id_new-1-first_name").fill("Олли")
    page.get_by_test_id("members-submit").click()

    results = page.get_by_test_id("member-result")
    expect(results).to_have_count(3)
    # One place was left: the first takes it, the others queue.
    statuses = Registration.objects.filter(delegation__region__code="35").order_by(
        "queued_at", "pk"
    )
    assert [item.status for item in statuses] == [
        "confirmed",
        "waitlisted",
        "waitlisted",
    ]
    assert statuses[0].role == designer
    screenshot(page, "programmes-delegation-members-ru")


def test_delegate_list_filters_sorts_and_ticks_attendance_in_english(page, tour):
    RegistrationFactory(
        event=tour.event,
        person=PersonFactory(surname="Хабибуллин", first_name="Рустам"),
        status=Registration.Status.WAITLISTED,
        delegation=tour.tatarstan,
        source=Registration.Source.DELEGATION,
    )
    sign_in(page, "manager")
    page.get_by_test_id("language-en").click()
    page.wait_for_load_state()

    page.goto(f"/programmes/events/{tour.event.pk}/registrations/")
    expect(page.get_by_test_id("registration-count")).to_have_text("4 registrations")
    expect(page.get_by_test_id("total-waitlisted")).to_have_text("1")
    page.locator("#id_status").select_option("confirmed")
    expect(page.get_by_test_id("registration-count")).to_have_text("3 registrations")
    expect(page.get_by_test_id("total-waitlisted")).to_have_text("0")
    expect(page).to_have_url(re.compile(r"status=confirmed"))
    page.get_by_role("link", name=re.compile("^Person")).click()
    expect(page).to_have_url(re.compile(r"sort=name"))
    rows = page.get_by_test_id("registration-row")
    expect(rows.first).to_contain_text("Гарипова")
    screenshot(page, "programmes-delegates-en")

    page.goto(f"/programmes/events/{tour.event.pk}/attendance/")
    total = page.get_by_test_id(f"total-{tour.session.pk}")
    expect(total).to_have_text("0")
    page.get_by_test_id(f"cell-{tour.karelian.pk}-{tour.session.pk}").check()
    expect(total).to_have_text("1")
    assert Attendance.objects.filter(registration=tour.karelian).exists()
    screenshot(page, "programmes-attendance-en")
