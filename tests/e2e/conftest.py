from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from creative_regions.geo.services import region_load_reference
from creative_regions.research.services import classification_load_reference
from tests.core.factories import PASSWORD, UserFactory

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        locale="ru-RU",
    )
    # Offline: any request that leaves the test server fails the test.
    outside: list[str] = []
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(live_server.url)
            else (outside.append(route.request.url), route.abort())
        ),
    )
    page = context.new_page()
    yield page
    context.close()
    assert outside == [], f"The page asked the network for {outside}"


@pytest.fixture
def reference_data(transactional_db):
    region_load_reference()
    classification_load_reference()


@pytest.fixture
def analyst_account(reference_data):
    return UserFactory(username="analyst", role="analyst")


def sign_in(page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("Логин").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/")


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("document.fonts.ready")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
