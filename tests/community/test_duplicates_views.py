"""The duplicates page and the merge page, and who may use them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from creative_regions.community.models import Organisation, Person
from tests.community.factories import OrganisationFactory, PersonFactory
from tests.community.pages import sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LIST_URL = reverse("community:duplicate-list")


@pytest.fixture
def twins(regions):
    """Two records of one studio in Tatarstan, two of one person in Karelia."""
    return {
        "organisations": [
            OrganisationFactory(full_name="ООО «Звук»", inn=None, city="Казань"),
            OrganisationFactory(full_name="Звук"),
        ],
        "people": [
            PersonFactory(email="vera@example.org", region=regions["10"]),
            PersonFactory(email="VERA@example.org", region=regions["10"]),
        ],
    }


def merge_url(kind: str, first, second) -> str:
    name = (
        "community:organisation-merge"
        if kind == "organisations"
        else ("community:person-merge")
    )
    return f"{reverse(name)}?a={first.pk}&b={second.pk}"


@pytest.mark.parametrize(
    ("who", "organisation_groups", "people_groups", "can_merge"),
    [
        ("manager", 1, 1, True),
        ("expert", 1, 1, False),
        ("partner_tatarstan", 1, 0, True),
        ("partner_karelia", 0, 1, True),
    ],
)
def test_everyone_sees_the_duplicates_of_their_regions(
    client, request, twins, who, organisation_groups, people_groups, can_merge
):
    sign_in(client, request.getfixturevalue(who))

    organisations = client.get(LIST_URL)
    people = client.get(LIST_URL, {"kind": "people"})

    assert organisations.status_code == people.status_code == 200
    assert organisations.context["count"] == organisation_groups
    assert people.context["count"] == people_groups
    assert organisations.context["can_merge"] is can_merge
    content = organisations.content.decode()
    assert ('data-testid="merge-link"' in content) is (
        can_merge and organisation_groups > 0
    )


def test_the_duplicates_page_gives_htmx_the_groups_alone(client, manager, twins):
    sign_in(client, manager)

    response = client.get(LIST_URL, {"kind": "people"}, headers={"HX-Request": "true"})

    assert response.templates[0].name == "community/duplicates/partials/_groups.html"
    assert "Same e-mail" in response.content.decode()
    assert "<html" not in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(LIST_URL)["Location"].startswith("/login/")


def test_the_merge_page_compares_the_fields_that_differ(client, manager, twins):
    first, second = twins["organisations"]
    sign_in(client, manager)

    response = client.get(merge_url("organisations", first, second))

    assert response.status_code == 200
    form = response.context["form"]
    assert [row["name"] for row in form.rows] == ["full_name", "inn", "city"]
    # The first record's value by default, the other's where the first has none.
    assert [form[f"keep_{name}"].value() for name in ("full_name", "inn", "city")] == [
        "a",
        "b",
        "a",
    ]


def test_merging_on_the_page_keeps_the_chosen_values(client, manager, twins):
    first, second = twins["organisations"]
    sign_in(client, manager)

    response = client.post(
        merge_url("organisations", first, second),
        {"survivor": "b", "keep_full_name": "a", "keep_inn": "b", "keep_city": "a"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{LIST_URL}?kind=organisations"
    survivor = Organisation.objects.get()
    assert survivor.pk == second.pk
    assert (survivor.full_name, survivor.inn, survivor.city) == (
        "ООО «Звук»",
        second.inn,
        "Казань",
    )


def test_a_refused_merge_shows_the_reason_and_changes_nothing(client, manager, regions):
    first = OrganisationFactory(ogrn="")
    second = OrganisationFactory(ogrn="123")
    sign_in(client, manager)

    response = client.post(
        merge_url("organisations", first, second),
        {"survivor": "a", "keep_full_name": "a", "keep_inn": "a", "keep_ogrn": "b"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["keep_ogrn"] == [
        "OGRN must be 13 digits (OGRNIP of a sole trader: 15 digits)."
    ]
    assert Organisation.objects.count() == 2


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("expert", 403),
        ("partner_tatarstan", 404),
        ("partner_karelia", 200),
    ],
)
def test_only_writers_of_the_region_merge_people(client, request, twins, who, status):
    first, second = twins["people"]
    sign_in(client, request.getfixturevalue(who))
    url = merge_url("people", first, second)

    assert client.get(url).status_code == status
    response = client.post(url, {"survivor": "a", "keep_email": "a"})

    assert response.status_code == (302 if status == 200 else status)
    assert Person.objects.count() == (1 if status == 200 else 2)
