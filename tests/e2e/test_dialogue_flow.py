from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from creative_regions.community.models import FollowUp, Organisation
from creative_regions.geo.models import Region
from tests.community.factories import (
    FollowUpFactory,
    InteractionFactory,
    OrganisationFactory,
)
from tests.core.factories import UserFactory
from tests.e2e.conftest import screenshot, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def manager_account(reference_data):
    user = UserFactory(
        username="manager", role="manager", first_name="Мария", last_name="Петрова"
    )
    OrganisationFactory(
        full_name="Министерство культуры Республики Татарстан",
        short_name="Минкультуры РТ",
        kind=Organisation.Kind.REGIONAL_AUTHORITY,
        region=Region.objects.get(code="16"),
    )
    return user


def test_manager_records_a_meeting_and_closes_its_follow_up(page, manager_account):
    today = timezone.localdate()
    sign_in(page, "manager")
    page.get_by_test_id("language-en").click()
    page.wait_for_load_state()

    page.goto("/community/interactions/create/?region=16")
    page.locator("#id_kind").select_option("meeting")
    page.locator("#id_occurred_on").fill(f"{today - timedelta(days=14):%Y-%m-%d}")
    page.locator("#id_topic").fill("Встреча с министром культуры")
    page.locator("#picker-organisations-search").fill("минкульт")
    page.locator("#picker-organisations-results input[type=checkbox]").first.check()
    expect(page.locator("#picker-organisations-chosen")).to_contain_text(
        "Минкультуры РТ"
    )
    page.locator("#id_decisions").fill("Создать совет по креативным индустриям")
    page.locator("#id_follow_ups-0-description").fill("Прислать проект положения")
    page.locator("#id_follow_ups-0-due_on").fill(
        f"{today - timedelta(days=3):%Y-%m-%d}"
    )
    page.get_by_role("button", name="Add another follow-up").click()
    page.locator("#id_follow_ups-1-description").fill("Согласовать дату совета")
    page.locator("#id_follow_ups-1-due_on").fill(
        f"{today + timedelta(days=10):%Y-%m-%d}"
    )
    assert page.locator("#id_follow_ups-1-owner").input_value() == str(
        manager_account.pk
    )
    page.get_by_role("button", name="Record", exact=True).click()
    page.wait_for_url("**/community/interactions/*/")
    assert page.locator("h1").inner_text() == "Встреча с министром культуры"
    assert page.get_by_test_id("decisions").inner_text().startswith("Создать совет")

    menu = page.get_by_role("navigation")
    menu.get_by_role("button", name="Community").click()
    menu.get_by_role("link", name="My follow-ups").click()
    page.wait_for_url("**/community/follow-ups/")
    rows = page.get_by_test_id("follow-up-row")
    expect(rows).to_have_count(2)
    first = rows.first
    assert first.get_attribute("data-overdue") == "true"
    assert "Прислать проект положения" in first.inner_text()
    expect(first.get_by_test_id("overdue-badge")).to_have_text("overdue by 3 days")
    assert rows.nth(1).get_attribute("data-overdue") is None
    screenshot(page, "my-follow-ups-en")

    # Marked done in place: the page is not reloaded, only the row changes.
    page.evaluate("window.notReloaded = true")
    first.get_by_role("button", name="Mark done").click()
    done = page.locator("[data-testid=follow-up-row][data-status=done]")
    expect(done).to_have_count(1)
    assert done.get_attribute("data-overdue") is None
    expect(done.get_by_role("button", name="Reopen")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    assert FollowUp.objects.get(description="Прислать проект положения").status == (
        FollowUp.Status.DONE
    )
    screenshot(page, "my-follow-ups-done-en")

    page.goto("/community/dialogue/16/")
    expect(page.get_by_test_id("open-count")).to_have_text("1")
    expect(page.get_by_test_id("contacts")).to_contain_text(
        "Встреча с министром культуры"
    )
    expect(page.get_by_test_id("authority")).to_contain_text("Минкультуры РТ")
    screenshot(page, "dialogue-region-en")


def test_manager_pages_through_follow_ups_and_closes_one_on_page_2(
    page, manager_account
):
    today = timezone.localdate()
    interaction = InteractionFactory(topic="Совет по креативным индустриям")
    for number in range(55):
        FollowUpFactory(
            interaction=interaction,
            owner=manager_account,
            description=f"Просрочено {number:02}",
            due_on=today - timedelta(days=60 - number),
        )
    for number in range(5):
        FollowUpFactory(
            interaction=interaction,
            owner=manager_account,
            description=f"Впереди {number}",
            due_on=today + timedelta(days=number + 1),
        )
    sign_in(page, "manager")
    page.get_by_test_id("language-en").click()
    page.wait_for_load_state()

    page.goto("/community/follow-ups/")
    rows = page.get_by_test_id("follow-up-row")
    expect(rows).to_have_count(50)
    summary = page.get_by_test_id("follow-up-summary")
    expect(summary).to_contain_text("60 open")
    expect(summary).to_contain_text("55 overdue")

    # The next page comes in place, its address in the history.
    page.evaluate("window.notReloaded = true")
    page.get_by_role("link", name="Next").click()
    page.wait_for_url("**/community/follow-ups/?page=2")
    expect(rows).to_have_count(10)
    expect(rows.first).to_contain_text("Просрочено 50")
    assert rows.nth(4).get_attribute("data-overdue") == "true"
    assert rows.nth(5).get_attribute("data-overdue") is None

    row = rows.first
    row.get_by_role("button", name="Mark done").click()
    done = page.locator("[data-testid=follow-up-row][data-status=done]")
    expect(done).to_have_count(1)
    expect(done).to_contain_text("Просрочено 50")
    expect(summary).to_contain_text("59 open")
    expect(summary).to_contain_text("54 overdue")
    assert page.evaluate("window.notReloaded") is True
    assert page.url.endswith("/community/follow-ups/?page=2")
    assert FollowUp.objects.get(description="Просрочено 50").status == (
        FollowUp.Status.DONE
    )
    screenshot(page, "my-follow-ups-page-2-en")

    done.get_by_role("button", name="Reopen").click()
    expect(page.locator("[data-testid=follow-up-row][data-status=done]")).to_have_count(
        0
    )
    expect(summary).to_contain_text("60 open")
    assert FollowUp.objects.get(description="Просрочено 50").is_open
