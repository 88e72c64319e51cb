"""The regional-partner rule on the region-scoped records that exist now: regions."""

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from creative_regions.geo.models import Region

pytestmark = pytest.mark.django_db

# Who asks, and which of Tatarstan (16) and Karelia (10) they may see.
MATRIX = [
    ("anonymous", set()),
    ("partner_karelia", {"10"}),
    ("partner_tatarstan", {"16"}),
    ("manager", {"10", "16"}),
    ("expert", {"10", "16"}),
]


def login(client, request, who):
    if who == "anonymous":
        return None
    user = request.getfixturevalue(who)
    client.force_login(user)
    return user


@pytest.mark.parametrize("who,visible", MATRIX)
def test_visible_to_applies_the_partner_rule(request, regions, who, visible):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)

    codes = set(Region.objects.visible_to(user).values_list("code", flat=True))

    assert codes & {"10", "16"} == visible
    assert len(codes) == (0 if who == "anonymous" else 1 if "partner" in who else 89)


@pytest.mark.parametrize("who,visible", MATRIX)
@pytest.mark.parametrize("code", ["10", "16"])
def test_region_page(client, request, regions, who, visible, code):
    login(client, request, who)

    response = client.get(f"/regions/{code}/")

    if who == "anonymous":
        assert response.status_code == 302
    elif code in visible:
        assert response.status_code == 200
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("who,visible", MATRIX)
def test_region_list_page(client, request, regions, who, visible):
    login(client, request, who)

    response = client.get(reverse("geo:region-list"))

    if who == "anonymous":
        assert response.status_code == 302
        return
    shown = {region.code for region in response.context["regions"]}
    assert shown & {"10", "16"} == visible


@pytest.mark.parametrize("who,visible", MATRIX)
def test_region_export(client, request, regions, who, visible, tmp_path):
    login(client, request, who)

    response = client.get(reverse("geo:region-export"))

    if who == "anonymous":
        assert response.status_code == 302
        return
    path = tmp_path / "export.xlsx"
    path.write_bytes(response.content)
    codes = {
        row[0]
        for row in load_workbook(path).active.iter_rows(min_row=2, values_only=True)
    }
    assert codes & {"10", "16"} == visible


@pytest.mark.parametrize("who,visible", MATRIX)
def test_region_api_list_and_detail(client, request, regions, who, visible):
    login(client, request, who)

    listing = client.get("/api/v1/regions/", {"limit": 200})
    details = {
        code: client.get(f"/api/v1/regions/{code}/").status_code
        for code in ("10", "16")
    }

    if who == "anonymous":
        assert listing.status_code == 401
        assert set(details.values()) == {401}
        return
    codes = {item["code"] for item in listing.json()["results"]}
    assert codes & {"10", "16"} == visible
    assert details == {code: 200 if code in visible else 404 for code in ("10", "16")}


@pytest.mark.parametrize("who,visible", MATRIX)
def test_map_links_only_visible_regions(client, request, regions, who, visible):
    login(client, request, who)

    response = client.get(reverse("geo:region-map"))

    if who == "anonymous":
        assert response.status_code == 302
        return
    linked = {tile.code for tile in response.context["map"].tiles if tile.href}
    assert linked & {"10", "16"} == visible


def test_partner_of_two_regions_sees_both(client, regions):
    from tests.core.factories import UserFactory

    user = UserFactory(role="partner")
    user.regions.set([regions["10"], regions["16"]])
    client.force_login(user)

    response = client.get("/api/v1/regions/")

    assert [item["code"] for item in response.json()["results"]] == ["10", "16"]
