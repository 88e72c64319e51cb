"""The public registration page: what a visitor sees without signing in, the
rules the form enforces (consent, matching, duplicates, the waitlist, closed
events), the answers in the visitor's language and the confirmation e-mail."""

from __future__ import annotations

import pytest
from django.urls import reverse

from creative_regions.community.models import Consent, Person
from creative_regions.programmes.models import Event, Registration
from tests.community.factories import PersonFactory
from tests.programmes.factories import RegistrationFactory
from tests.programmes.public_pages import (
    clear_rate_limits,
    form_data,
    links_in,
    path_of,
    study_tour,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    clear_rate_limits()


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def tour(regions):
    return study_tour()


def register_url(event: Event) -> str:
    return reverse("programmes:public-register", args=[event.public_key])


def post(client, event, regions, **changes):
    data = form_data(region=regions["10"].pk, **changes)
    return client.post(register_url(event), data)


def test_page_shows_the_event_its_itinerary_and_places_without_signing_in(
    client, english, tour
):
    RegistrationFactory(event=tour)

    response = client.get(register_url(tour))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Study tour: Moscow creative spaces" in content
    assert "7–8 July 2027" in content
    assert "Москва" in content
    assert "Visit to Winzavod" in content and "Винзавод" in content
    assert "Visit to Artplay" in content and "Artplay" in content
    assert "49 places left" in content
    # The public layout: no staff menu, no sign-in link, the language switch.
    assert "Sign out" not in content
    assert 'data-testid="language-ru"' in content


def test_page_in_russian_by_default_writes_dates_as_people_do(client, tour):
    content = client.get(register_url(tour)).content.decode()

    assert '<html lang="ru">' in content
    assert "7–8 июля 2027 г." in content


def test_full_event_offers_the_waitlist_only(client, english, regions):
    event = study_tour(capacity=1)
    RegistrationFactory(event=event)

    content = client.get(register_url(event)).content.decode()

    assert "Waitlist only" in content
    assert "Join the waitlist" in content


def test_registration_confirms_a_place_and_records_the_consent(
    client, english, tour, regions
):
    response = post(client, tour, regions)

    assert response.status_code == 302
    assert response.url == reverse(
        "programmes:public-registered", args=[tour.public_key]
    )
    registration = Registration.objects.get(event=tour)
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.source == Registration.Source.PUBLIC
    person = registration.person
    assert (person.surname, person.first_name, person.patronymic) == (
        "Соколова",
        "Мария",
        "Андреевна",
    )
    assert person.email == "sokolova@example.org"
    assert person.phone == "+79123456789"
    assert person.region == regions["10"]
    consent = registration.consent
    assert consent.person == person
    assert consent.purpose == Consent.Purpose.PROCESSING
    assert consent.channel == Consent.Channel.EVENT_REGISTRATION
    assert "Study tour: Moscow creative spaces" in consent.evidence
    assert "127.0.0.1" in consent.evidence

    result = client.get(response.url).content.decode()
    assert "Your place is confirmed" in result
    assert "sokolova@example.org" in result


def test_consent_is_required_and_nothing_is_recorded_without_it(
    client, english, tour, regions
):
    response = post(client, tour, regions, consent=None)

    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="error-consent"' in content
    assert (
        "Registration needs your consent to the processing of your personal data."
        in content
    )
    assert Registration.objects.count() == 0
    assert Person.objects.count() == 0
    assert Consent.objects.count() == 0


def test_consent_text_names_the_law_and_the_data(client, english, tour):
    content = client.get(register_url(tour)).content.decode()

    assert "152-FZ" in content
    assert "surname, first name, patronymic, e-mail, phone, region" in content


def test_person_known_by_email_is_matched_not_duplicated(
    client, english, tour, regions
):
    known = PersonFactory(
        surname="Соколова", first_name="Мария", email="sokolova@example.org"
    )

    post(client, tour, regions, email="SOKOLOVA@example.org", phone="")

    assert Person.objects.count() == 1
    assert Registration.objects.get(event=tour).person == known


def test_person_known_by_phone_is_matched_and_their_email_filled(
    client, english, tour, regions
):
    known = PersonFactory(surname="Соколова", phone="+79123456789")

    post(client, tour, regions, phone="8 (912) 345-67-89")

    assert Person.objects.count() == 1
    assert Registration.objects.get(event=tour).person == known
    known.refresh_from_db()
    assert known.email == "sokolova@example.org"


def test_second_registration_of_the_same_person_is_refused_next_to_email(
    client, english, tour, regions
):
    post(client, tour, regions)

    response = post(client, tour, regions, surname="Соколова-Петрова")

    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-email"' in content
    assert "This person is already registered for this event." in content
    assert Registration.objects.filter(event=tour).count() == 1


def test_full_event_puts_the_person_on_the_waitlist_with_their_position(
    client, english, regions
):
    event = study_tour(capacity=1)
    RegistrationFactory(event=event)
    RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)

    response = post(client, event, regions)

    registration = Registration.objects.get(event=event, person__surname="Соколова")
    assert registration.status == Registration.Status.WAITLISTED
    result = client.get(response.url).content.decode()
    assert "You are number 2 on the waitlist" in result


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"registration_open": False}, "Registration for this event is closed."),
        ({"status": Event.Status.CANCELLED}, "This event is cancelled."),
        ({"status": Event.Status.HELD}, "This event has already taken place."),
    ],
)
def test_closed_event_says_why_and_registers_nobody(
    client, english, regions, changes, message
):
    event = study_tour(**changes)

    page = client.get(register_url(event)).content.decode()
    response = post(client, event, regions)

    assert message in page
    assert 'data-testid="registration-form"' not in page
    assert message in response.content.decode()
    assert Registration.objects.count() == 0


