from pathlib import Path

import pytest
import schemathesis
import yaml
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from creative_regions.wsgi import application

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "src/creative_regions/openapi.yaml"


def test_committed_schema_matches_the_code(tmp_path):
    generated = tmp_path / "openapi.yaml"

    call_command("spectacular", "--lang", "en", "--file", str(generated), "--validate")

    assert yaml.safe_load(generated.read_text()) == yaml.safe_load(
        SCHEMA_PATH.read_text()
    ), "The API changed: run `make openapi` and commit the schema."


@pytest.mark.django_db
def test_swagger_ui_is_served_without_any_cdn(client, manager):
    client.force_login(manager)

    content = client.get("/api/v1/docs/").content.decode()

    assert (
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"
        in content
    )
    assert "cdn" not in content.lower() and "unpkg" not in content.lower()


schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


@pytest.fixture
def api_token(db, regions, classifications):
    from rest_framework.authtoken.models import Token

    from tests.core.factories import UserFactory

    return Token.objects.create(user=UserFactory(role="analyst")).key


@pytest.fixture(autouse=True)
def keep_test_connection_open():
    """Requests through the WSGI app close the database connection when they end,
    which would end the test's transaction; Django's test client suspends that the
    same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.exclude(path="/api/v1/auth/token/").parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_honours_its_schema(case, api_token):
    """Fuzzes every endpoint: no 5xx, responses match the schema.

    A POST may be refused by a rule the schema cannot state (starting a research
    run on an empty register store is a 400 naming the field), so the check that
    every schema-valid body is accepted applies to reads only."""
    excluded = [positive_data_acceptance] if case.method == "POST" else []
    response = case.call_and_validate(
        headers={"Authorization": f"Token {api_token}"}, excluded_checks=excluded
    )

    if response.status_code >= 400:
        assert {"type", "title", "status", "detail", "errors"} <= set(response.json())
