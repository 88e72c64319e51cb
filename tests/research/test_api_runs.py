"""The research API: runs started and read, results filtered and scoped to a
partner's regions."""

import pytest

from creative_regions.research.models import ResearchRun
from creative_regions.research.services import (
    research_run_create,
    research_run_execute,
)
from tests.research.test_engine import write_register
from tests.research.test_runs import FIRMS

pytestmark = pytest.mark.django_db


@pytest.fixture
def store(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    write_register(tmp_path / "registry", FIRMS)
    return tmp_path / "registry"


@pytest.fixture
def run(store, regions, classifications):
    return research_run_execute(
        run=research_run_create(classification=classifications["ru-minec-16"])
    )


def test_an_analyst_starts_a_run_that_the_worker_computes(
    client, analyst, store, regions, classifications, django_capture_on_commit_callbacks
):
    client.force_login(analyst)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/research/runs/",
            {"classification": "ru-minec-16", "weights": {"size": 1}},
            content_type="application/json",
        )

    assert response.status_code == 202
    run = ResearchRun.objects.get(pk=response.json()["id"])
    assert response["Location"] == f"/api/v1/research/runs/{run.pk}/"
    assert run.status == ResearchRun.Status.SUCCEEDED
    assert run.parameters["weights"] == {"size": 1.0}
    body = client.get(response["Location"]).json()
    assert (body["status"], body["base_snapshot"]) == ("succeeded", "2019-01-10")


@pytest.mark.parametrize("user", ["partner_tatarstan", "manager", "expert"])
def test_only_analysts_and_administrators_start_runs(
    client, request, store, classifications, user
):
    client.force_login(request.getfixturevalue(user))

    response = client.post(
        "/api/v1/research/runs/", {}, content_type="application/json"
    )

    assert response.status_code == 403
    assert not ResearchRun.objects.exists()


def test_a_bad_run_gets_the_field_and_the_problem(
    client, analyst, store, classifications
):
    client.force_login(analyst)

    response = client.post(
        "/api/v1/research/runs/",
        {"base_snapshot": "2024-01-10", "target_snapshot": "2019-01-10"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "base": [
            "The base snapshot (2024-01-10) must be earlier than the target "
            "(2019-01-10)."
        ]
    }


def test_results_filter_and_a_partner_sees_their_regions_only(
    client, run, analyst, partner_tatarstan
):
    client.force_login(analyst)
    moscow = client.get(
        "/api/v1/research/runs/latest/profile/", {"region": "77"}
    ).json()
    leaders = client.get(
        f"/api/v1/research/runs/{run.pk}/leaders/", {"region": "77"}
    ).json()
    client.force_login(partner_tatarstan)
    ranking = client.get(f"/api/v1/research/runs/{run.pk}/ranking/").json()
    everything = client.get(f"/api/v1/research/runs/{run.pk}/profile/").json()

    assert [(row["sector"], row["employees"]) for row in moscow["results"]] == [
        ("Книжное дело", 40)
    ]
    assert [row["name"] for row in leaders["results"]] == [
        "ИЗДАТЕЛЬСТВО А",
        "ИЗДАТЕЛЬСТВО Б",
    ]
    assert [row["region_code"] for row in ranking["results"]] == ["16"]
    assert {row["region_code"] for row in everything["results"]} == {"16"}


@pytest.mark.parametrize("run_id", ["abc", "999999", "-1", "¹"])
def test_an_unknown_run_is_404(client, analyst, run, run_id):
    client.force_login(analyst)

    response = client.get(f"/api/v1/research/runs/{run_id}/")

    assert response.status_code == 404
    assert response.json()["status"] == 404


def test_anonymous_callers_get_nothing(client, run):
    assert client.get("/api/v1/research/runs/").status_code in {401, 403}
