"""The community API: the partner rule on every endpoint, errors, query counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from creative_regions.community import services
from creative_regions.community.models import (
    Affiliation,
    Community,
    CommunityMembership,
    Consent,
    FollowUp,
    Interaction,
    InteractionAttachment,
    Organisation,
    Person,
)
from tests.community.factories import (
    CommunityFactory,
    ConsentFactory,
    FollowUpFactory,
    InteractionFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    company_inn,
)
from tests.registry.test_firm_history import write_records

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("english", "media_in_tmp"),
]

API = "/api/v1/community"


@pytest.fixture
def records(regions, manager):
    """One record of every kind in Tatarstan (16) and in Karelia (10)."""
    made = {}
    for code in ("16", "10"):
        region = regions[code]
        organisation = OrganisationFactory(region=region, full_name=f"Студия {code}")
        person = PersonFactory(region=region, surname=f"Иванов{code}")
        community = CommunityFactory(name=f"Клуб {code}", regions=[region])
        interaction = InteractionFactory(region=region, topic=f"Встреча {code}")
        interaction.people.set([person])
        interaction.organisations.set([organisation])
        attachment = services.attachment_add(
            user=manager,
            interaction=interaction,
            file=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes"),
        )
        made[code] = {
            "organisations": organisation,
            "people": person,
            "affiliations": Affiliation.objects.create(
                person=person, organisation=organisation, role="директор"
            ),
            "consents": ConsentFactory(person=person),
            "communities": community,
            "memberships": MembershipFactory(community=community, person=person),
            "interactions": interaction,
            "follow-ups": FollowUpFactory(interaction=interaction, owner=manager),
            "attachments": attachment,
        }
    return made


ENDPOINTS = [
    "organisations",
    "people",
    "affiliations",
    "consents",
    "communities",
    "memberships",
    "interactions",
    "follow-ups",
    "attachments",
]
MODELS = {
    "organisations": Organisation,
    "people": Person,
    "affiliations": Affiliation,
    "consents": Consent,
    "communities": Community,
    "memberships": CommunityMembership,
    "interactions": Interaction,
    "follow-ups": FollowUp,
    "attachments": InteractionAttachment,
}


def login(client, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(
    "who,visible",
    [
        ("partner_tatarstan", {"16"}),
        ("partner_karelia", {"10"}),
        ("manager", {"16", "10"}),
        ("expert", {"16", "10"}),
    ],
)
def test_each_list_shows_a_partner_only_their_regions_records(
    client, request, records, endpoint, who, visible
):
    login(client, request, who)

    body = client.get(f"{API}/{endpoint}/").json()

    expected = {records[code][endpoint].pk for code in visible}
    assert {item["id"] for item in body["results"]} == expected


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_anonymous_users_get_nothing(client, records, endpoint):
    response = client.get(f"{API}/{endpoint}/")

    assert response.status_code in (401, 403)
    assert response.json()["title"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(
    "who,code,status",
    [
        ("partner_tatarstan", "16", 200),
        ("partner_tatarstan", "10", 404),
        ("partner_karelia", "16", 404),
        ("manager", "10", 200),
        ("expert", "16", 200),
    ],
)
def test_each_detail_is_found_only_in_the_users_regions(
    client, request, records, endpoint, who, code, status
):
    login(client, request, who)

    response = client.get(f"{API}/{endpoint}/{records[code][endpoint].pk}/")

    assert response.status_code == status
    if status == 404:
        assert response.json()["status"] == 404


def create_payload(endpoint: str, target: dict, manager) -> dict:
    """A valid new record aimed at the region whose records are ``target``."""
    region = target["organisations"].region.code
    return {
        "organisations": {
            "full_name": "Новая студия",
            "kind": "company",
            "region": region,
        },
        "people": {"surname": "Новикова", "first_name": "Ольга", "region": region},
        "affiliations": {
            "person": target["people"].pk,
            "organisation": target["organisations"].pk,
            "role": "дизайнер",
        },
        "consents": {
            "person": target["people"].pk,
            "purpose": "events",
            "given_on": "2025-01-10",
            "channel": "paper",
        },
        "communities": {"name": "Новый клуб", "regions": [region]},
        "memberships": {
            "community": target["communities"].pk,
            "organisation": target["organisations"].pk,
        },
        "interactions": {
            "kind": "call",
            "occurred_on": "2025-03-05",
            "region": region,
            "topic": "Звонок",
        },
        "follow-ups": {
            "interaction": target["interactions"].pk,
            "description": "Прислать письмо",
            "owner": manager.pk,
            "due_on": "2025-04-01",
        },
        "attachments": {
            "interaction": target["interactions"].pk,
            "file": SimpleUploadedFile("letter.pdf", b"%PDF-1.4 letter"),
        },
    }[endpoint]


def post(client, endpoint: str, payload: dict):
    if endpoint == "attachments":
        return client.post(f"{API}/{endpoint}/", payload, HTTP_ACCEPT_LANGUAGE="en")
    return client.post(
        f"{API}/{endpoint}/",
        payload,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_partner_creates_in_their_region(
    client, partner_tatarstan, manager, records, endpoint
):
    client.force_login(partner_tatarstan)
    before = MODELS[endpoint].objects.count()

    response = post(client, endpoint, create_payload(endpoint, records["16"], manager))

    assert response.status_code == 201, response.json()
    assert MODELS[endpoint].objects.count() == before + 1


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_partner_cannot_create_in_another_region(
    client, partner_tatarstan, manager, records, endpoint
):
    client.force_login(partner_tatarstan)
    before = MODELS[endpoint].objects.count()

    response = post(client, endpoint, create_payload(endpoint, records["10"], manager))

    assert response.status_code == 400
    body = response.json()
    assert body["title"] == "Invalid input" and body["errors"]
    assert MODELS[endpoint].objects.count() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_an_expert_reads_but_may_not_write(client, expert, manager, records, endpoint):
    client.force_login(expert)
    before = MODELS[endpoint].objects.count()

    response = post(client, endpoint, create_payload(endpoint, records["16"], manager))

    assert response.status_code == 403
    assert response.json()["detail"] == "Your role does not allow this action."
    assert MODELS[endpoint].objects.count() == before


def test_a_partner_cannot_edit_or_delete_another_regions_record(
    client, partner_tatarstan, records
):
    client.force_login(partner_tatarstan)
    karelian = records["10"]["organisations"]

    patched = client.patch(
        f"{API}/organisations/{karelian.pk}/",
        {"full_name": "Захват"},
        content_type="application/json",
    )
    deleted = client.delete(f"{API}/organisations/{karelian.pk}/")

    assert (patched.status_code, deleted.status_code) == (404, 404)
    karelian.refresh_from_db()
    assert karelian.full_name == "Студия 10"


def test_a_partner_cannot_move_their_record_to_another_region(
    client, partner_tatarstan, records
):
    client.force_login(partner_tatarstan)
    own = records["16"]["people"]

    response = client.patch(
        f"{API}/people/{own.pk}/",
        {"region": "10"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "region": ["You can only add or change records of your own regions."]
    }
    own.refresh_from_db()
    assert own.region.code == "16"


# Errors --------------------------------------------------------------------------------


def test_a_bad_inn_gets_a_400_naming_the_field(client, manager, regions):
    client.force_login(manager)

    response = client.post(
        f"{API}/organisations/",
        {"full_name": "Студия", "kind": "company", "region": "16", "inn": "7707083894"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json() == {
        "type": "about:blank",
        "title": "Invalid input",
        "status": 400,
        "detail": "Check the fields marked in errors.",
        "errors": {"inn": ["INN failed its checksum: check the digits."]},
    }


def test_a_duplicate_inn_and_a_bad_phone_are_400s(client, manager, regions):
    client.force_login(manager)
    OrganisationFactory(inn="7707083893")

    duplicate = client.post(
        f"{API}/organisations/",
        {"full_name": "Студия", "kind": "company", "region": "16", "inn": "7707083893"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    phone = client.post(
        f"{API}/people/",
        {"surname": "Ким", "first_name": "Ли", "region": "16", "phone": "+7 12"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert duplicate.json()["errors"] == {
        "inn": ["Another organisation already has this INN."]
    }
    assert phone.json()["errors"] == {
        "phone": [
            "This is not a phone number we can dial: enter it with the area code, "
            "e.g. +7 912 345-67-89."
        ]
    }


def test_the_membership_rule_is_a_non_field_error(client, manager, records):
    client.force_login(manager)

    response = client.post(
        f"{API}/memberships/",
        {
            "community": records["16"]["communities"].pk,
            "person": records["16"]["people"].pk,
            "organisation": records["16"]["organisations"].pk,
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "non_field_errors": [
            "A member is either a person or an organisation: choose exactly one of "
            "them."
        ]
    }


def test_an_interaction_with_follow_ups_is_recorded_in_one_request(
    client, manager, analyst, records
):
    client.force_login(manager)

    response = client.post(
        f"{API}/interactions/",
        {
            "kind": "strategic_session",
            "occurred_on": "2025-05-15",
            "region": "16",
            "topic": "Стратегическая сессия",
            "people": [records["16"]["people"].pk],
            "staff": [analyst.pk],
            "follow_ups": [
                {
                    "description": "Разослать итоги",
                    "owner": analyst.pk,
                    "due_on": "2025-05-30",
                }
            ],
        },
        content_type="application/json",
    )

    assert response.status_code == 201
    body = response.json()
    assert [item["description"] for item in body["follow_ups"]] == ["Разослать итоги"]
    assert body["people"] == [records["16"]["people"].pk]


def test_a_consent_is_withdrawn_through_its_action(client, manager, records):
    client.force_login(manager)
    consent = records["16"]["consents"]

    response = client.post(
        f"{API}/consents/{consent.pk}/withdraw/",
        {"date": "2025-06-01"},
        content_type="application/json",
    )
    deleted = client.delete(f"{API}/consents/{consent.pk}/")

    assert response.status_code == 200
    assert response.json()["withdrawn_on"] == "2025-06-01"
    assert response.json()["is_valid_today"] is False
    assert deleted.status_code == 405


def test_my_open_follow_ups_come_overdue_first(client, manager, records):
    client.force_login(manager)
    today = timezone.localdate()
    FollowUp.objects.filter(pk=records["16"]["follow-ups"].pk).update(
        due_on=date(today.year + 1, 1, 1)
    )
    late = FollowUpFactory(owner=manager, due_on=date(2020, 1, 1))

    body = client.get(f"{API}/follow-ups/", {"mine": "true", "status": "open"}).json()

    assert body["results"][0]["id"] == late.pk
    assert body["results"][0]["is_overdue"] is True
    assert body["results"][-1]["is_overdue"] is False


def test_an_attachment_downloads_under_its_name_for_its_region_only(
    client, partner_tatarstan, partner_karelia, records
):
    attachment = records["16"]["attachments"]
    client.force_login(partner_tatarstan)

    response = client.get(f"{API}/attachments/{attachment.pk}/download/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 minutes"
    assert 'filename="minutes.pdf"' in response["Content-Disposition"]
    client.force_login(partner_karelia)
    assert client.get(f"{API}/attachments/{attachment.pk}/download/").status_code == 404


def test_an_attachment_of_a_forbidden_type_is_refused(client, manager, records):
    client.force_login(manager)

    response = client.post(
        f"{API}/attachments/",
        {
            "interaction": records["16"]["interactions"].pk,
            "file": SimpleUploadedFile("virus.exe", b"MZ"),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["file"]


def test_search_endpoint_scopes_to_the_partner(client, partner_karelia, records):
    client.force_login(partner_karelia)

    body = client.get(f"{API}/search/", {"q": "студия"}).json()

    assert [item["full_name"] for item in body["organisations"]] == ["Студия 10"]
    assert client.get(f"{API}/search/", {"q": " "}).json() == {
        "organisations": [],
        "people": [],
    }


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"region": "10"}, ["Студия 10"]),
        ({"kind": "regional_authority"}, ["Министерство"]),
        ({"tag": "ЯКОРНАЯ"}, ["Студия 16"]),
        ({"sector": "Дизайн"}, ["Студия 16"]),
        ({"q": "министерство"}, ["Министерство"]),
    ],
)
def test_organisation_filters(
    client, manager, records, classifications, params, expected
):
    services.organisation_update(
        user=manager,
        organisation=records["16"]["organisations"],
        tags=["Якорная"],
        sectors=["Дизайн"],
    )
    OrganisationFactory(full_name="Министерство", kind="regional_authority")
    client.force_login(manager)

    body = client.get(f"{API}/organisations/", params).json()

    assert [item["full_name"] for item in body["results"]] == expected


@pytest.mark.parametrize(
    "value,expected",
    [
        ("true", ["Встреча 16"]),
        ("false", ["Без поручений", "Поручение выполнено"]),
        ("", ["Без поручений", "Встреча 16", "Поручение выполнено"]),
    ],
)
def test_interactions_filter_by_open_follow_ups(
    client, manager, records, value, expected
):
    done = InteractionFactory(topic="Поручение выполнено")
    FollowUpFactory(interaction=done, owner=manager, status=FollowUp.Status.DONE)
    InteractionFactory(topic="Без поручений")
    client.force_login(manager)

    body = client.get(
        f"{API}/interactions/", {"region": "16", "open_follow_ups": value}
    ).json()

    assert sorted(item["topic"] for item in body["results"]) == expected


def test_a_yes_no_filter_refuses_another_value(client, manager, records):
    client.force_login(manager)

    response = client.get(
        f"{API}/interactions/",
        {"open_follow_ups": "maybe"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "open_follow_ups": [
            "Select a valid choice. maybe is not one of the available choices."
        ]
    }


@pytest.fixture
def sized_communities(regions):
    """Communities of Tatarstan with 1, 2 and 0 active members from there, and
    one with three members from Karelia (none a Tatarstan partner sees)."""
    small = CommunityFactory(name="Б-клуб")
    MembershipFactory(community=small)
    large = CommunityFactory(name="В-клуб")
    MembershipFactory.create_batch(2, community=large)
    empty = CommunityFactory(name="Г-клуб")
    shared = CommunityFactory(name="А-клуб", regions=[regions["16"], regions["10"]])
    MembershipFactory.create_batch(3, community=shared, person__region=regions["10"])
    made = {"small": small, "large": large, "empty": empty, "shared": shared}
    for day, community in enumerate(made.values(), start=1):
        Community.objects.filter(pk=community.pk).update(
            created_at=datetime(2025, 1, day, tzinfo=UTC)
        )
    return made


@pytest.mark.parametrize(
    "who,sort,expected",
    [
        ("manager", "", ["А-клуб", "Б-клуб", "В-клуб", "Г-клуб"]),
        ("manager", "-name", ["Г-клуб", "В-клуб", "Б-клуб", "А-клуб"]),
        ("manager", "-created", ["А-клуб", "Г-клуб", "В-клуб", "Б-клуб"]),
        ("manager", "-members", ["А-клуб", "В-клуб", "Б-клуб", "Г-клуб"]),
        ("partner_tatarstan", "-members", ["В-клуб", "Б-клуб", "А-клуб", "Г-клуб"]),
    ],
)
def test_communities_sort_by_name_creation_and_members_the_user_sees(
    client, request, sized_communities, who, sort, expected
):
    login(client, request, who)

    body = client.get(f"{API}/communities/", {"sort": sort}).json()

    assert [item["name"] for item in body["results"]] == expected


def test_a_partners_member_counts_agree_with_the_members_they_see(
    client, partner_tatarstan, sized_communities
):
    client.force_login(partner_tatarstan)

    communities = client.get(f"{API}/communities/").json()["results"]
    members = client.get(f"{API}/memberships/").json()["results"]

    counts = {item["id"]: item["active_member_count"] for item in communities}
    assert counts == {
        community.pk: sum(item["community"] == community.pk for item in members)
        for community in sized_communities.values()
    }
    assert counts[sized_communities["shared"].pk] == 0


def test_an_unknown_community_sort_is_a_400(client, manager, regions):
    client.force_login(manager)

    response = client.get(
        f"{API}/communities/", {"sort": "members"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["sort"]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_sectors_say_which_classification_each_belongs_to(
    client, manager, classifications, language
):
    client.force_login(manager)

    body = client.get(f"{API}/sectors/", HTTP_ACCEPT_LANGUAGE=language).json()

    minec_label = {
        "en": "Architecture (ru-minec-16)",
        "ru": "Архитектура (ru-minec-16)",
    }[language]
    assert [
        item for item in body if item["name"] in ("Архитектура", "Architecture")
    ] == [
        {
            "name": "Архитектура",
            "label": minec_label,
            "classification": "ru-minec-16",
        },
        {
            "name": "Architecture",
            "label": "Architecture (uk-dcms)",
            "classification": "uk-dcms",
        },
    ]


def test_a_malformed_region_code_is_a_400_and_an_unknown_one_finds_nothing(
    client, manager, records
):
    client.force_login(manager)

    malformed = client.get(
        f"{API}/organisations/", {"region": "Tatarstan"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    unknown = client.get(f"{API}/organisations/", {"region": "98"})

    assert malformed.status_code == 400
    assert malformed.json()["errors"] == {
        "region": ["A region code is two digits, e.g. 16."]
    }
    assert unknown.json()["count"] == 0


def test_an_organisation_is_added_from_the_register_through_the_api(
    client, manager, regions
):
    client.force_login(manager)

    response = client.post(
        f"{API}/organisations/from-register/",
        {"inn": "7707083893", "name": "ПАО Сбербанк", "region": "77"},
        content_type="application/json",
    )
    again = client.post(
        f"{API}/organisations/from-register/",
        {"inn": "7707083893"},
        content_type="application/json",
    )

    assert (response.status_code, again.status_code) == (201, 200)
    assert response.json()["organisation"]["region"] == "77"
    assert again.json()["created"] is False


def test_an_organisations_register_facts_give_each_snapshots_ogrn_and_city(
    client, settings, tmp_path, manager, regions
):
    settings.DATA_DIR = tmp_path
    inn = company_inn(5, region="16")
    write_records(
        tmp_path / "registry",
        [
            {
                "snapshot_date": date(2025, 1, 10),
                "inn": inn,
                "ogrn": "1021600000014",
                "region_code": "16",
                "city": "КАЗАНЬ",
            }
        ],
    )
    organisation = OrganisationFactory(inn=inn)
    client.force_login(manager)

    body = client.get(f"{API}/organisations/{organisation.pk}/register/").json()

    assert [
        (item["snapshot"], item["ogrn"], item["city"]) for item in body["snapshots"]
    ] == [("2025-01-10", "1021600000014", "КАЗАНЬ")]


# Query counts ---------------------------------------------------------------------------


def add_more(regions, manager, count: int) -> None:
    for number in range(count):
        organisation = OrganisationFactory(region=regions["16"])
        person = PersonFactory(region=regions["16"])
        Affiliation.objects.create(person=person, organisation=organisation)
        ConsentFactory(person=person)
        community = CommunityFactory()
        MembershipFactory(community=community, person=person)
        interaction = InteractionFactory()
        interaction.people.set([person])
        interaction.organisations.set([organisation])
        interaction.staff.set([manager])
        FollowUpFactory(interaction=interaction, owner=manager)
        services.attachment_add(
            user=manager,
            interaction=interaction,
            file=SimpleUploadedFile(f"file{number}.pdf", b"%PDF"),
        )


# Session, user, partner regions (for partners), count, page, one per prefetch.
MAX_QUERIES = {
    "organisations": 6,
    "people": 6,
    "affiliations": 4,
    "consents": 4,
    "communities": 6,
    "memberships": 4,
    "interactions": 10,
    "follow-ups": 4,
    "attachments": 4,
}
# A partner's affiliations fetch their organisations through those the partner
# may see: one more prefetch, whatever the number of rows.
PARTNER_EXTRA_QUERIES = {"people": 1, "affiliations": 1}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("who", ["manager", "partner_tatarstan"])
def test_list_endpoints_take_a_fixed_number_of_queries(
    client,
    request,
    regions,
    manager,
    records,
    django_assert_max_num_queries,
    endpoint,
    who,
):
    add_more(regions, manager, 6)
    login(client, request, who)

    extra = PARTNER_EXTRA_QUERIES.get(endpoint, 0) if who != "manager" else 0
    with django_assert_max_num_queries(MAX_QUERIES[endpoint] + extra):
        response = client.get(f"{API}/{endpoint}/")

    assert response.status_code == 200
    assert response.json()["count"] >= 7


def test_a_region_code_with_a_nul_character_is_a_400_not_a_500(client, manager):
    # PostgreSQL refuses text with NUL bytes; the API must answer in words.
    client.force_login(manager)

    response = client.post(
        "/api/v1/community/interactions/",
        {
            "kind": "meeting",
            "occurred_on": "2026-01-10",
            "topic": "x",
            "region": "1\x00",
        },
    )

    assert response.status_code == 400
    assert "region" in response.json()["errors"]


# Other regions' records reached through a relation ------------------------------------


@pytest.fixture
def across(records, regions):
    """Tatarstan's person works at Karelia's studio too; a community of both
    regions has Karelia's person as coordinator and Karelia's studio as a
    member; Tatarstan's meeting had Karelia's studio as a participant."""
    tatar, karelian = records["16"], records["10"]
    affiliation = Affiliation.objects.create(
        person=tatar["people"], organisation=karelian["organisations"], role="эксперт"
    )
    community = CommunityFactory(
        name="Клуб двух регионов", regions=[regions["16"], regions["10"]]
    )
    community.coordinator = karelian["people"]
    community.save()
    MembershipFactory(
        community=community, person=None, organisation=karelian["organisations"]
    )
    MembershipFactory(community=community, person=tatar["people"])
    tatar["interactions"].organisations.add(karelian["organisations"])
    return {"affiliation": affiliation, "community": community}


HIDDEN = "an organisation from another region"
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def affiliations_of(body: dict) -> dict:
    return {
        item["role"]: (item["organisation"], item["organisation_name"])
        for item in body["current_affiliations"]
    }


@pytest.mark.parametrize("detail", [False, True])
def test_a_partner_gets_people_without_another_regions_employer(
    client, partner_tatarstan, records, across, detail
):
    client.force_login(partner_tatarstan)
    person = records["16"]["people"]

    if detail:
        body = client.get(f"{API}/people/{person.pk}/", **ENGLISH).json()
    else:
        body = client.get(f"{API}/people/", **ENGLISH).json()["results"][0]

    assert affiliations_of(body) == {
        "директор": (records["16"]["organisations"].pk, "Студия 16"),
        "эксперт": (None, HIDDEN),
    }


def test_staff_get_peoples_employers_by_name(client, manager, records, across):
    client.force_login(manager)
    person = records["16"]["people"]

    body = client.get(f"{API}/people/{person.pk}/").json()

    assert affiliations_of(body)["эксперт"] == (
        records["10"]["organisations"].pk,
        "Студия 10",
    )


def test_a_partner_gets_affiliations_without_another_regions_organisation(
    client, partner_tatarstan, records, across
):
    client.force_login(partner_tatarstan)

    url = f"{API}/affiliations/{across['affiliation'].pk}/"

    listed = client.get(f"{API}/affiliations/", **ENGLISH).json()["results"]
    detail = client.get(url, **ENGLISH).json()
    ended = client.post(
        f"{url}end/",
        {"date": "2025-03-01"},
        content_type="application/json",
        **ENGLISH,
    ).json()

    assert sorted(
        (item["organisation"] or 0, item["organisation_name"]) for item in listed
    ) == [(0, HIDDEN), (records["16"]["organisations"].pk, "Студия 16")]
    for body in (detail, ended):
        assert (body["organisation"], body["organisation_name"]) == (None, HIDDEN)
        assert body["person_name"] == records["16"]["people"].full_name
    assert ended["ended_on"] == "2025-03-01"


def test_a_partner_gets_a_community_without_another_regions_coordinator(
    client, partner_tatarstan, manager, records, across
):
    client.force_login(partner_tatarstan)
    url = f"{API}/communities/{across['community'].pk}/"

    seen_by_partner = client.get(url).json()
    client.force_login(manager)
    seen_by_staff = client.get(url).json()

    assert seen_by_partner["coordinator"] is None
    assert seen_by_staff["coordinator"] == records["10"]["people"].pk


def test_a_partner_gets_members_and_participants_of_their_regions_only(
    client, partner_tatarstan, records, across
):
    client.force_login(partner_tatarstan)
    karelian = records["10"]["organisations"].pk

    members = client.get(
        f"{API}/memberships/", {"community": across["community"].pk}
    ).json()["results"]
    meeting = client.get(f"{API}/interactions/{records['16']['interactions'].pk}/")

    assert [item["member_name"] for item in members] == [
        records["16"]["people"].full_name
    ]
    assert karelian not in [item["organisation"] for item in members]
    assert meeting.json()["organisations"] == [records["16"]["organisations"].pk]


def test_a_follow_up_closed_on_a_future_date_is_a_400_naming_the_field(
    client, manager, records
):
    follow_up = records["16"]["follow-ups"]
    tomorrow = timezone.localdate() + timedelta(days=1)
    client.force_login(manager)

    response = client.patch(
        f"{API}/follow-ups/{follow_up.pk}/",
        {"status": "done", "closed_on": tomorrow.isoformat()},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"closed_on": ["This date is in the future."]}
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.closed_on) == (FollowUp.Status.OPEN, None)


def test_a_partner_cannot_add_another_regions_firm_from_the_register(
    client, settings, tmp_path, partner_tatarstan, regions
):
    settings.DATA_DIR = tmp_path
    moscow = company_inn(6, region="77")
    write_records(
        tmp_path / "registry",
        [
            {
                "snapshot_date": date(2025, 1, 10),
                "inn": moscow,
                "name": 'ООО "КОД"',
                "region_code": "77",
            }
        ],
    )
    client.force_login(partner_tatarstan)

    response = client.post(
        f"{API}/organisations/from-register/",
        {"inn": moscow, "name": "Код", "region": "16"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "inn": [
            "A firm with this INN cannot be added to your regions' community. If it "
            "works in your region, ask the agency to add it."
        ]
    }
    assert not Organisation.objects.exists()


def test_an_organisation_sent_back_as_read_keeps_a_sector_of_another_classification(
    client, manager, regions, classifications
):
    from creative_regions.community.models import Sector

    organisation = OrganisationFactory(full_name="Студия")
    old = Sector.objects.create(
        classification=classifications["ru-minec-16"], name="Дизайн интерьеров"
    )
    organisation.sectors.add(old)
    client.force_login(manager)
    url = f"{API}/organisations/{organisation.pk}/"

    read = client.get(url).json()
    response = client.put(
        url, {**read, "city": "Казань"}, content_type="application/json"
    )

    assert response.status_code == 200
    assert (response.json()["city"], response.json()["sectors"]) == (
        "Казань",
        ["Дизайн интерьеров"],
    )
    assert list(organisation.sectors.all()) == [old]


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_partner_saving_a_community_keeps_the_coordinator_they_cannot_see(
    client, partner_tatarstan, records, regions, across, method
):
    """The partner reads the coordinator as null; sending that back must not
    clear another region's coordinator."""
    client.force_login(partner_tatarstan)
    url = f"{API}/communities/{across['community'].pk}/"
    body = client.get(url).json()
    body["name"] = "Клуб двух республик"

    response = getattr(client, method)(url, body, content_type="application/json")

    assert response.status_code == 200, response.json()
    assert response.json()["coordinator"] is None
    community = across["community"]
    community.refresh_from_db()
    assert community.name == "Клуб двух республик"
    assert community.coordinator == records["10"]["people"]


