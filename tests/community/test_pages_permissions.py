"""Who may open and change the organisation and people pages: anonymous users sign
in first, a regional partner meets only their regions' records, an expert reads
and changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from creative_regions.community.models import Affiliation, Consent, Organisation, Person
from creative_regions.core.models import PersonalDataExport
from tests.community.factories import ConsentFactory, OrganisationFactory, PersonFactory
from tests.community.pages import affiliate, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(regions):
    organisation = OrganisationFactory(full_name="Казанская студия")
    person = PersonFactory(surname="Сёмина", first_name="Алёна")
    affiliation = affiliate(person, organisation)
    consent = ConsentFactory(person=person, purpose=Consent.Purpose.MAILING)
    return {
        "organisation": organisation,
        "person": person,
        "affiliation": affiliation,
        "consent": consent,
    }


def url_of(name: str, records) -> str:
    organisation, person = records["organisation"], records["person"]
    arguments = {
        "organisation-detail": [organisation.pk],
        "organisation-edit": [organisation.pk],
        "organisation-delete": [organisation.pk],
        "organisation-export": ["xlsx"],
        "person-detail": [person.pk],
        "person-edit": [person.pk],
        "person-delete": [person.pk],
        "consent-record": [person.pk],
        "consent-withdraw": [person.pk, records["consent"].pk],
        "affiliation-add": [person.pk],
        "affiliation-end": [person.pk, records["affiliation"].pk],
    }
    return reverse(f"community:{name}", args=arguments.get(name, []))


EVERY_PAGE = [
    "search",
    "organisation-list",
    "organisation-export",
    "organisation-choices",
    "organisation-create",
    "organisation-detail",
    "organisation-edit",
    "organisation-delete",
    "person-list",
    "person-export",
    "person-create",
    "person-detail",
    "person-edit",
    "person-delete",
]
RECORD_PAGES = [
    "organisation-detail",
    "organisation-edit",
    "organisation-delete",
    "person-detail",
    "person-edit",
    "person-delete",
]
CHANGES = [
    ("organisation-edit", {"full_name": "Захвачено", "kind": "company"}),
    ("organisation-delete", {}),
    ("person-edit", {"surname": "Захвачено", "first_name": "Х"}),
    ("person-delete", {}),
    (
        "consent-record",
        {
            "consent-purpose": "events",
            "consent-given_on": "2025-01-01",
            "consent-channel": "paper",
        },
    ),
    ("consent-withdraw", {"withdraw-withdrawn_on": "2025-03-01"}),
    ("affiliation-add", {"affiliation-organisation": "0"}),
    ("affiliation-end", {"end-ended_on": "2025-03-01"}),
]


def assert_nothing_changed(records) -> None:
    organisation = Organisation.objects.get(pk=records["organisation"].pk)
    person = Person.objects.get(pk=records["person"].pk)
    assert organisation.full_name == "Казанская студия"
    assert person.surname == "Сёмина"
    assert Consent.objects.get().withdrawn_on is None
    assert Consent.objects.count() == 1
    assert Affiliation.objects.get().ended_on is None


@pytest.mark.parametrize("name", EVERY_PAGE)
def test_anonymous_users_are_sent_to_sign_in(client, records, name):
    url = url_of(name, records)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize("name,data", CHANGES)
def test_anonymous_users_change_nothing(client, records, name, data):
    response = client.post(url_of(name, records), data)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    assert_nothing_changed(records)


@pytest.mark.parametrize("name", RECORD_PAGES)
@pytest.mark.parametrize(
    "account,status",
    [
        ("partner_karelia", 404),
        ("partner_tatarstan", 200),
        ("manager", 200),
        ("admin_user", 200),
    ],
)
def test_a_record_opens_for_its_regions_partner_and_staff_only(
    client, request, records, name, account, status
):
    sign_in(client, request.getfixturevalue(account))

    response = client.get(url_of(name, records))

    assert response.status_code == status


@pytest.mark.parametrize("name,data", CHANGES)
def test_a_partner_cannot_change_another_regions_records(
    client, partner_karelia, records, name, data
):
    sign_in(client, partner_karelia)

    response = client.post(url_of(name, records), data)

    assert response.status_code == 404
    assert_nothing_changed(records)


@pytest.mark.parametrize("name,data", CHANGES)
def test_an_expert_reads_but_changes_nothing(client, expert, records, name, data):
    sign_in(client, expert)

    response = client.post(url_of(name, records), data)

    assert response.status_code == 403
    assert_nothing_changed(records)


@pytest.mark.parametrize(
    "name", ["organisation-create", "person-create", "organisation-edit", "person-edit"]
)
def test_an_expert_gets_no_forms(client, expert, records, name):
    sign_in(client, expert)

    assert client.get(url_of(name, records)).status_code == 403


def test_an_expert_sees_no_buttons_that_change_records(client, expert, records):
    sign_in(client, expert)

    organisations = client.get(reverse("community:organisation-list"))
    people = client.get(reverse("community:person-list"))
    organisation = client.get(url_of("organisation-detail", records))
    person = client.get(url_of("person-detail", records))

    assert organisations.status_code == people.status_code == 200
    assert 'data-testid="organisation-create"' not in organisations.content.decode()
    assert 'data-testid="person-create"' not in people.content.decode()
    for response in (organisation, person):
        content = response.content.decode()
        assert response.status_code == 200
        assert 'data-testid="record-actions"' not in content
        assert '<form method="post"' not in content.split("</nav>", 1)[1]
    assert "Казанская студия" in organisation.content.decode()


def test_a_partner_of_the_region_changes_its_records(
    client, partner_tatarstan, records, regions
):
    sign_in(client, partner_tatarstan)

    response = client.post(
        url_of("person-edit", records),
        {
            "surname": "Сёмина-Иванова",
            "first_name": "Алёна",
            "region": regions["16"].pk,
        },
    )

    assert response.status_code == 302
    assert Person.objects.get().surname == "Сёмина-Иванова"


def test_a_partner_cannot_move_a_record_to_another_region(
    client, partner_tatarstan, records, regions
):
    sign_in(client, partner_tatarstan)

    response = client.post(
        url_of("organisation-edit", records),
        {
            "full_name": "Казанская студия",
            "kind": "company",
            "status": "active",
            "region": regions["77"].pk,
        },
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["region"]
    assert Organisation.objects.get().region == regions["16"]


def test_search_results_hold_only_the_partners_regions(
    client, partner_karelia, partner_tatarstan, records, regions
):
    OrganisationFactory(full_name="Карельская студия", region=regions["10"])
    PersonFactory(surname="Сёмин", first_name="Пётр", region=regions["10"])

    sign_in(client, partner_karelia)
    karelian = client.get(reverse("community:search"), {"q": "студия"})
    karelian_people = client.get(reverse("community:search"), {"q": "семин"})
    sign_in(client, partner_tatarstan)
    tatar = client.get(reverse("community:search"), {"q": "студия"})

    assert [str(item) for item in karelian.context["results"].organisations] == [
        "Карельская студия"
    ]
    assert [str(item) for item in karelian_people.context["results"].people] == [
        "Сёмин Пётр Иванович"
    ]
    assert [str(item) for item in tatar.context["results"].organisations] == [
        "Казанская студия"
    ]
    assert "Казанская студия" not in karelian.content.decode()


def test_the_search_page_finds_both_kinds_of_record(client, manager, records):
    sign_in(client, manager)

    response = client.get(reverse("community:search"), {"q": "казанская"})
    partial = client.get(
        reverse("community:search"), {"q": "семина"}, headers={"HX-Request": "true"}
    )

    assert "Казанская студия" in response.content.decode()
    assert "<html" not in partial.content.decode()
    assert "Сёмина Алёна" in partial.content.decode()


def test_a_partners_exports_leave_other_regions_out(client, partner_karelia, records):
    sign_in(client, partner_karelia)

    organisations = client.get(url_of("organisation-export", records))
    people = client.get(
        reverse("community:person-export"),
        {"purpose": "mailing", "file_format": "csv"},
    )

    assert "Казанская студия" not in organisations.content.decode("utf-8", "ignore")
    assert people.content.decode().splitlines()[1:] == []
    assert PersonalDataExport.objects.get().row_count == 0


def test_a_partner_cannot_end_another_regions_affiliation_through_their_person(
    client, partner_karelia, records, regions
):
    own = PersonFactory(region=regions["10"])
    sign_in(client, partner_karelia)

    response = client.post(
        reverse("community:affiliation-end", args=[own.pk, records["affiliation"].pk]),
        {"end-ended_on": date(2025, 3, 1).isoformat()},
    )

    assert response.status_code == 404
    assert_nothing_changed(records)


# Other regions' organisations reached through a relation ---------------------------


@pytest.fixture
def elsewhere(regions, records):
    """Tatarstan's Сёмина works now at a Karelian studio too, and worked before at
    a Karelian fund; a community of both regions has the Karelian studio as a
    member; a Tatarstan meeting had it as a participant."""
    from tests.community.factories import (
        CommunityFactory,
        InteractionFactory,
        MembershipFactory,
    )

    person = records["person"]
    studio = OrganisationFactory(full_name="Онежская мастерская", region=regions["10"])
    fund = OrganisationFactory(full_name="Фонд Прионежья", region=regions["10"])
    current = affiliate(person, studio, role="консультант")
    past = affiliate(
        person, fund, started_on=date(2020, 1, 1), ended_on=date(2022, 1, 1)
    )
    community = CommunityFactory(
        name="Клуб двух регионов", regions=[regions["16"], regions["10"]]
    )
    MembershipFactory(community=community, person=None, organisation=studio)
    MembershipFactory(community=community, person=person)
    meeting = InteractionFactory(region=regions["16"], topic="Встреча в Казани")
    meeting.organisations.set([studio, records["organisation"]])
    return {
        "studio": studio,
        "fund": fund,
        "current": current,
        "past": past,
        "community": community,
        "meeting": meeting,
    }


HIDDEN_NAMES = ("Онежская мастерская", "Фонд Прионежья")


def assert_hides_other_regions(content: str, elsewhere) -> None:
    for name in HIDDEN_NAMES:
        assert name not in content
    for key in ("studio", "fund"):
        url = reverse("community:organisation-detail", args=[elsewhere[key].pk])
        assert f'href="{url}"' not in content


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}])
def test_a_partners_people_list_names_no_employer_of_another_region(
    client, partner_tatarstan, records, elsewhere, headers
):
    sign_in(client, partner_tatarstan)

    response = client.get(reverse("community:person-list"), headers=headers)

    content = response.content.decode()
    assert response.status_code == 200
    assert_hides_other_regions(content, elsewhere)
    own = reverse("community:organisation-detail", args=[records["organisation"].pk])
    assert f'href="{own}">Казанская студия</a>' in content
    assert content.count('data-testid="hidden-organisation"') == 1
    assert "An organisation from another region" in content


def test_a_partners_person_page_names_no_organisation_of_another_region(
    client, partner_tatarstan, records, elsewhere
):
    sign_in(client, partner_tatarstan)

    response = client.get(url_of("person-detail", records))

    content = response.content.decode()
    assert response.status_code == 200
    assert_hides_other_regions(content, elsewhere)
    affiliations = content.split('data-testid="affiliations"', 1)[1]
    affiliations = affiliations.split("</table>", 1)[0]
    # Now at the Karelian studio, formerly at the Karelian fund, and at the
    # Kazan studio: all three rows, two of them without a name.
    assert affiliations.count("<tr") == 4
    assert affiliations.count("An organisation from another region") == 2
    assert "Казанская студия" in affiliations
    assert "консультант" in affiliations


@pytest.mark.parametrize("account", ["manager", "partner_karelia"])
def test_staff_and_the_organisations_partner_see_it_by_name(
    client, request, records, elsewhere, account
):
    sign_in(client, request.getfixturevalue(account))

    studio = client.get(
        reverse("community:organisation-detail", args=[elsewhere["studio"].pk])
    )

    assert studio.status_code == 200
    assert "Онежская мастерская" in studio.content.decode()


def test_staff_see_every_employer_on_the_person_page(
    client, manager, records, elsewhere
):
    sign_in(client, manager)

    content = client.get(url_of("person-detail", records)).content.decode()

    assert "Онежская мастерская" in content and "Фонд Прионежья" in content
    assert 'data-testid="hidden-organisation"' not in content


def test_ending_an_affiliation_with_another_regions_organisation_does_not_name_it(
    client, partner_tatarstan, records, elsewhere
):
    sign_in(client, partner_tatarstan)
    url = reverse(
        "community:affiliation-end",
        args=[records["person"].pk, elsewhere["current"].pk],
    )

    response = client.post(url, {"end-ended_on": "2025-03-01"}, follow=True)

    messages = [str(message) for message in response.context["messages"]]
    assert messages == [
        "The affiliation with an organisation from another region is ended."
    ]
    assert_hides_other_regions(response.content.decode(), elsewhere)
    elsewhere["current"].refresh_from_db()
    assert elsewhere["current"].ended_on == date(2025, 3, 1)


def test_a_partners_community_members_leave_out_another_regions_organisation(
    client, partner_tatarstan, records, elsewhere
):
    sign_in(client, partner_tatarstan)

    response = client.get(
        reverse("community:community-detail", args=[elsewhere["community"].pk])
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert_hides_other_regions(content, elsewhere)
    members = content.split('data-testid="current-members"', 1)[1].split("</table>")[0]
    assert "Сёмина Алёна" in members


def test_a_partners_interaction_page_leaves_out_another_regions_participant(
    client, partner_tatarstan, records, elsewhere
):
    sign_in(client, partner_tatarstan)

    detail = client.get(
        reverse("community:interaction-detail", args=[elsewhere["meeting"].pk])
    )
    listing = client.get(reverse("community:interaction-list"))

    for response in (detail, listing):
        assert response.status_code == 200
        assert_hides_other_regions(response.content.decode(), elsewhere)
    assert "Казанская студия" in detail.content.decode()