def test_unknown_event_is_not_found(client, regions):
    response = client.get(
        reverse(
            "programmes:public-register",
            args=["00000000-0000-0000-0000-000000000000"],
        )
    )

    assert response.status_code == 404


def test_field_errors_are_in_the_visitors_language(client, tour, regions):
    russian = post(client, tour, regions, surname="", email="not-an-email")
    client.cookies["django_language"] = "en"
    english = post(client, tour, regions, surname="", email="not-an-email")

    assert "Обязательное поле." in russian.content.decode()
    assert "Введите правильный адрес электронной почты." in russian.content.decode()
    assert "This field is required." in english.content.decode()
    assert "Enter a valid email address." in english.content.decode()
    assert Registration.objects.count() == 0


def test_phone_that_is_not_a_phone_is_refused_next_to_the_field(
    client, english, tour, regions
):
    response = post(client, tour, regions, phone="12")

    content = response.content.decode()
    assert 'data-testid="error-phone"' in content
    assert Registration.objects.count() == 0


def test_language_switch_works_on_the_public_page(client, tour):
    page = register_url(tour)

    response = client.post(reverse("set_language"), {"language": "en", "next": page})

    assert response.status_code == 302 and response.url == page
    content = client.get(page).content.decode()
    assert '<html lang="en">' in content
    assert "7–8 July 2027" in content


def test_result_page_needs_the_registration_made_in_this_browser(client, tour):
    response = client.get(
        reverse("programmes:public-registered", args=[tour.public_key])
    )

    assert response.status_code == 302
    assert response.url == register_url(tour)


# The confirmation e-mail ------------------------------------------------------------


def test_confirmation_email_in_the_language_used_with_working_links(
    client, english, tour, regions, mailoutbox, settings
):
    settings.SITE_URL = "https://regions.example.org"

    post(client, tour, regions)

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["sokolova@example.org"]
    assert (
        message.subject == "Registration confirmed: Study tour: Moscow creative spaces"
    )
    assert "Hello, Мария Андреевна!" in message.body
    assert "7–8 July 2027" in message.body
    assert "Status: Confirmed" in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html"
    assert "Study tour: Moscow creative spaces" in html
    ticket, cancel = links_in(message.body)
    assert ticket in html and cancel in html
    ticket_page = client.get(path_of(ticket, settings.SITE_URL))
    assert ticket_page.status_code == 200
    assert "Соколова Мария Андреевна" in ticket_page.content.decode()
    cancel_page = client.get(path_of(cancel, settings.SITE_URL))
    assert "Cancel the registration?" in cancel_page.content.decode()


def test_confirmation_email_in_russian_for_a_russian_form(
    client, tour, regions, mailoutbox
):
    post(client, tour, regions)

    body = mailoutbox[0].body
    assert "7–8 июля 2027 г." in body


def test_waitlisted_person_is_told_their_place_in_the_queue(
    client, english, regions, mailoutbox
):
    event = study_tour(capacity=1)
    RegistrationFactory(event=event)

    post(client, event, regions)

    message = mailoutbox[0]
    assert (
        message.subject == "You are on the waitlist: Study tour: Moscow creative spaces"
    )
    assert "number 1 in the queue" in message.body
