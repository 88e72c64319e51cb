"""Pages of communities, interactions, follow-ups and the dialogue with the
authorities: filters, HTMX fragments, the services' messages at the fields,
the partner's boundaries and the number of queries of each list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from creative_regions.community import services
from creative_regions.community.models import (
    Affiliation,
    Community,
    CommunityMembership,
    FollowUp,
    Interaction,
    InteractionAttachment,
    Organisation,
    Sector,
)
from tests.community.factories import (
    CommunityFactory,
    FollowUpFactory,
    InteractionFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)
from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def sign_in(client):
    """The test client signed in as ``user``, with the interface in English (the
    source language of the messages asserted here)."""

    def signed_in(user):
        client.force_login(user)
        client.cookies["django_language"] = "en"
        return client

    return signed_in


def text_of(response) -> str:
    return response.content.decode()


def names_in(response, key: str = "page") -> list[str]:
    return [str(item) for item in response.context[key]]


# Communities ----------------------------------------------------------------------------


@pytest.fixture
def design(classifications):
    return Sector.objects.create(
        classification=classifications["ru-minec-16"], name="Дизайн", name_en="Design"
    )


@pytest.fixture
def fashion(classifications):
    return Sector.objects.create(
        classification=classifications["ru-minec-16"], name="Мода", name_en="Fashion"
    )


@pytest.fixture
def communities(regions, design, fashion):
    kazan = CommunityFactory(name="Клуб дизайнеров Казани")
    kazan.sectors.set([design])
    volga = CommunityFactory(
        name="Модный кружок Поволжья", regions=[regions["16"], regions["02"]]
    )
    volga.sectors.set([fashion])
    karelia = CommunityFactory(name="Карельские ремёсла", regions=[regions["10"]])
    dormant = CommunityFactory(name="Спящий клуб", status=Community.Status.DORMANT)
    return {"kazan": kazan, "volga": volga, "karelia": karelia, "dormant": dormant}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            {},
            [
                "Карельские ремёсла",
                "Клуб дизайнеров Казани",
                "Модный кружок Поволжья",
                "Спящий клуб",
            ],
        ),
        ({"region": "02"}, ["Модный кружок Поволжья"]),
        ({"region": "10"}, ["Карельские ремёсла"]),
        ({"sector": "Мода"}, ["Модный кружок Поволжья"]),
        ({"status": "dormant"}, ["Спящий клуб"]),
        ({"q": "КЛУБ"}, ["Клуб дизайнеров Казани", "Спящий клуб"]),
        ({"q": "ремесла"}, ["Карельские ремёсла"]),
        (
            {"sort": "-name"},
            [
                "Спящий клуб",
                "Модный кружок Поволжья",
                "Клуб дизайнеров Казани",
                "Карельские ремёсла",
            ],
        ),
    ],
)
def test_dialogue_community_list_filters(
    sign_in, manager, communities, query, expected
):
    response = sign_in(manager).get(reverse("community:community-list"), query)

    assert response.status_code == 200
    assert names_in(response) == expected


def test_dialogue_community_list_sorts_by_members(sign_in, manager, communities):
    MembershipFactory(
        community=communities["karelia"],
        person=PersonFactory(region=communities["karelia"].regions.get()),
    )
    MembershipFactory(community=communities["volga"])
    MembershipFactory(community=communities["volga"])
    MembershipFactory(
        community=communities["volga"], status="left", left_on=date(2025, 3, 1)
    )

    response = sign_in(manager).get(
        reverse("community:community-list"), {"sort": "-members"}
    )

    assert names_in(response)[:2] == ["Модный кружок Поволжья", "Карельские ремёсла"]
    assert [item.active_member_count for item in response.context["page"]][:2] == [2, 1]


def test_dialogue_community_list_htmx_gets_only_the_results(
    sign_in, manager, communities
):
    response = sign_in(manager).get(
        reverse("community:community-list"), {"status": "dormant"}, **HTMX
    )

    content = text_of(response)
    assert "<html" not in content
    assert content.lstrip().startswith('<div id="community-results">')
    assert "1 community" in content
    assert "Спящий клуб" in content
    assert "HX-Request" in response["Vary"]


def test_dialogue_community_list_bad_region_code_is_explained(
    sign_in, manager, communities
):
    content = text_of(
        sign_in(manager).get(
            reverse("community:community-list"), {"region": "Татарстан"}
        )
    )

    assert "A region code is two digits, e.g. 16." in content


def test_dialogue_community_list_pages_by_25(sign_in, manager, regions):
    for number in range(27):
        CommunityFactory(name=f"Клуб {number:02d}")

    client = sign_in(manager)
    first = client.get(reverse("community:community-list"))
    second = client.get(reverse("community:community-list"), {"page": 2, "q": "клуб"})

    assert len(first.context["page"]) == 25
    assert "27 communities" in text_of(first)
    assert names_in(second) == ["Клуб 25", "Клуб 26"]
    assert 'href="?q=%D0%BA%D0%BB%D1%83%D0%B1&amp;page=1"' in text_of(second)


def test_dialogue_community_list_query_count_is_fixed(
    sign_in, manager, communities, django_assert_max_num_queries
):
    for community in Community.objects.all():
        MembershipFactory(
            community=community, person=PersonFactory(region=community.regions.first())
        )
    client = sign_in(manager)

    # The sector choices take one query, plus one per classification.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("community:community-list"))
    assert len(response.context["page"]) == 4


def test_dialogue_community_export_has_the_filtered_rows(
    sign_in, manager, communities, tmp_path
):
    response = sign_in(manager).get(
        reverse("community:community-export"), {"region": "16", "sort": "-name"}
    )

    path = tmp_path / "communities.xlsx"
    path.write_bytes(response.content)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0] == (
        "Name",
        "Regions",
        "Creative sectors",
        "Status",
        "Active members",
        "Created",
    )
    assert [row[0] for row in rows[1:]] == [
        "Спящий клуб",
        "Модный кружок Поволжья",
        "Клуб дизайнеров Казани",
    ]
    assert rows[2][1:5] == ("Bashkortostan, Tatarstan", "Fashion", "Active", 0)


def test_dialogue_communities_of_a_region_page(sign_in, manager, communities):
    response = sign_in(manager).get(reverse("community:community-region", args=["02"]))

    content = text_of(response)
    assert names_in(response) == ["Модный кружок Поволжья"]
    assert "Communities: Bashkortostan" in content
    assert reverse("community:dialogue-region", args=["02"]) in content
    assert reverse("geo:region-detail", args=["02"]) in content


def test_dialogue_community_detail_shows_members_join_dates_and_status(
    sign_in, manager, communities, design
):
    community = communities["kazan"]
    coordinator = PersonFactory(surname="Гарипова", first_name="Алсу", patronymic="")
    community.coordinator = coordinator
    community.save()
    MembershipFactory(
        community=community,
        person=PersonFactory(surname="Хабибуллин", first_name="Рустам", patronymic=""),
        joined_on=date(2025, 2, 1),
        role="ведущий",
    )
    MembershipFactory(
        community=community,
        person=None,
        organisation=OrganisationFactory(full_name="ООО «Пиксель»"),
        joined_on=date(2025, 3, 3),
        status=CommunityMembership.Status.CANDIDATE,
    )
    MembershipFactory(
        community=community,
        person=PersonFactory(surname="Ушедший", first_name="Пётр", patronymic=""),
        joined_on=date(2024, 1, 10),
        left_on=date(2025, 1, 20),
        status=CommunityMembership.Status.LEFT,
    )

    response = sign_in(manager).get(
        reverse("community:community-detail", args=[community.pk])
    )

    content = text_of(response)
    assert [str(item.member) for item in response.context["current_members"]] == [
        "ООО «Пиксель»",
        "Хабибуллин Рустам",
    ]
    assert [str(item.member) for item in response.context["past_members"]] == [
        "Ушедший Пётр"
    ]
    assert "1 February 2025" in content and "3 March 2025" in content
    assert "Candidate" in content and "ведущий" in content
    assert "20 January 2025" in content
    assert "Гарипова Алсу" in content
    assert "Design" in content
    assert "History of changes" in content


def test_dialogue_partner_sees_only_own_regions_members(
    sign_in, partner_tatarstan, communities, regions
):
    community = communities["volga"]
    MembershipFactory(community=community, person=PersonFactory(surname="Казанский"))
    MembershipFactory(
        community=community,
        person=PersonFactory(surname="Уфимский", region=regions["02"]),
    )

    content = text_of(
        sign_in(partner_tatarstan).get(
            reverse("community:community-detail", args=[community.pk])
        )
    )

    assert "Казанский" in content
    assert "Уфимский" not in content


def add_member(client, community, **data):
    return client.post(
        reverse("community:membership-add", args=[community.pk]), data, **HTMX
    )


def test_dialogue_adding_a_member_shows_them_in_the_section(
    sign_in, manager, communities
):
    community = communities["kazan"]
    person = PersonFactory(surname="Новиков", first_name="Олег", patronymic="")

    response = add_member(
        sign_in(manager),
        community,
        member=f"person:{person.pk}",
        joined_on="2025-04-02",
        status="active",
        role="куратор",
    )

    content = text_of(response)
    assert content.lstrip().startswith('<section id="members"')
    assert "Новиков Олег joined the community." in content
    membership = CommunityMembership.objects.get(community=community, person=person)
    assert (membership.joined_on, membership.role) == (date(2025, 4, 2), "куратор")
    assert membership.history.get().history_user == manager


def test_dialogue_membership_rules_are_shown_at_the_member_field(
    sign_in, manager, communities
):
    community = communities["kazan"]
    person = PersonFactory()
    MembershipFactory(community=community, person=person)
    client = sign_in(manager)

    again = add_member(client, community, member=f"person:{person.pk}", status="active")
    nobody = add_member(client, community, member="", status="active")

    assert again.context["member_form"].errors == {
        "member": ["Already a member of this community."]
    }
    assert nobody.context["member_form"].errors == {
        "member": [
            "A member is either a person or an organisation: choose exactly one of them."
        ]
    }
    again_content = text_of(again)
    assert (
        '<div class="invalid-feedback d-block">Already a member of this community.</div>'
        in again_content
    )
    # The chosen member stays chosen, so the user sees whom the message is about.
    assert f'value="person:{person.pk}"' in again_content
    assert CommunityMembership.objects.filter(community=community).count() == 1


def test_dialogue_partner_cannot_add_a_member_of_another_region(
    sign_in, partner_tatarstan, communities, regions
):
    community = communities["volga"]
    stranger = PersonFactory(region=regions["02"])

    response = add_member(
        sign_in(partner_tatarstan),
        community,
        member=f"person:{stranger.pk}",
        status="active",
    )

    assert response.context["member_form"].errors == {
        "member": ["No such person or organisation in your regions."]
    }
    assert not CommunityMembership.objects.exists()


def test_dialogue_former_member_can_leave_and_stays_as_past_member(
    sign_in, manager, communities
):
    membership = MembershipFactory(community=communities["kazan"])

    response = sign_in(manager).post(
        reverse(
            "community:membership-remove",
            args=[communities["kazan"].pk, membership.pk],
        ),
        **HTMX,
    )

    membership.refresh_from_db()
    assert membership.status == CommunityMembership.Status.LEFT
    assert membership.left_on is not None
    assert response.context["past_members"] == [membership]
    assert "left the community." in text_of(response)


def test_dialogue_community_is_created_through_the_form(
    sign_in, manager, regions, classifications
):
    coordinator = PersonFactory(surname="Зайцева", first_name="Анна", patronymic="")

    response = sign_in(manager).post(
        reverse("community:community-create"),
        {
            "name": "Гильдия иллюстраторов",
            "description": "Встречи раз в месяц",
            "regions": [regions["16"].pk, regions["02"].pk],
            "sectors": ["Дизайн"],
            "coordinator": coordinator.pk,
            "status": "active",
        },
    )

    community = Community.objects.get(name="Гильдия иллюстраторов")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "community:community-detail", args=[community.pk]
    )
    assert sorted(community.regions.values_list("code", flat=True)) == ["02", "16"]
    assert [sector.name for sector in community.sectors.all()] == ["Дизайн"]
    assert community.coordinator == coordinator
    assert community.history.get().history_user == manager


def test_dialogue_community_form_shows_the_services_messages(
    sign_in, partner_tatarstan, regions, classifications
):
    client = sign_in(partner_tatarstan)

    unnamed = client.post(reverse("community:community-create"), {"status": "active"})
    nowhere = client.post(
        reverse("community:community-create"), {"name": "Клуб", "status": "active"}
    )

    assert unnamed.status_code == nowhere.status_code == 400
    assert unnamed.context["form"].errors == {"name": ["This field is required."]}
    assert nowhere.context["form"].errors == {
        "regions": ["Choose at least one region."]
    }
    assert (
        '<div class="invalid-feedback d-block">Choose at least one region.</div>'
        in text_of(nowhere)
    )
    assert not Community.objects.exists()


def test_dialogue_partner_cannot_choose_another_region_for_a_community(
    sign_in, partner_tatarstan, regions, classifications
):
    response = sign_in(partner_tatarstan).post(
        reverse("community:community-create"),
        {"name": "Клуб", "regions": [regions["10"].pk], "status": "active"},
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["regions"]
    assert not Community.objects.exists()


def test_dialogue_partner_edit_keeps_the_regions_they_do_not_see(
    sign_in, partner_tatarstan, communities, regions, design
):
    community = communities["volga"]

    response = sign_in(partner_tatarstan).post(
        reverse("community:community-edit", args=[community.pk]),
        {
            "name": "Модный кружок",
            "regions": [regions["16"].pk],
            "sectors": ["Мода", "Дизайн"],
            "status": "dormant",
            "coordinator": "",
        },
    )

    assert response.status_code == 302
    community.refresh_from_db()
    assert community.name == "Модный кружок"
    assert community.status == "dormant"
    assert sorted(community.regions.values_list("code", flat=True)) == ["02", "16"]
    detail = text_of(sign_in(partner_tatarstan).get(response["Location"]))
    assert "Модный кружок Поволжья" in detail  # the old name in the history


def test_dialogue_partner_edit_keeps_the_coordinator_they_do_not_see(
    sign_in, partner_tatarstan, communities, regions
):
    community = communities["volga"]
    community.coordinator = PersonFactory(
        surname="Хабибуллина", first_name="Гульнара", region=regions["02"]
    )
    community.save()
    client = sign_in(partner_tatarstan)
    url = reverse("community:community-edit", args=[community.pk])

    page = text_of(client.get(url))
    response = client.post(
        url,
        {
            "name": "Модный кружок",
            "regions": [regions["16"].pk],
            "sectors": ["Мода"],
            "status": "active",
            "coordinator": "",
        },
    )

    assert "Хабибуллина" not in page
    assert 'name="coordinator"' not in page
    assert "The coordinator is from another region: only the agency can change" in page
    assert response.status_code == 302
    community.refresh_from_db()
    assert community.name == "Модный кружок"
    assert community.coordinator.surname == "Хабибуллина"


def test_dialogue_community_edit_form_is_filled_in(sign_in, manager, communities):
    community = communities["kazan"]

    response = sign_in(manager).get(
        reverse("community:community-edit", args=[community.pk])
    )

    form = response.context["form"]
    assert form["name"].value() == "Клуб дизайнеров Казани"
    assert form["sectors"].value() == ["Дизайн"]
    assert form["regions"].value() == [community.regions.get().pk]
    # The chosen sector and region come first in their long lists.
    assert form.fields["sectors"].choices[0] == ("Дизайн", "Design (ru-minec-16)")
    assert form.fields["regions"].queryset.first().code == "16"
    assert 'value="Дизайн" class="form-check-input" id="id_sectors_0" checked' in (
        text_of(response)
    )


def test_dialogue_community_edit_keeps_a_sector_of_another_classification(
    sign_in, manager, communities, regions, classifications
):
    community = communities["kazan"]
    old = Sector.objects.create(
        classification=classifications["ru-minec-16"],
        name="Дизайн интерьеров",
        name_en="Interior design",
    )
    community.sectors.add(old)
    client = sign_in(manager)
    url = reverse("community:community-edit", args=[community.pk])

    form = client.get(url).context["form"]
    response = client.post(
        url,
        {
            "name": "Клуб дизайнеров",
            "regions": [regions["16"].pk],
            "sectors": ["Дизайн", "Дизайн интерьеров"],
            "status": "active",
            "coordinator": "",
        },
    )

    assert (
        "Дизайн интерьеров",
        "Interior design (ru-minec-16 — not offered by the active classifications)",
    ) in form.fields["sectors"].choices
    assert response.status_code == 302
    community.refresh_from_db()
    assert community.name == "Клуб дизайнеров"
    assert sorted(community.sectors.values_list("name", flat=True)) == [
        "Дизайн",
        "Дизайн интерьеров",
    ]


# Interactions -----------------------------------------------------------------------------


@pytest.fixture
def dialogue(regions, manager):
    """Interactions in Tatarstan and Karelia with authorities, businesses and
    follow-ups due in March and April 2025."""
    ministry = OrganisationFactory(
        full_name="Министерство культуры Республики Татарстан",
        short_name="Минкультуры РТ",
        kind=Organisation.Kind.REGIONAL_AUTHORITY,
    )
    city = OrganisationFactory(
        full_name="Исполнительный комитет г. Казани",
        short_name="Исполком Казани",
        kind=Organisation.Kind.MUNICIPAL_AUTHORITY,
    )
    studio = OrganisationFactory(full_name="ООО «Студия Ткань»")
    minister = PersonFactory(surname="Министрова", first_name="Ирина", patronymic="")
    Affiliation.objects.create(person=minister, organisation=ministry, role="министр")
    council = InteractionFactory(
        kind=Interaction.Kind.COUNCIL_MEETING,
        topic="Совет по креативным индустриям",
        occurred_on=date(2025, 3, 1),
        decisions="Создать реестр креативных индустрий",
        summary="Обсудили региональный закон",
    )
    council.organisations.set([ministry, city])
    council.people.set([minister])
    call = InteractionFactory(
        kind=Interaction.Kind.CALL,
        topic="Звонок в министерство",
        occurred_on=date(2025, 4, 10),
    )
    call.organisations.set([ministry])
    visit = InteractionFactory(
        kind=Interaction.Kind.VISIT,
        topic="Визит в студию",
        occurred_on=date(2025, 2, 14),
    )
    visit.organisations.set([studio])
    karelia = InteractionFactory(
        topic="Встреча в Петрозаводске",
        region=regions["10"],
        occurred_on=date(2025, 3, 20),
    )
    karelia.organisations.set(
        [
            OrganisationFactory(
                full_name="Министерство культуры Карелии",
                region=regions["10"],
                kind=Organisation.Kind.REGIONAL_AUTHORITY,
            )
        ]
    )
    late = FollowUpFactory(
        interaction=council,
        description="Подготовить проект реестра",
        owner=manager,
        due_on=date(2025, 3, 20),
    )
    soon = FollowUpFactory(
        interaction=call,
        description="Прислать письмо министру",
        owner=manager,
        due_on=date(2025, 4, 30),
    )
    FollowUpFactory(
        interaction=council,
        owner=manager,
        status=FollowUp.Status.DONE,
        due_on=date(2025, 3, 5),
    )
    return {
        "ministry": ministry,
        "city": city,
        "studio": studio,
        "minister": minister,
        "council": council,
        "call": call,
        "visit": visit,
        "karelia": karelia,
        "late": late,
        "soon": soon,
    }


def topics(response) -> list[str]:
    return [item.topic for item in response.context["page"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            {},
            [
                "Звонок в министерство",
                "Встреча в Петрозаводске",
                "Совет по креативным индустриям",
                "Визит в студию",
            ],
        ),
        ({"region": "10"}, ["Встреча в Петрозаводске"]),
        ({"kind": "call"}, ["Звонок в министерство"]),
        (
            {"date_from": "2025-03-01", "date_to": "2025-03-31"},
            ["Встреча в Петрозаводске", "Совет по креативным индустриям"],
        ),
        ({"date_from": "2025-04-01"}, ["Звонок в министерство"]),
        (
            {"open_follow_ups": "true"},
            ["Звонок в министерство", "Совет по креативным индустриям"],
        ),
        ({"open_follow_ups": "false"}, ["Встреча в Петрозаводске", "Визит в студию"]),
        ({"with_authorities": "false"}, ["Визит в студию"]),
        ({"q": "совет"}, ["Совет по креативным индустриям"]),
        (
            {"sort": "date"},
            [
                "Визит в студию",
                "Совет по креативным индустриям",
                "Встреча в Петрозаводске",
                "Звонок в министерство",
            ],
        ),
    ],
)
def test_dialogue_interaction_list_filters(sign_in, manager, dialogue, query, expected):
    response = sign_in(manager).get(reverse("community:interaction-list"), query)

    assert response.status_code == 200
    assert topics(response) == expected


def test_dialogue_interaction_list_filters_by_organisation_and_person(
    sign_in, manager, dialogue
):
    client = sign_in(manager)

    by_organisation = client.get(
        reverse("community:interaction-list"), {"organisation": dialogue["ministry"].pk}
    )
    by_person = client.get(
        reverse("community:interaction-list"), {"person": dialogue["minister"].pk}
    )

    assert topics(by_organisation) == [
        "Звонок в министерство",
        "Совет по креативным индустриям",
    ]
    assert "With Минкультуры РТ" in text_of(by_organisation)
    assert topics(by_person) == ["Совет по креативным индустриям"]
    assert "With Министрова Ирина" in text_of(by_person)


@pytest.mark.parametrize("language", ["ru", "en"])
def test_dialogue_ids_over_999_are_not_localised_in_attributes(
    client, manager, regions, language
):
    # On PostgreSQL ids soon pass 999; the locale must not make 12345 into
    # "12 345" or "12,345" inside an id, a link or a form value.
    organisation = OrganisationFactory(pk=12345, full_name="ООО «Тысяча»")
    person = PersonFactory(pk=12346, surname="Тысячина")
    interaction = InteractionFactory(pk=12347, topic="Встреча")
    interaction.organisations.set([organisation])
    interaction.people.set([person])
    FollowUpFactory(pk=12348, interaction=interaction, owner=manager)
    client.force_login(manager)
    client.cookies["django_language"] = language

    listed = text_of(
        client.get(
            reverse("community:interaction-list"), {"organisation": organisation.pk}
        )
    )
    detail = text_of(
        client.get(reverse("community:interaction-detail", args=[interaction.pk]))
    )

    assert '<input type="hidden" name="organisation" value="12345">' in listed
    assert 'href="?organisation=12345"' in listed
    assert 'href="?person=12346"' in listed
    assert 'id="follow-up-12348"' in detail


def test_dialogue_interaction_list_htmx_and_bad_dates(sign_in, manager, dialogue):
    client = sign_in(manager)

    fragment = client.get(
        reverse("community:interaction-list"), {"kind": "visit"}, **HTMX
    )
    bad = client.get(reverse("community:interaction-list"), {"date_from": "31.02.2025"})

    assert text_of(fragment).lstrip().startswith('<div id="interaction-results">')
    assert "1 interaction" in text_of(fragment)
    assert "Enter a valid date." in text_of(bad)


def test_dialogue_interaction_list_shows_follow_ups_state(sign_in, manager, dialogue):
    content = text_of(sign_in(manager).get(reverse("community:interaction-list")))

    assert "1 open" in content
    assert "all closed" not in content


def test_dialogue_interaction_list_query_count_is_fixed(
    sign_in, manager, dialogue, django_assert_max_num_queries
):
    for number in range(10):
        extra = InteractionFactory(topic=f"Встреча {number}")
        extra.organisations.set([dialogue["studio"]])
        extra.people.set([PersonFactory()])
        FollowUpFactory(interaction=extra)
    client = sign_in(manager)

    with django_assert_max_num_queries(11):
        response = client.get(reverse("community:interaction-list"), {"region": "16"})
    assert len(response.context["page"]) == 13


def test_dialogue_interaction_export_leaves_people_out(
    sign_in, manager, dialogue, tmp_path
):
    response = sign_in(manager).get(
        reverse("community:interaction-export"), {"region": "16"}
    )

    path = tmp_path / "interactions.xlsx"
    path.write_bytes(response.content)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0] == (
        "Date",
        "Kind",
        "Region",
        "Topic",
        "Organisations",
        "Decisions",
        "Open follow-ups",
    )
    assert [row[3] for row in rows[1:]] == [
        "Звонок в министерство",
        "Совет по креативным индустриям",
        "Визит в студию",
    ]
    assert rows[2][4] == "Исполком Казани, Минкультуры РТ"
    assert rows[2][6] == 1
    assert "Министрова" not in str(rows)


def follow_up_data(rows: list[dict], initial: int = 0) -> dict:
    data = {
        "follow_ups-TOTAL_FORMS": str(len(rows)),
        "follow_ups-INITIAL_FORMS": str(initial),
        "follow_ups-MIN_NUM_FORMS": "0",
        "follow_ups-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"follow_ups-{index}-{key}"] = value
    return data


def test_dialogue_interaction_is_recorded_with_follow_ups_and_files(
    sign_in, manager, analyst, dialogue, regions
):
    response = sign_in(manager).post(
        reverse("community:interaction-create"),
        {
            "kind": "meeting",
            "occurred_on": "2025-05-12",
            "region": regions["16"].pk,
            "topic": "Встреча с министром",
            "summary": "Обсудили стратегию",
            "decisions": "Подписать соглашение",
            "organisations": [dialogue["ministry"].pk],
            "people": [dialogue["minister"].pk],
            "staff": [manager.pk, analyst.pk],
            "attachments": [
                SimpleUploadedFile("протокол.pdf", b"%PDF-1.4 minutes"),
                SimpleUploadedFile("slides.pptx", b"PK slides"),
            ],
            **follow_up_data(
                [
                    {
                        "description": "Проект соглашения",
                        "owner": manager.pk,
                        "due_on": "2025-05-30",
                    },
                    {"description": "", "owner": manager.pk, "due_on": ""},
                    {
                        "description": "Подборка кейсов",
                        "owner": analyst.pk,
                        "due_on": "2025-06-15",
                    },
                ]
            ),
        },
    )

    interaction = Interaction.objects.get(topic="Встреча с министром")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "community:interaction-detail", args=[interaction.pk]
    )
    assert list(interaction.organisations.all()) == [dialogue["ministry"]]
    assert list(interaction.people.all()) == [dialogue["minister"]]
    assert set(interaction.staff.all()) == {manager, analyst}
    assert [
        (item.description, item.owner, item.due_on)
        for item in interaction.follow_ups.order_by("due_on")
    ] == [
        ("Проект соглашения", manager, date(2025, 5, 30)),
        ("Подборка кейсов", analyst, date(2025, 6, 15)),
    ]
    assert sorted(interaction.attachments.values_list("name", flat=True)) == [
        "slides.pptx",
        "протокол.pdf",
    ]
    assert interaction.created_by == manager


def test_dialogue_follow_up_owner_rule_is_shown_at_its_field(
    sign_in, manager, partner_karelia, dialogue, regions
):
    response = sign_in(manager).post(
        reverse("community:interaction-create"),
        {
            "kind": "call",
            "occurred_on": "2025-05-12",
            "region": regions["16"].pk,
            "topic": "Звонок",
            **follow_up_data(
                [
                    {
                        "description": "Позвонить снова",
                        "owner": manager.pk,
                        "due_on": "2025-05-20",
                    },
                    {
                        "description": "Написать",
                        "owner": partner_karelia.pk,
                        "due_on": "2025-05-20",
                    },
                ]
            ),
        },
    )

    assert response.status_code == 400
    formset = response.context["formset"]
    assert formset.forms[0].errors == {}
    # Karelia's partner is not even offered as an owner in Tatarstan.
    assert formset.forms[1].errors == {
        "owner": [
            "Select a valid choice. That choice is not one of the available choices."
        ]
    }
    assert not Interaction.objects.filter(topic="Звонок").exists()


def test_dialogue_interaction_services_messages_reach_the_fields(
    sign_in, manager, dialogue, regions
):
    closed = UserFactory(role="manager", is_active=False)

    response = sign_in(manager).post(
        reverse("community:interaction-create"),
        {
            "kind": "call",
            "occurred_on": "2025-05-12",
            "region": regions["16"].pk,
            "topic": "Звонок",
            **follow_up_data(
                [
                    {
                        "description": "Позвонить",
                        "owner": closed.pk,
                        "due_on": "2025-05-20",
                    }
                ]
            ),
        },
    )

    assert response.status_code == 400
    assert response.context["formset"].forms[0].errors == {
        "owner": [
            "Select a valid choice. That choice is not one of the available choices."
        ]
    }


def test_dialogue_a_bad_file_refuses_the_whole_form(
    sign_in, manager, regions, settings
):
    response = sign_in(manager).post(
        reverse("community:interaction-create"),
        {
            "kind": "letter",
            "occurred_on": "2025-05-12",
            "region": regions["16"].pk,
            "topic": "Письмо",
            "attachments": [SimpleUploadedFile("script.exe", b"MZ")],
            **follow_up_data([{"description": "", "owner": manager.pk, "due_on": ""}]),
        },
    )

    assert response.status_code == 400
    assert (
        response.context["form"]
        .errors["attachments"][0]
        .startswith("“script.exe”: files of this type are not accepted")
    )
    assert not Interaction.objects.exists()
    assert not InteractionAttachment.objects.exists()


def test_dialogue_interaction_form_requires_its_fields(sign_in, manager, regions):
    response = sign_in(manager).post(
        reverse("community:interaction-create"),
        follow_up_data([{"description": "", "owner": manager.pk, "due_on": ""}]),
    )

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {
        "kind",
        "occurred_on",
        "region",
        "topic",
    }
    assert "Nothing was saved: see the messages next to the fields." in text_of(
        response
    )


def test_dialogue_interaction_form_starts_with_the_user_as_owner(
    sign_in, manager, regions
):
    response = sign_in(manager).get(
        reverse("community:interaction-create"), {"region": "16"}
    )

    form = response.context["form"]
    follow_up_form = response.context["formset"].forms[0]
    assert form["region"].value() == regions["16"].pk
    assert form["staff"].value() == [manager.pk]
    assert follow_up_form["owner"].value() == manager.pk
    assert "status" not in follow_up_form.fields


def test_dialogue_interaction_form_takes_a_participant_from_the_link(
    sign_in, manager, dialogue
):
    response = sign_in(manager).get(
        reverse("community:interaction-create"),
        {"organisation": dialogue["ministry"].pk, "person": dialogue["minister"].pk},
    )

    assert response.context["organisations"] == [dialogue["ministry"]]
    assert response.context["people"] == [dialogue["minister"]]
    assert f'name="organisations" value="{dialogue["ministry"].pk}"' in text_of(
        response
    )


def test_dialogue_interaction_is_edited_with_its_follow_ups(
    sign_in, manager, analyst, dialogue
):
    council = dialogue["council"]
    late, done = (
        council.follow_ups.order_by("due_on")[1],
        council.follow_ups.order_by("due_on")[0],
    )
    assert late == dialogue["late"]
    client = sign_in(manager)
    form = client.get(reverse("community:interaction-edit", args=[council.pk]))
    assert [f["id"].value() for f in form.context["formset"].forms[:2]] == [
        done.pk,
        late.pk,
    ]

    response = client.post(
        reverse("community:interaction-edit", args=[council.pk]),
        {
            "kind": "council_meeting",
            "occurred_on": "2025-03-01",
            "region": council.region_id,
            "topic": "Совет по креативной экономике",
            "decisions": council.decisions,
            "organisations": [dialogue["ministry"].pk],
            "people": [dialogue["minister"].pk],
            **follow_up_data(
                [
                    {
                        "id": done.pk,
                        "description": done.description,
                        "owner": manager.pk,
                        "due_on": "2025-03-05",
                        "status": "done",
                    },
                    {
                        "id": late.pk,
                        "description": late.description,
                        "owner": manager.pk,
                        "due_on": "2025-03-20",
                        "status": "done",
                    },
                    {
                        "description": "Новое поручение",
                        "owner": analyst.pk,
                        "due_on": "2025-06-01",
                    },
                ],
                initial=2,
            ),
        },
    )

    assert response.status_code == 302
    council.refresh_from_db()
    assert council.topic == "Совет по креативной экономике"
    assert list(council.organisations.all()) == [dialogue["ministry"]]
    late.refresh_from_db()
    assert late.status == FollowUp.Status.DONE and late.closed_on is not None
    assert council.follow_ups.get(description="Новое поручение").owner == analyst
    detail = text_of(client.get(response["Location"]))
    assert "Совет по креативным индустриям" in detail  # the old topic, in the history
    assert "Исполком Казани" in detail  # removed, in the history


def test_dialogue_interaction_edit_refusal_changes_nothing(sign_in, manager, dialogue):
    call = dialogue["call"]
    soon = dialogue["soon"]

    response = sign_in(manager).post(
        reverse("community:interaction-edit", args=[call.pk]),
        {
            "kind": "call",
            "occurred_on": "2025-04-10",
            "region": call.region_id,
            "topic": "Новая тема",
            **follow_up_data(
                [
                    {
                        "id": soon.pk,
                        "description": "",
                        "owner": manager.pk,
                        "due_on": "2025-04-30",
                        "status": "open",
                    },
                    {"description": "", "owner": manager.pk, "due_on": ""},
                ],
                initial=1,
            ),
        },
    )

    assert response.status_code == 400
    assert response.context["formset"].forms[0].errors == {
        "description": ["This field is required."]
    }
    call.refresh_from_db()
    assert call.topic == "Звонок в министерство"


def test_dialogue_interaction_detail_shows_everything(sign_in, manager, dialogue):
    council = dialogue["council"]
    services.attachment_add(
        user=manager,
        interaction=council,
        file=SimpleUploadedFile("протокол.pdf", b"%PDF-1.4"),
    )

    response = sign_in(manager).get(
        reverse("community:interaction-detail", args=[council.pk])
    )

    content = text_of(response)
    for text in (
        "Совет по креативным индустриям",
        "Council meeting",
        "1 March 2025",
        "Создать реестр креативных индустрий",
        "Обсудили региональный закон",
        "Минкультуры РТ",
        "Министрова Ирина",
        "Подготовить проект реестра",
        "протокол.pdf",
        "History of changes",
    ):
        assert text in content, text
    attachment = council.attachments.get()
    download = sign_in(manager).get(
        reverse("community:attachment-download", args=[council.pk, attachment.pk])
    )
    assert b"".join(download.streaming_content) == b"%PDF-1.4"
    assert "attachment" in download["Content-Disposition"]


def test_dialogue_partner_history_hides_other_regions_participants(
    sign_in, manager, partner_tatarstan, dialogue, regions
):
    council = dialogue["council"]
    guest = PersonFactory(surname="Москвичёва", region=regions["77"])
    services.interaction_update(
        user=manager,
        interaction=council,
        people=[dialogue["minister"], guest],
        topic="Совет (расширенный)",
    )

    partner_page = text_of(
        sign_in(partner_tatarstan).get(
            reverse("community:interaction-detail", args=[council.pk])
        )
    )
    manager_page = text_of(
        sign_in(manager).get(reverse("community:interaction-detail", args=[council.pk]))
    )

    assert "Москвичёва" in manager_page
    assert "Москвичёва" not in partner_page
    assert "person from another region" in partner_page
    assert "Совет (расширенный)" in partner_page


def test_dialogue_follow_up_form_row_adds_one_and_counts_it(sign_in, manager, regions):
    response = sign_in(manager).get(
        reverse("community:interaction-follow-up-form"),
        {"follow_ups-TOTAL_FORMS": "2", "region": regions["16"].pk},
        **HTMX,
    )

    content = text_of(response)
    assert 'name="follow_ups-2-description"' in content
    assert (
        '<input type="hidden" name="follow_ups-TOTAL_FORMS" value="3" '
        'id="id_follow_ups-TOTAL_FORMS" hx-swap-oob="true">'
    ) in content


def test_dialogue_picker_finds_visible_records_and_skips_chosen(
    sign_in, partner_tatarstan, regions
):
    chosen = PersonFactory(surname="Соколова")
    PersonFactory(surname="Соколов")
    PersonFactory(surname="Соколовский", region=regions["10"])

    response = sign_in(partner_tatarstan).get(
        reverse("community:record-picker"),
        {
            "kind": "person",
            "field": "people",
            "multiple": "1",
            "picker_q": "сокол",
            "people": [chosen.pk],
        },
        **HTMX,
    )

    content = text_of(response)
    assert "Соколов Иван" in content
    assert "Соколова" not in content
    assert "Соколовский" not in content
    assert 'type="checkbox" name="people"' in content


def test_dialogue_member_picker_offers_people_and_organisations(
    sign_in, manager, regions
):
    PersonFactory(surname="Артемьев")
    OrganisationFactory(full_name="Артель «Узор»")

    content = text_of(
        sign_in(manager).get(
            reverse("community:record-picker"),
            {"kind": "member", "field": "member", "picker_q": "арт"},
            **HTMX,
        )
    )

    assert 'type="radio" name="member" value="person:' in content
    assert 'type="radio" name="member" value="organisation:' in content


# My follow-ups ------------------------------------------------------------------------------


def test_dialogue_my_follow_ups_overdue_first_and_highlighted(
    sign_in, manager, analyst, dialogue
):
    FollowUpFactory(
        interaction=dialogue["visit"], owner=analyst, due_on=date(2025, 1, 1)
    )

    response = sign_in(manager).get(
        reverse("community:follow-up-mine"), {"on": "2025-04-01"}
    )

    content = text_of(response)
    assert [item.description for item in response.context["follow_ups"]] == [
        "Подготовить проект реестра",
        "Прислать письмо министру",
    ]
    assert [item.overdue for item in response.context["follow_ups"]] == [True, False]
    assert content.count('data-overdue="true"') == 1
    assert content.count('class="table-danger"') == 1
    assert "overdue by 12 days" in content
    assert "2 open" in content and "1 overdue" in content
    assert "as of 1 April 2025" in content


def test_dialogue_my_follow_ups_with_closed_ones(sign_in, manager, dialogue):
    response = sign_in(manager).get(
        reverse("community:follow-up-mine"), {"on": "2025-04-01", "closed": "1"}
    )

    assert [item.status for item in response.context["follow_ups"]] == [
        "open",
        "done",
        "open",
    ]


def test_dialogue_follow_up_is_marked_done_and_reopened_with_htmx(
    sign_in, manager, dialogue
):
    late = dialogue["late"]
    client = sign_in(manager)
    url = reverse("community:follow-up-status", args=[late.pk])

    done = client.post(
        url, {"status": "done", "row_context": "mine", "on": "2025-04-01"}, **HTMX
    )
    late.refresh_from_db()
    assert late.status == FollowUp.Status.DONE
    assert text_of(done).lstrip().startswith(f'<tr id="follow-up-{late.pk}"')
    assert "Reopen" in text_of(done) and "table-danger" not in text_of(done)

    reopened = client.post(
        url, {"status": "open", "row_context": "mine", "on": "2025-04-01"}, **HTMX
    )
    late.refresh_from_db()
    assert (late.status, late.closed_on) == (FollowUp.Status.OPEN, None)
    assert "Mark done" in text_of(reopened) and "table-danger" in text_of(reopened)


def test_dialogue_follow_up_status_without_htmx_goes_back(sign_in, manager, dialogue):
    late = dialogue["late"]

    response = sign_in(manager).post(
        reverse("community:follow-up-status", args=[late.pk]),
        {"status": "cancelled", "next": "/community/follow-ups/?closed=1"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/community/follow-ups/?closed=1"
    late.refresh_from_db()
    assert late.status == FollowUp.Status.CANCELLED


def test_dialogue_expert_reads_follow_ups_but_cannot_change_them(
    sign_in, expert, dialogue
):
    FollowUpFactory(
        interaction=dialogue["call"], owner=expert, due_on=date(2025, 4, 30)
    )
    client = sign_in(expert)

    page = client.get(reverse("community:follow-up-mine"))
    refused = client.post(
        reverse("community:follow-up-status", args=[dialogue["late"].pk]),
        {"status": "done"},
        **HTMX,
    )

    assert len(page.context["follow_ups"]) == 1
    assert "Mark done" not in text_of(page)
    assert refused.status_code == 403
    dialogue["late"].refresh_from_db()
    assert dialogue["late"].status == FollowUp.Status.OPEN


def test_dialogue_my_follow_ups_query_count_is_fixed(
    sign_in, manager, dialogue, django_assert_max_num_queries
):
    for number in range(10):
        FollowUpFactory(
            interaction=InteractionFactory(topic=f"Встреча {number}"),
            owner=manager,
            due_on=date(2025, 4, number + 1),
        )
    client = sign_in(manager)

    with django_assert_max_num_queries(4):
        response = client.get(reverse("community:follow-up-mine"))
    assert len(response.context["follow_ups"]) == 12


@pytest.fixture
def many_follow_ups(regions, manager):
    """60 open follow-ups of the manager, 55 of them overdue on 1 April 2025, and
    10 done ones due before all of them."""
    interaction = InteractionFactory(topic="Совет по креативным индустриям")
    for number in range(55):
        FollowUpFactory(
            interaction=interaction,
            owner=manager,
            description=f"Просрочено {number:02}",
            due_on=date(2025, 1, 1) + timedelta(days=number),
        )
    for number in range(5):
        FollowUpFactory(
            interaction=interaction,
            owner=manager,
            description=f"Впереди {number}",
            due_on=date(2025, 4, 10) + timedelta(days=number),
        )
    for number in range(10):
        FollowUpFactory(
            interaction=interaction,
            owner=manager,
            description=f"Сделано {number}",
            due_on=date(2024, 12, 1) + timedelta(days=number),
            status=FollowUp.Status.DONE,
        )


@pytest.mark.parametrize(
    ("query", "total"), [({}, 60), ({"closed": "1"}, 70)], ids=["open", "closed"]
)
def test_dialogue_my_follow_ups_page_by_50_overdue_first_across_pages(
    sign_in, manager, many_follow_ups, query, total
):
    client = sign_in(manager)
    url = reverse("community:follow-up-mine")

    first = client.get(url, {"on": "2025-04-01", **query})
    second = client.get(url, {"on": "2025-04-01", **query, "page": "2"})

    assert len(first.context["follow_ups"]) == 50
    assert len(second.context["follow_ups"]) == total - 50
    assert second.context["page"].number == 2
    assert second.context["page"].paginator.num_pages == 2
    rows = [*first.context["follow_ups"], *second.context["follow_ups"]]
    assert len({row.pk for row in rows}) == total
    # Every overdue one before the rest, the last five of them on page 2.
    assert [row.overdue for row in rows] == [True] * 55 + [False] * (total - 55)
    assert [row.description for row in second.context["follow_ups"]][:6] == [
        "Просрочено 50",
        "Просрочено 51",
        "Просрочено 52",
        "Просрочено 53",
        "Просрочено 54",
        "Сделано 0" if query else "Впереди 0",
    ]
    assert text_of(second).count('data-overdue="true"') == 5
    # The header counts the whole list, not the rows of the page.
    for response in (first, second):
        assert (response.context["open_count"], response.context["overdue_count"]) == (
            60,
            55,
        )
        assert "60 open" in text_of(response) and "55 overdue" in text_of(response)
    assert 'rel="next"' in text_of(first) and 'rel="prev"' in text_of(second)
    assert "Page 2 of 2" in text_of(second)


def test_dialogue_my_follow_ups_htmx_gets_the_next_page_alone(
    sign_in, manager, many_follow_ups
):
    response = sign_in(manager).get(
        reverse("community:follow-up-mine"), {"on": "2025-04-01", "page": "2"}, **HTMX
    )

    content = text_of(response)
    assert content.lstrip().startswith('<div id="follow-up-results"')
    assert "<html" not in content and "follow-up-summary" not in content
    assert content.count('data-testid="follow-up-row"') == 10
    # The page links keep the date and swap the list; the rows' forms post the
    # status and come back to this page without HTMX.
    assert 'hx-get="/community/follow-ups/?on=2025-04-01&amp;page=1"' in content
    assert 'hx-target="#follow-up-results"' in content
    assert content.count('hx-target="closest tr"') == 10
    assert 'name="next" value="/community/follow-ups/?on=2025-04-01&amp;page=2"' in (
        content
    )
    assert "HX-Request" in response["Vary"]


def test_dialogue_follow_up_of_page_2_is_marked_done_and_the_counts_follow(
    sign_in, manager, many_follow_ups
):
    client = sign_in(manager)
    page_2 = client.get(
        reverse("community:follow-up-mine"), {"on": "2025-04-01", "page": "2"}, **HTMX
    )
    follow_up = page_2.context["follow_ups"][0]
    url = reverse("community:follow-up-status", args=[follow_up.pk])
    data = {"row_context": "mine", "on": "2025-04-01"}

    done = client.post(url, {**data, "status": "done"}, **HTMX)

    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.DONE
    content = text_of(done)
    assert content.lstrip().startswith(f'<tr id="follow-up-{follow_up.pk}"')
    assert "Reopen" in content and "table-danger" not in content
    assert 'id="follow-up-summary"' in content and 'hx-swap-oob="true"' in content
    assert "59 open" in content and "54 overdue" in content

    reopened = client.post(url, {**data, "status": "open"}, **HTMX)

    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.OPEN
    assert "Mark done" in text_of(reopened) and "table-danger" in text_of(reopened)
    assert "60 open" in text_of(reopened) and "55 overdue" in text_of(reopened)


def test_dialogue_follow_up_of_page_2_without_htmx_comes_back_to_page_2(
    sign_in, manager, many_follow_ups
):
    client = sign_in(manager)
    page_2 = client.get(
        reverse("community:follow-up-mine"), {"on": "2025-04-01", "page": "2"}
    )
    follow_up = page_2.context["follow_ups"][0]

    response = client.post(
        reverse("community:follow-up-status", args=[follow_up.pk]),
        {"status": "done", "next": "/community/follow-ups/?on=2025-04-01&page=2"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/community/follow-ups/?on=2025-04-01&page=2"
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.DONE


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_dialogue_my_follow_ups_pages_query_count_is_fixed(
    sign_in, manager, many_follow_ups, headers, django_assert_max_num_queries
):
    client = sign_in(manager)
    url = reverse("community:follow-up-mine")

    # Session, user, the counts and the page's rows, whatever the page.
    for page in ("1", "2"):
        with django_assert_max_num_queries(4):
            response = client.get(url, {"page": page}, **headers)
        assert response.status_code == 200


# The dialogue with the authorities ----------------------------------------------------------


def test_dialogue_with_the_authorities_of_a_region(sign_in, manager, dialogue):
    response = sign_in(manager).get(
        reverse("community:dialogue-region", args=["16"]), {"on": "2025-04-01"}
    )

    content = text_of(response)
    assert topics(response) == [
        "Звонок в министерство",
        "Совет по креативным индустриям",
    ]
    assert [item.topic for item in response.context["decisions"]] == [
        "Совет по креативным индустриям"
    ]
    assert [
        (item.description, item.overdue) for item in response.context["follow_ups"]
    ] == [
        ("Подготовить проект реестра", True),
        ("Прислать письмо министру", False),
    ]
    assert [str(item) for item in response.context["authorities"]] == [
        "Минкультуры РТ",
        "Исполком Казани",
    ]
    assert "Министрова Ирина — министр" in content
    assert "Визит в студию" not in content
    assert "Overdue by 1 April 2025" in content
    assert (
        '<div class="figure-value text-danger" data-testid="overdue-count">1</div>'
        in content
    )
    assert "10 April 2025" in content
    assert "Создать реестр креативных индустрий" in content


def test_dialogue_list_of_regions_with_counts(sign_in, manager, dialogue):
    response = sign_in(manager).get(reverse("community:dialogue-list"))

    rows = [
        (
            region.code,
            region.authority_interaction_count,
            region.last_contact,
            region.open_follow_up_count,
        )
        for region in response.context["dialogue_regions"]
    ]
    assert rows == [("16", 2, date(2025, 4, 10), 2), ("10", 1, date(2025, 3, 20), 0)]
    assert sign_in(manager).get(reverse("community:dialogue-list"), {"region": "16"})[
        "Location"
    ] == reverse("community:dialogue-region", args=["16"])


def test_dialogue_region_page_query_count_is_fixed(
    sign_in, manager, dialogue, django_assert_max_num_queries
):
    for number in range(10):
        extra = InteractionFactory(topic=f"Письмо {number}", decisions="Решено")
        extra.organisations.set([dialogue["ministry"]])
        FollowUpFactory(interaction=extra)
    client = sign_in(manager)

    with django_assert_max_num_queries(20):
        response = client.get(reverse("community:dialogue-region", args=["16"]))
    assert len(response.context["page"]) == 12


# Who may see and change what ----------------------------------------------------------------


def page_urls(dialogue, communities) -> dict[str, str]:
    return {
        "community-list": reverse("community:community-list"),
        "community-region": reverse("community:community-region", args=["16"]),
        "community-detail": reverse(
            "community:community-detail", args=[communities["kazan"].pk]
        ),
        "community-edit": reverse(
            "community:community-edit", args=[communities["kazan"].pk]
        ),
        "interaction-list": reverse("community:interaction-list"),
        "interaction-detail": reverse(
            "community:interaction-detail", args=[dialogue["council"].pk]
        ),
        "interaction-edit": reverse(
            "community:interaction-edit", args=[dialogue["council"].pk]
        ),
        "follow-up-mine": reverse("community:follow-up-mine"),
        "dialogue-list": reverse("community:dialogue-list"),
        "dialogue-region": reverse("community:dialogue-region", args=["16"]),
    }


def test_dialogue_anonymous_is_sent_to_login(client, dialogue, communities):
    for name, url in page_urls(dialogue, communities).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith("/login/?next="), name
    for url in (
        reverse("community:follow-up-status", args=[dialogue["late"].pk]),
        reverse("community:membership-add", args=[communities["kazan"].pk]),
    ):
        response = client.post(url, {"status": "done", "member": ""})
        assert response["Location"].startswith("/login/?next="), url
    dialogue["late"].refresh_from_db()
    assert dialogue["late"].status == FollowUp.Status.OPEN


@pytest.mark.parametrize(
    ("user_fixture", "expected"),
    [
        ("partner_karelia", 404),
        ("partner_tatarstan", 200),
        ("manager", 200),
        ("expert", 200),
    ],
)
@pytest.mark.parametrize(
    "name",
    ["community-region", "community-detail", "interaction-detail", "dialogue-region"],
)
def test_dialogue_pages_of_tatarstan_by_role(
    request, sign_in, dialogue, communities, user_fixture, expected, name
):
    user = request.getfixturevalue(user_fixture)

    response = sign_in(user).get(page_urls(dialogue, communities)[name])

    assert response.status_code == expected


@pytest.mark.parametrize(
    ("user_fixture", "expected"),
    [
        ("partner_karelia", 404),
        ("partner_tatarstan", 200),
        ("manager", 200),
        ("expert", 403),
    ],
)
@pytest.mark.parametrize("name", ["community-edit", "interaction-edit"])
def test_dialogue_edit_forms_of_tatarstan_by_role(
    request, sign_in, dialogue, communities, user_fixture, expected, name
):
    user = request.getfixturevalue(user_fixture)

    response = sign_in(user).get(page_urls(dialogue, communities)[name])

    assert response.status_code == expected


def test_dialogue_partner_lists_hold_only_their_region(
    sign_in, partner_karelia, dialogue, communities
):
    client = sign_in(partner_karelia)

    assert names_in(client.get(reverse("community:community-list"))) == [
        "Карельские ремёсла"
    ]
    assert topics(client.get(reverse("community:interaction-list"))) == [
        "Встреча в Петрозаводске"
    ]
    # Asking for another region's rows finds nothing rather than widening.
    assert (
        topics(client.get(reverse("community:interaction-list"), {"region": "16"}))
        == []
    )
    assert [
        region.code
        for region in client.get(reverse("community:dialogue-list")).context[
            "dialogue_regions"
        ]
    ] == ["10"]


def test_dialogue_partner_cannot_change_another_regions_records(
    sign_in, partner_karelia, dialogue, communities
):
    client = sign_in(partner_karelia)
    council = dialogue["council"]

    edit = client.post(
        reverse("community:interaction-edit", args=[council.pk]),
        {
            "kind": "call",
            "occurred_on": "2025-01-01",
            "region": council.region_id,
            "topic": "Взлом",
        },
    )
    status = client.post(
        reverse("community:follow-up-status", args=[dialogue["late"].pk]),
        {"status": "done"},
    )
    member = client.post(
        reverse("community:membership-add", args=[communities["kazan"].pk]),
        {"member": "", "status": "active"},
    )

    assert (edit.status_code, status.status_code, member.status_code) == (404, 404, 404)
    council.refresh_from_db()
    dialogue["late"].refresh_from_db()
    assert council.topic == "Совет по креативным индустриям"
    assert dialogue["late"].status == FollowUp.Status.OPEN


def test_dialogue_partner_records_an_interaction_in_their_region(
    sign_in, partner_tatarstan, manager, regions, dialogue
):
    response = sign_in(partner_tatarstan).post(
        reverse("community:interaction-create"),
        {
            "kind": "meeting",
            "occurred_on": "2025-05-12",
            "region": regions["16"].pk,
            "topic": "Встреча партнёра",
            **follow_up_data(
                [
                    {
                        "description": "Отчёт",
                        "owner": partner_tatarstan.pk,
                        "due_on": "2025-05-20",
                    }
                ]
            ),
        },
    )
    karelia = sign_in(partner_tatarstan).post(
        reverse("community:interaction-create"),
        {
            "kind": "meeting",
            "occurred_on": "2025-05-12",
            "region": regions["10"].pk,
            "topic": "Чужая встреча",
            **follow_up_data([]),
        },
    )

    assert response.status_code == 302
    assert (
        Interaction.objects.get(topic="Встреча партнёра").follow_ups.get().owner
        == partner_tatarstan
    )
    assert karelia.status_code == 400
    assert list(karelia.context["form"].errors) == ["region"]
    assert not Interaction.objects.filter(topic="Чужая встреча").exists()


def test_dialogue_expert_cannot_open_the_forms(sign_in, expert, dialogue, communities):
    client = sign_in(expert)

    for url in (
        reverse("community:community-create"),
        reverse("community:interaction-create"),
        reverse("community:community-edit", args=[communities["kazan"].pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert "Record an interaction" not in text_of(
        client.get(reverse("community:interaction-list"))
    )


def test_dialogue_attachment_of_another_region_is_not_found(
    sign_in, manager, partner_karelia, dialogue
):
    council = dialogue["council"]
    attachment = services.attachment_add(
        user=manager, interaction=council, file=SimpleUploadedFile("a.pdf", b"%PDF")
    )

    response = sign_in(partner_karelia).get(
        reverse("community:attachment-download", args=[council.pk, attachment.pk])
    )

    assert response.status_code == 404


def test_dialogue_menu_has_the_pages(sign_in, manager, regions):
    content = text_of(sign_in(manager).get(reverse("community:follow-up-mine")))

    for label, url in (
        ("Communities", reverse("community:community-list")),
        ("Interactions", reverse("community:interaction-list")),
        ("My follow-ups", reverse("community:follow-up-mine")),
    ):
        assert f'href="{url}"' in content
        assert label in content
