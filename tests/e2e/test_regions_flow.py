import pytest

from tests.e2e.conftest import screenshot, sign_in

pytestmark = pytest.mark.e2e


def test_russian_user_opens_the_map_and_lands_on_a_region(page, analyst_account):
    sign_in(page, "analyst")

    menu = page.get_by_role("navigation")
    menu.get_by_role("button", name="Регионы").click()
    menu.get_by_role("link", name="Карта").click()
    page.wait_for_url("**/regions/map/")
    assert page.locator("[data-testid=tile-map] a[data-region]").count() == 85
    assert "Население, чел." in page.get_by_test_id("map-legend").inner_text()
    screenshot(page, "map-ru")

    page.locator('a[data-region="16"]').click()
    page.wait_for_url("**/regions/16/")

    assert page.locator("h1").inner_text().startswith("Республика Татарстан")
    assert page.get_by_test_id("population").inner_text() == "4\u202f016\u202f571"
    assert page.get_by_text("Казань").first.is_visible()
    screenshot(page, "region-ru")


def test_english_user_switches_language_and_does_the_same(page, analyst_account):
    sign_in(page, "analyst")

    page.get_by_test_id("language-en").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    menu = page.get_by_role("navigation")
    menu.get_by_role("button", name="Regions").click()
    menu.get_by_role("link", name="Map").click()
    page.wait_for_url("**/regions/map/")
    assert "Population, people" in page.get_by_test_id("map-legend").inner_text()
    screenshot(page, "map-en")

    page.locator('a[data-region="78"]').click()
    page.wait_for_url("**/regions/78/")

    assert page.locator("h1").inner_text().startswith("Saint Petersburg")
    assert page.get_by_test_id("population").inner_text() == "5,645,943"
    assert page.get_by_text("Northwestern Federal District").first.is_visible()
    screenshot(page, "region-en")

    page.get_by_test_id("language-ru").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Санкт-Петербург")


def test_search_narrows_the_list_without_reloading(page, analyst_account):
    sign_in(page, "analyst")
    page.goto("/regions/")
    assert page.get_by_test_id("region-count").inner_text() == "89 регионов"

    page.get_by_role("searchbox", name="Поиск").fill("казань")

    page.get_by_test_id("region-count").filter(has_text="1 регион").wait_for()
    assert page.get_by_role(
        "link", name="Республика Татарстан (Татарстан)"
    ).is_visible()
    screenshot(page, "regions-search-ru")


def test_unknown_region_shows_a_russian_404(page, analyst_account):
    sign_in(page, "analyst")

    response = page.goto("/regions/99/")

    assert response.status == 404
    assert page.locator("h1").inner_text() == "Страница не найдена"
