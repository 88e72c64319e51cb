"""The public doors under bad load and bad input: POSTs per client address,
oversize bodies and fields, CSRF; the page answers in words, the API in JSON."""

from __future__ import annotations

import json

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from creative_regions.community.models import Person
from creative_regions.programmes.limits import client_ip
from creative_regions.programmes.models import Registration
from tests.programmes.public_pages import clear_rate_limits, form_data, study_tour

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    clear_rate_limits()
    yield
    clear_rate_limits()


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def tour(regions):
    return study_tour()


def page_of(event) -> str:
    return reverse("programmes:public-register", args=[event.public_key])


def api_of(event) -> str:
    return reverse("api:programmes:public-registration", args=[event.public_key])


def person_data(number: int, regions) -> dict:
    return form_data(
        region=regions["10"].pk,
        email=f"visitor{number}@example.org",
        phone="",
        surname=f"Посетитель{number}",
    )


def test_eleventh_form_in_a_minute_gets_a_readable_429(client, english, tour, regions):
    answers = [
        client.post(page_of(tour), person_data(number, regions)).status_code
        for number in range(11)
    ]

    assert answers == [302] * 10 + [429]
    assert Registration.objects.count() == 10
    response = client.post(page_of(tour), person_data(99, regions))
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 65
    content = response.content.decode()
    assert "Too many forms have been sent from your address in a short time." in content
    assert not Person.objects.filter(email="visitor99@example.org").exists()


def test_limit_counts_per_client_address(client, tour, regions):
    for number in range(10):
        client.post(page_of(tour), person_data(number, regions))
    neighbour = Client(REMOTE_ADDR="10.1.2.3")

    response = neighbour.post(page_of(tour), person_data(42, regions))

    assert response.status_code == 302
    assert client.post(page_of(tour), person_data(43, regions)).status_code == 429


def test_reading_the_page_is_not_limited(client, tour):
    answers = {client.get(page_of(tour)).status_code for _ in range(15)}

    assert answers == {200}


def test_api_shares_the_limit_and_answers_429_in_json(tour, regions):
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    answers = [
        api.post(
            api_of(tour),
            {**person_data(number, regions), "region": "10", "consent": True},
            format="json",
        ).status_code
        for number in range(11)
    ]

    assert answers == [201] * 10 + [429]
    response = api.post(api_of(tour), {}, format="json")
    assert response.status_code == 429
    assert response.json()["title"] == "Too many requests"
    assert "Retry-After" in response


def test_oversize_form_is_refused_before_it_is_read(client, english, tour, regions):
    data = person_data(1, regions)
    data["position"] = "x" * (70 * 1024)

    response = client.post(page_of(tour), data)

    assert response.status_code == 413
    content = response.content.decode()
    assert "The form sent is too large: this page accepts at most 64 KB." in content
    assert Registration.objects.count() == 0


def test_oversize_api_body_is_refused_in_json(tour, regions):
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    payload = {"surname": "x" * (70 * 1024), "consent": True}

    response = api.post(
        api_of(tour), json.dumps(payload), content_type="application/json"
    )

    assert response.status_code == 413
    assert response.json()["detail"] == (
        "The request is too large: at most 64 KB are accepted."
    )
    assert Registration.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "length"),
    [
        ("surname", 151),
        ("first_name", 151),
        ("patronymic", 151),
        ("email", 255),
        ("phone", 41),
        ("position", 301),
    ],
)
def test_overlong_field_is_refused_next_to_it(
    client, english, tour, regions, field, length
):
    data = person_data(1, regions)
    data[field] = (
        "a" * (length - len("@example.org")) + "@example.org"
        if field == "email"
        else "7" * length
    )

    response = client.post(page_of(tour), data)

    content = response.content.decode()
    assert response.status_code == 200
    assert f'data-testid="error-{field}"' in content
    assert "Ensure this value has at most" in content
    assert Registration.objects.count() == 0


def test_form_without_csrf_token_is_refused(tour, regions):
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(page_of(tour), person_data(1, regions))

    assert response.status_code == 403
    assert Registration.objects.count() == 0


def test_form_with_csrf_token_passes_the_guard(tour, regions):
    strict = Client(enforce_csrf_checks=True)
    strict.get(page_of(tour))
    token = strict.cookies["csrftoken"].value

    response = strict.post(
        page_of(tour), {**person_data(1, regions), "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert Registration.objects.count() == 1


@pytest.mark.parametrize(
    ("header", "meta", "expected"),
    [
        ("", {"REMOTE_ADDR": "192.0.2.7"}, "192.0.2.7"),
        (
            "HTTP_X_FORWARDED_FOR",
            {
                "REMOTE_ADDR": "10.0.0.1",
                "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.9",
            },
            "198.51.100.9",
        ),
        ("HTTP_X_REAL_IP", {"REMOTE_ADDR": "10.0.0.1"}, "10.0.0.1"),
        ("", {"REMOTE_ADDR": "not an address"}, "0.0.0.0"),
    ],
)
def test_client_address_is_the_one_the_trusted_proxy_saw(
    settings, header, meta, expected
):
    settings.CLIENT_IP_HEADER = header
    request = RequestFactory().get("/", **meta)

    assert client_ip(request) == expected


def test_malformed_rate_limit_setting_names_the_variable(tmp_path):
    from tests.core.test_settings import run_cli

    result = run_cli("check", env={"PUBLIC_RATE_LIMIT": "ten"}, tmp_path=tmp_path)

    assert result.returncode != 0
    assert "PUBLIC_RATE_LIMIT must be a count and a period such as 10/m" in (
        result.stderr
    )


REDIS_TEST_URL = "redis://127.0.0.1:6379/15"


def test_with_redis_the_limit_is_counted_where_every_process_sees_it(
    client, english, tour, regions, settings
):
    """Several processes or hosts behind one address count in Redis
    (``REDIS_URL``): the counter is there, not in one process's memory."""
    import redis

    store = redis.Redis.from_url(REDIS_TEST_URL)
    store.flushdb()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_TEST_URL,
        }
    }
    try:
        answers = [
            client.post(page_of(tour), person_data(number, regions)).status_code
            for number in range(11)
        ]
        counters = store.keys("*")
    finally:
        store.flushdb()

    assert answers == [302] * 10 + [429]
    assert counters
