"""The admin shows the community's records and their history, and checks input
with the same validators as the API."""

import pytest

from creative_regions.community.models import Organisation
from tests.community.factories import OrganisationFactory, PersonFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("english", "media_in_tmp"),
]


@pytest.mark.parametrize(
    "model",
    [
        "organisation",
        "person",
        "affiliation",
        "consent",
        "community",
        "communitymembership",
        "interaction",
        "followup",
        "tag",
        "sector",
        "personrole",
    ],
)
def test_every_community_list_opens_in_the_admin(client, admin_user, regions, model):
    OrganisationFactory()
    PersonFactory()
    client.force_login(admin_user)

    assert client.get(f"/admin/community/{model}/").status_code == 200


def test_an_organisations_history_page_lists_its_changes(client, admin_user, regions):
    organisation = OrganisationFactory(full_name="Студия")
    client.force_login(admin_user)

    response = client.get(f"/admin/community/organisation/{organisation.pk}/history/")

    assert response.status_code == 200
    assert "Студия" in response.content.decode()


def test_the_admin_normalises_and_checks_an_inn(client, admin_user, regions):
    client.force_login(admin_user)
    client.cookies["django_language"] = "en"
    form = {
        "full_name": "Студия",
        "kind": "company",
        "region": regions["16"].pk,
        "status": "active",
        "affiliations-TOTAL_FORMS": "0",
        "affiliations-INITIAL_FORMS": "0",
    }

    bad = client.post(
        "/admin/community/organisation/add/", {**form, "inn": "7707083894"}
    )
    good = client.post(
        "/admin/community/organisation/add/", {**form, "inn": "7707 083 893"}
    )

    assert bad.status_code == 200
    assert "INN failed its checksum: check the digits." in bad.content.decode()
    assert good.status_code == 302
    assert Organisation.objects.get().inn == "7707083893"
