"""The public registration through the API: no authentication, the page's
fields and rules, answers in the language asked for."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from creative_regions.community.models import Consent, Person
from creative_regions.programmes.models import Registration
from tests.programmes.factories import RegistrationFactory
from tests.programmes.public_pages import clear_rate_limits, study_tour

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    clear_rate_limits()


@pytest.fixture
def api():
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def tour(regions):
    return study_tour()


def url_of(event) -> str:
    return reverse("api:programmes:public-registration", args=[event.public_key])


def body(**changes) -> dict:
    data = {
        "surname": "Соколова",
        "first_name": "Мария",
        "patronymic": "Андреевна",
        "email": "sokolova@example.org",
        "phone": "+7 912 345-67-89",
        "region": "10",
        "position": "Дизайнер интерьеров",
        "consent": True,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_anyone_registers_without_authentication(api, tour, regions, mailoutbox):
    response = api.post(url_of(tour), body(), format="json")

    assert response.status_code == 201
    assert response.json() == {
        "status": "confirmed",
        "waitlist_position": None,
        "message": "Your place is confirmed",
    }
    registration = Registration.objects.get(event=tour)
    assert registration.source == Registration.Source.PUBLIC
    assert registration.person.region == regions["10"]
    assert registration.consent.channel == Consent.Channel.EVENT_REGISTRATION
    assert mailoutbox[0].subject == (
        "Registration confirmed: Study tour: Moscow creative spaces"
    )


def test_full_event_answers_the_place_in_the_waitlist(api, regions):
    event = study_tour(capacity=1)
    RegistrationFactory(event=event)

    response = api.post(url_of(event), body(), format="json")

    assert response.status_code == 201
    assert response.json()["status"] == "waitlisted"
    assert response.json()["waitlist_position"] == 1
    assert response.json()["message"] == "You are number 1 on the waitlist"


def test_form_encoded_body_is_accepted_too(api, tour):
    response = api.post(
        url_of(tour),
        urlencode(body(consent="true")),
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 201


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"consent": False},
            "consent",
            "Registration needs your consent to the processing of your personal data.",
        ),
        ({"consent": None}, "consent", "This field is required."),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"surname": ""}, "surname", "This field may not be blank."),
        ({"region": "99"}, "region", "Object with code=99 does not exist."),
        (
            {"surname": "С" * 151},
            "surname",
            "Ensure this field has no more than 150 characters.",
        ),
    ],
)
def test_bad_input_is_answered_per_field(api, tour, changes, field, message):
    response = api.post(url_of(tour), body(**changes), format="json")

    assert response.status_code == 400
    problem = response.json()
    assert problem["status"] == 400
    assert problem["errors"][field] == [message]
    assert Registration.objects.count() == 0
    assert Person.objects.count() == 0


def test_duplicate_registration_is_refused_next_to_email(api, tour):
    api.post(url_of(tour), body(), format="json")

    response = api.post(url_of(tour), body(phone=""), format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "email": ["This person is already registered for this event."]
    }
    assert Registration.objects.count() == 1


def test_messages_follow_accept_language(tour):
    russian = APIClient(HTTP_ACCEPT_LANGUAGE="ru")

    response = russian.post(url_of(tour), body(email="x"), format="json")

    assert response.json()["errors"]["email"] == [
        "Введите правильный адрес электронной почты."
    ]


def test_closed_event_is_refused_with_the_reason(api, regions):
    event = study_tour(registration_open=False)

    response = api.post(url_of(event), body(), format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "non_field_errors": ["Registration for this event is closed."]
    }
    assert Registration.objects.count() == 0


def test_unknown_event_is_not_found(api, regions):
    response = api.post(
        "/api/v1/programmes/events/00000000-0000-0000-0000-000000000000/registrations/",
        body(),
        format="json",
    )

    assert response.status_code == 404
    assert response.json()["status"] == 404


def test_only_post_is_allowed(api, tour):
    response = api.get(url_of(tour))

    assert response.status_code == 405
    assert response.json()["status"] == 405