def test_a_partner_cannot_replace_a_coordinator_they_cannot_see(
    client, partner_tatarstan, records, across
):
    client.force_login(partner_tatarstan)
    url = f"{API}/communities/{across['community'].pk}/"

    response = client.patch(
        url,
        {"coordinator": records["16"]["people"].pk},
        content_type="application/json",
        **ENGLISH,
    )

    assert response.status_code == 400
    assert response.json()["errors"]["coordinator"] == [
        "The coordinator is from another region: only the agency can change them."
    ]
    across["community"].refresh_from_db()
    assert across["community"].coordinator == records["10"]["people"]


@pytest.mark.parametrize(
    ("endpoint", "parameter", "hidden_code", "kind"),
    [
        ("people", "organisation", "10", "organisations"),
        ("affiliations", "organisation", "10", "organisations"),
        ("memberships", "organisation", "10", "organisations"),
        ("interactions", "organisation", "10", "organisations"),
        ("memberships", "community", "10", "communities"),
        ("people", "community", "10", "communities"),
        ("interactions", "person", "10", "people"),
    ],
)
def test_a_partner_cannot_probe_another_regions_record_through_a_filter(
    client,
    partner_tatarstan,
    manager,
    records,
    across,
    endpoint,
    parameter,
    hidden_code,
    kind,
):
    """Tatarstan's person works at Karelia's studio and Tatarstan's meeting had
    it as a participant: filtering by the studio's id would tell the partner
    which of their records touch it. A hidden id selects nothing, as an id that
    does not exist."""
    records["16"]["interactions"].people.add(records["10"]["people"])
    MembershipFactory(
        community=records["10"]["communities"], person=records["16"]["people"]
    )
    query = {parameter: records[hidden_code][kind].pk}

    client.force_login(partner_tatarstan)
    seen_by_partner = client.get(f"{API}/{endpoint}/", query).json()
    client.force_login(manager)
    seen_by_staff = client.get(f"{API}/{endpoint}/", query).json()

    assert seen_by_partner["count"] == 0
    assert seen_by_staff["count"] >= 1
