import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, sign_in
from tests.research.test_engine import write_register
from tests.research.test_russia_page import FIRMS

pytestmark = pytest.mark.e2e

RUN_PAGE = re.compile(r".*/research/runs/\d+/$")


@pytest.fixture
def register(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    write_register(settings.DATA_DIR / "registry", FIRMS)
    # The run computes inside the request that queues it, as the worker would.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }


def ranking_order(page) -> list[str]:
    return page.locator("[data-testid=ranking] tbody tr").evaluate_all(
        "rows => rows.map(row => row.dataset.region)"
    )


def test_analyst_starts_a_run_and_reweights_the_ranking(
    page, analyst_account, register
):
    sign_in(page, "analyst")
    menu = page.get_by_role("navigation")
    menu.get_by_role("button", name="Исследования").click()
    menu.get_by_role("link", name="Россия").click()
    page.get_by_test_id("russia-empty").wait_for()

    page.locator('main a[href="/research/runs/create/"]').first.click()
    assert page.locator("#id_base").input_value() == "2019-01-10"
    assert page.locator("#id_target").input_value() == "2024-01-10"
    page.locator("#id_size").fill("2")
    page.locator("#id_growth").fill("1")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(RUN_PAGE)
    page.locator("[data-testid=run-status][data-status=succeeded]").wait_for()
    assert page.get_by_test_id("run-exports").locator("a").count() == 6
    screenshot(page, "research-run-ru")

    page.locator('main a[href^="/research/russia/?run="]').click()
    # Size weighs twice growth: Moscow (the largest) first.
    assert ranking_order(page) == ["77", "16", "10"]
    for name, value in (
        ("size", "0"),
        ("specialisation", "0"),
        ("growth", "1"),
        ("competitive_shift", "0"),
        ("diversity", "0"),
    ):
        page.locator(f"#id_{name}").fill(value)
    page.locator("#weights-form button[type=submit]").click()
    page.get_by_test_id("rank-change").wait_for()

    # Growth alone: Karelia (×3) before Tatarstan (×2) before Moscow (×1.1).
    assert ranking_order(page) == ["10", "16", "77"]
    assert [
        text.strip() for text in page.get_by_test_id("rank-range").all_inner_texts()
    ] == ["1", "2", "3"]
    assert "growth=1" in page.url
    page.locator("#metric").select_option("index")
    # The map of the index follows the weights: Karelia tops it with 100.
    expect(
        page.locator('[data-testid=tile-map] a[data-region="10"] title')
    ).to_contain_text(": 100,0")
    assert "metric=index" in page.url
    screenshot(page, "research-russia-ru")

    page.get_by_test_id("language-en").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_test_id("ranking").wait_for()
    screenshot(page, "research-russia-en")
