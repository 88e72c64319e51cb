import pytest
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

PROBLEM_KEYS = {"type", "title", "status", "detail", "errors"}


def test_unauthenticated_request_gets_401_problem(client):
    response = client.get("/api/v1/regions/")

    body = response.json()
    assert response.status_code == 401
    assert set(body) == PROBLEM_KEYS
    assert body["status"] == 401 and body["title"] == "Нужна авторизация"


def test_unknown_record_gets_404_problem(client, manager, regions):
    client.force_login(manager)

    response = client.get("/api/v1/regions/00/")

    assert response.status_code == 404
    assert response.json() == {
        "type": "about:blank",
        "title": "Не найдено",
        "status": 404,
        "detail": "Страница не найдена.",
        "errors": {},
    }


def test_invalid_filter_names_the_field(client, manager, regions):
    client.force_login(manager)

    response = client.get("/api/v1/regions/", {"federal_district": "atlantis"})

    body = response.json()
    assert response.status_code == 400
    assert set(body) == PROBLEM_KEYS
    assert list(body["errors"]) == ["federal_district"]
    assert "atlantis" in body["errors"]["federal_district"][0]


def test_token_is_issued_for_valid_credentials_and_works(client, manager):
    from tests.core.factories import PASSWORD

    response = client.post(
        "/api/v1/auth/token/", {"username": manager.username, "password": PASSWORD}
    )
    token = response.json()["token"]

    assert token == Token.objects.get(user=manager).key
    me = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.json()["role"] == "manager"


def test_token_request_with_wrong_password_names_the_problem(client, manager):
    response = client.post(
        "/api/v1/auth/token/", {"username": manager.username, "password": "nope"}
    )

    assert response.status_code == 400
    assert "non_field_errors" in response.json()["errors"]


def test_api_errors_follow_accept_language(client, manager, regions):
    client.force_login(manager)

    body = client.get("/api/v1/regions/00/", HTTP_ACCEPT_LANGUAGE="en").json()

    assert (body["title"], body["detail"]) == ("Not found", "Not found.")


def test_pages_ignore_accept_language_but_the_api_honours_it(client, manager, regions):
    client.force_login(manager)

    page = client.get("/regions/16/", HTTP_ACCEPT_LANGUAGE="en")
    api = client.get(
        "/api/v1/regions/", {"federal_district": "x"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert '<html lang="ru">' in page.content.decode()
    assert api.json()["title"] == "Invalid input"
