import pytest

pytestmark = pytest.mark.django_db


def test_classifications_are_listed_with_their_active_version(
    client, partner_tatarstan, classifications
):
    client.force_login(partner_tatarstan)

    body = client.get("/api/v1/classifications/").json()

    assert [item["key"] for item in body["results"]] == ["ru-minec-16", "uk-dcms"]
    assert body["results"][0]["active_version"]["label"] == "2025-provisional"
    assert body["results"][0]["active_version"]["entry_count"] == 46


def test_entries_of_the_active_version_filter_by_sector(
    client, expert, classifications
):
    client.force_login(expert)

    body = client.get(
        "/api/v1/classifications/ru-minec-16/entries/", {"sector": "Музыка"}
    ).json()

    assert body["count"] == 2
    assert {item["sector_en"] for item in body["results"]} == {"Music"}


def test_entries_of_an_unknown_version_are_404(client, expert, classifications):
    client.force_login(expert)

    assert (
        client.get(
            "/api/v1/classifications/ru-minec-16/entries/", {"version": 0}
        ).status_code
        == 404
    )
    bad = client.get("/api/v1/classifications/ru-minec-16/entries/", {"version": "x"})
    assert bad.status_code == 400 and "version" in bad.json()["errors"]


def test_match_endpoint(client, expert, classifications):
    client.force_login(expert)

    hit = client.get(
        "/api/v1/classifications/uk-dcms/match/", {"code": "62.01/1"}
    ).json()
    miss = client.get(
        "/api/v1/classifications/uk-dcms/match/", {"code": "01.11"}
    ).json()
    bad = client.get("/api/v1/classifications/uk-dcms/match/", {"code": "x"})

    assert hit["entry"]["code"] == "62.01"
    assert miss == {"code": "01.11", "entry": None, "narrower": []}
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["code"]


def test_api_is_read_only(client, admin_user, classifications):
    client.force_login(admin_user)

    response = client.post("/api/v1/classifications/", {"key": "x"})

    assert response.status_code == 405
    assert response.json()["title"] == "Метод не разрешён"
