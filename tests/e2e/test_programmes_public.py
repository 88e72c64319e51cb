"""A visitor registers for a study tour through its public page, in Russian,
without an account, and opens the ticket from the confirmation e-mail."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from creative_regions.community.models import Consent
from creative_regions.programmes.models import Registration
from tests.e2e.conftest import screenshot
from tests.programmes.public_pages import clear_rate_limits, study_tour

pytestmark = pytest.mark.e2e


@pytest.fixture
def tour(reference_data, live_server, settings):
    clear_rate_limits()
    settings.SITE_URL = live_server.url
    return study_tour(capacity=20)


def test_visitor_registers_in_russian_and_opens_the_ticket(page, tour):
    page.goto(f"/programmes/public/events/{tour.public_key}/")

    assert page.locator("html").get_attribute("lang") == "ru"
    expect(page.get_by_test_id("event-dates")).to_have_text("7–8 июля 2027 г.")
    expect(page.get_by_test_id("itinerary").first).to_contain_text("Винзавод")
    screenshot(page, "programmes-public-register-ru")

    # Sent empty: every required field says so, in Russian, next to it.
    page.get_by_test_id("register-submit").click()
    expect(page.get_by_test_id("error-surname")).to_have_text("Обязательное поле.")
    expect(page.get_by_test_id("error-email")).to_have_text("Обязательное поле.")
    expect(page.get_by_test_id("error-consent")).to_be_visible()
    assert page.locator("#id_surname").get_attribute("aria-invalid") == "true"
    screenshot(page, "programmes-public-register-errors-ru")

    page.locator("#id_surname").fill("Соколова")
    page.locator("#id_first_name").fill("Мария")
    page.locator("#id_patronymic").fill("Андреевна")
    page.locator("#id_email").fill("sokolova@example.org")
    page.locator("#id_phone").fill("+7 912 345-67-89")
    page.locator("#id_region").select_option(label="Республика Карелия")
    page.locator("#id_position").fill("Дизайнер интерьеров, студия «Онего»")
    page.locator("#id_consent").check()
    page.get_by_test_id("register-submit").click()

    page.wait_for_url("**/registered/")
    expect(page.get_by_test_id("registration-result")).to_be_visible()
    expect(page.locator("strong")).to_have_text("sokolova@example.org")
    registration = Registration.objects.get(event=tour)
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.consent.channel == Consent.Channel.EVENT_REGISTRATION
    screenshot(page, "programmes-public-registered-ru")

    # The confirmation, in Russian, leads to the ticket with its QR code.
    assert len(mail.outbox) == 1
    assert "7–8 июля 2027 г." in mail.outbox[0].body
    ticket = re.search(r"\S+/programmes/public/tickets/\S+", mail.outbox[0].body)[0]
    assert ticket.startswith(settings.SITE_URL)
    page.goto(ticket)
    expect(page.get_by_test_id("ticket-qr").locator("svg")).to_be_visible()
    expect(page.locator("#ticket-title")).to_have_text("Соколова Мария Андреевна")
    screenshot(page, "programmes-public-ticket-ru")

    page.get_by_test_id("language-en").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_test_id("ticket-status")).to_have_text("Confirmed")
    screenshot(page, "programmes-public-ticket-en")
