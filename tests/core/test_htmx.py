"""One URL serves a list page and its HTMX fragment."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

REGIONS = reverse("geo:region-list")


def test_an_htmx_filter_request_gets_the_results_alone(client, manager, regions):
    client.force_login(manager)

    content = client.get(REGIONS, headers={"HX-Request": "true"}).content.decode()

    assert "<html" not in content
    assert "Карелия" in content


def test_going_back_to_a_page_the_browser_forgot_gets_the_whole_page(
    client, manager, regions
):
    # HTMX asks again with HX-History-Restore-Request when its history cache has
    # lost the page; a fragment would replace the whole page with a bare table.
    client.force_login(manager)

    response = client.get(
        REGIONS,
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )

    content = response.content.decode()
    assert "<html" in content and "Карелия" in content
    assert "HX-Request" in response["Vary"]
