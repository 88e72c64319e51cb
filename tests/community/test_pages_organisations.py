"""The organisation pages: the list with its filters, search, sorting and paging,
the record's page, and the forms that create, change and delete organisations."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from creative_regions.community import services
from creative_regions.community.models import CommunityMembership, Organisation
from creative_regions.registry.importer import run_import
from creative_regions.registry.services import registry_store
from tests.community.factories import (
    CommunityFactory,
    InteractionFactory,
    OrganisationFactory,
    PersonFactory,
    company_inn,
)
from tests.community.pages import affiliate, names, sector, sign_in, tag
from tests.registry.builders import document, member_name, register_file, write_zip

pytestmark = pytest.mark.django_db

LIST = reverse("community:organisation-list")


@pytest.fixture
def catalogue(regions, classifications):
    """Five organisations that differ in each filtered field."""
    design = OrganisationFactory(
        full_name="ООО «Дизайн-бюро Казани»",
        city="Казань",
        inn="7707083893",
    )
    design.sectors.add(sector("Дизайн", "Design"))
    design.tags.add(tag("якорь"))
    fashion = OrganisationFactory(
        full_name="Модный дом «Ёлка»",
        kind=Organisation.Kind.CREATIVE_SPACE,
        region=regions["10"],
    )
    fashion.sectors.add(sector("Мода", "Fashion"))
    ministry = OrganisationFactory(
        full_name="Министерство культуры",
        kind=Organisation.Kind.REGIONAL_AUTHORITY,
        inn=None,
    )
    closed = OrganisationFactory(
        full_name="Архитектурная мастерская",
        status=Organisation.Status.CLOSED,
        region=regions["77"],
    )
    club = CommunityFactory(name="Клуб дизайнеров")
    CommunityMembership.objects.create(
        community=club, organisation=design, joined_on=date(2025, 1, 1)
    )
    CommunityMembership.objects.create(
        community=club,
        organisation=ministry,
        joined_on=date(2025, 1, 1),
        status=CommunityMembership.Status.LEFT,
    )
    return {
        "design": design,
        "fashion": fashion,
        "ministry": ministry,
        "closed": closed,
        "club": club,
    }


def test_the_list_shows_every_organisation_by_name_with_a_count(
    client, manager, catalogue
):
    sign_in(client, manager)

    response = client.get(LIST)

    content = response.content.decode()
    assert response.status_code == 200
    assert names(response) == [
        "Архитектурная мастерская",
        "Министерство культуры",
        "Модный дом «Ёлка»",
        "ООО «Дизайн-бюро Казани»",
    ]
    assert "4 organisations" in content
    assert "INN 7707083893" in content
    assert "Design" in content and "якорь" in content


@pytest.mark.parametrize(
    "query,expected",
    [
        ({"region": "10"}, ["Модный дом «Ёлка»"]),
        ({"kind": "regional_authority"}, ["Министерство культуры"]),
        ({"status": "closed"}, ["Архитектурная мастерская"]),
        ({"sector": "Дизайн"}, ["ООО «Дизайн-бюро Казани»"]),
        ({"tag": "ЯКОРЬ"}, ["ООО «Дизайн-бюро Казани»"]),
        ({"region": "16", "kind": "company"}, ["ООО «Дизайн-бюро Казани»"]),
        ({"q": "елка"}, ["Модный дом «Ёлка»"]),
        ({"q": "7707083893"}, ["ООО «Дизайн-бюро Казани»"]),
        ({"q": "казань"}, ["ООО «Дизайн-бюро Казани»"]),
    ],
)
def test_each_filter_narrows_the_list(client, manager, catalogue, query, expected):
    sign_in(client, manager)

    response = client.get(LIST, query)

    assert names(response) == expected


def test_the_community_filter_keeps_its_active_members(client, manager, catalogue):
    sign_in(client, manager)

    response = client.get(LIST, {"community": catalogue["club"].pk})

    assert names(response) == ["ООО «Дизайн-бюро Казани»"]


def test_the_filter_bar_offers_the_users_choices_and_keeps_the_current_ones(
    client, manager, catalogue
):
    sign_in(client, manager)

    content = client.get(LIST, {"tag": "якорь", "region": "10"}).content.decode()

    assert '<option value="якорь" selected>якорь</option>' in content
    assert '<option value="10" selected>Karelia</option>' in content
    assert f'<option value="{catalogue["club"].pk}">Клуб дизайнеров</option>' in content
    assert '<option value="Мода">Fashion (ru-minec-16)</option>' in content


def test_a_malformed_filter_says_so_and_shows_nothing(client, manager, catalogue):
    sign_in(client, manager)

    response = client.get(LIST, {"region": "Tatarstan"})

    assert response.status_code == 200
    assert list(response.context["page"]) == []
    assert "A region code is two digits, e.g. 16." in response.content.decode()


@pytest.mark.parametrize(
    "sort,expected",
    [
        (
            "-name",
            [
                "ООО «Дизайн-бюро Казани»",
                "Модный дом «Ёлка»",
                "Министерство культуры",
                "Архитектурная мастерская",
            ],
        ),
        (
            "region",
            [
                "Модный дом «Ёлка»",
                "Министерство культуры",
                "ООО «Дизайн-бюро Казани»",
                "Архитектурная мастерская",
            ],
        ),
    ],
)
def test_sorting_by_a_column(client, manager, catalogue, sort, expected):
    sign_in(client, manager)

    response = client.get(LIST, {"sort": sort})

    assert names(response) == expected


def test_the_last_changed_come_first_when_sorted_by_change(client, manager, catalogue):
    services.organisation_update(
        user=manager, organisation=catalogue["ministry"], city="Казань"
    )
    sign_in(client, manager)

    response = client.get(LIST, {"sort": "-updated"})

    assert names(response)[0] == "Министерство культуры"


def test_column_headers_link_to_the_next_order_and_keep_the_filter(
    client, manager, catalogue
):
    sign_in(client, manager)

    response = client.get(LIST, {"region": "16", "page": "1"})
    columns = response.context["columns"]
    reversed_response = client.get(LIST, {"region": "16", "sort": "-name"})

    assert columns["name"].url == f"{LIST}?region=16&sort=-name"
    assert columns["name"].direction == "ascending"
    assert columns["region"].url == f"{LIST}?region=16&sort=region"
    assert columns["region"].direction == ""
    assert reversed_response.context["columns"]["name"].url == f"{LIST}?region=16"
    assert 'aria-sort="descending"' in reversed_response.content.decode()


def test_an_htmx_request_gets_only_the_results_and_the_sort_kept(
    client, manager, catalogue
):
    sign_in(client, manager)

    response = client.get(
        LIST, {"kind": "company", "sort": "-name"}, headers={"HX-Request": "true"}
    )

    content = response.content.decode()
    assert "<html" not in content and "<form" not in content
    assert "2 organisations" in content
    assert (
        '<input type="hidden" name="sort" id="filter-sort" value="-name" '
        'hx-swap-oob="true">' in content
    )
    assert response["Vary"] == "HX-Request, Cookie" or "HX-Request" in response["Vary"]


def test_going_back_to_a_page_the_browser_forgot_gets_the_whole_page(
    client, manager, catalogue
):
    sign_in(client, manager)

    response = client.get(
        LIST,
        {"kind": "company"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )

    content = response.content.decode()
    assert "<html" in content and "<form" in content
    assert "hx-swap-oob" not in content


def test_the_page_without_javascript_has_a_form_that_submits_the_filter(
    client, manager, catalogue
):
    sign_in(client, manager)

    content = client.get(LIST, {"q": "ёлка", "sort": "region"}).content.decode()

    assert f'method="get" action="{LIST}"' in content
    assert 'name="q" value="ёлка"' in content
    assert 'type="hidden" name="sort" value="region" id="filter-sort"' in content
    assert f'hx-get="{LIST}"' in content and 'hx-push-url="true"' in content


def test_the_list_is_paged_by_fifty(client, manager, regions):
    for number in range(55):
        OrganisationFactory(full_name=f"Студия {number:02d}")
    sign_in(client, manager)

    first = client.get(LIST)
    second = client.get(LIST, {"page": "2"})

    assert len(first.context["page"]) == 50
    assert names(second) == [f"Студия {number}" for number in range(50, 55)]
    assert "Page 2 of 2" in second.content.decode()
    assert f'href="{LIST}?page=1"' in second.content.decode()


def _thirty_organisations(regions):
    design, fashion = sector("Дизайн", "Design"), sector("Мода", "Fashion")
    anchor, export = tag("якорь"), tag("экспорт")
    for number in range(30):
        organisation = OrganisationFactory(
            full_name=f"Студия {number:02d}",
            region=regions["16" if number % 2 else "10"],
        )
        organisation.sectors.add(design, fashion)
        organisation.tags.add(anchor, export)


def test_the_list_costs_the_same_queries_for_thirty_rows(
    client, manager, regions, classifications, django_assert_max_num_queries
):
    _thirty_organisations(regions)
    CommunityFactory()
    sign_in(client, manager)

    # Session and user; the count, the rows with their regions, sectors and
    # tags (4); the filter bar's regions, classifications and their sectors (one
    # query each), tags and communities (6).
    with django_assert_max_num_queries(12):
        page = client.get(LIST)
    with django_assert_max_num_queries(6):
        partial = client.get(LIST, headers={"HX-Request": "true"})

    assert len(page.context["page"]) == 30
    assert len(partial.context["page"]) == 30


def test_a_partners_list_and_search_hold_only_their_regions(
    client, partner_karelia, catalogue
):
    sign_in(client, partner_karelia)

    everything = client.get(LIST)
    searched = client.get(LIST, {"q": "дизайн"})
    other_region = client.get(LIST, {"region": "16"})

    assert names(everything) == ["Модный дом «Ёлка»"]
    assert names(searched) == []
    assert names(other_region) == []
    assert "ООО «Дизайн-бюро Казани»" not in everything.content.decode()


def test_a_partner_without_regions_is_told_why_the_list_is_empty(
    client, regions, catalogue
):
    from tests.core.factories import UserFactory

    sign_in(client, UserFactory(role="partner"))

    content = client.get(LIST).content.decode()

    assert "No region is assigned to you yet." in content


# The record's page ----------------------------------------------------------------


def test_the_page_shows_the_fields_sectors_tags_and_links(
    client, manager, regions, classifications
):
    organisation = services.organisation_create(
        user=manager,
        full_name="Общество с ограниченной ответственностью «Студия Ёлка»",
        short_name="Студия Ёлка",
        kind=Organisation.Kind.COMPANY,
        region=regions["16"],
        inn="7707083893",
        ogrn="1027700132195",
        city="Казань",
        address="ул. Баумана, 1",
        website="elka.example",
        telegram="t.me/elka_studio",
        vk="vk.com/elka_studio",
        sectors=["Дизайн"],
        tags=["якорь"],
        description="Графический дизайн для музеев.",
    )
    sign_in(client, manager)

    content = client.get(
        reverse("community:organisation-detail", args=[organisation.pk])
    ).content.decode()

    for text in (
        "Общество с ограниченной ответственностью «Студия Ёлка»",
        "<h1",
        "7707083893",
        "1027700132195",
        "ул. Баумана, 1",
        'href="https://elka.example"',
        'href="https://t.me/elka_studio"',
        'href="https://vk.com/elka_studio"',
        "Design",
        "якорь",
        "Графический дизайн для музеев.",
        "Edit",
        "Delete",
    ):
        assert text in content, text


def test_the_page_shows_people_with_roles_and_dates_communities_and_timeline(
    client, manager, regions
):
    organisation = OrganisationFactory(full_name="Арт-кластер «Штаб»")
    now = PersonFactory(surname="Сёмина", first_name="Алёна", patronymic="")
    before = PersonFactory(surname="Петров", first_name="Олег", patronymic="")
    affiliate(now, organisation, role="Директор", started_on=date(2023, 3, 1))
    affiliate(
        before,
        organisation,
        role="Куратор",
        started_on=date(2020, 1, 1),
        ended_on=date(2022, 12, 31),
    )
    club = CommunityFactory(name="Клуб резидентов")
    CommunityMembership.objects.create(
        community=club, organisation=organisation, joined_on=date(2025, 2, 1)
    )
    meeting = InteractionFactory(topic="Стратегическая сессия по дизайну")
    meeting.organisations.add(organisation)
    InteractionFactory(topic="Встреча без кластера")
    sign_in(client, manager)

    response = client.get(
        reverse("community:organisation-detail", args=[organisation.pk])
    )

    content = response.content.decode()
    assert [item.person.surname for item in response.context["affiliations"]] == [
        "Сёмина",
        "Петров",
    ]
    assert "Директор" in content and "1 March 2023" in content
    assert "Куратор" in content and "31 December 2022" in content
    assert "1 works here now" in content
    assert "Клуб резидентов" in content
    assert "Стратегическая сессия по дизайну" in content
    assert "Встреча без кластера" not in content
    assert reverse("community:interaction-detail", args=[meeting.pk]) in content


def test_the_history_says_who_changed_what(client, manager, regions):
    organisation = services.organisation_create(
        user=manager,
        full_name="Студия",
        kind=Organisation.Kind.COMPANY,
        region=regions["16"],
    )
    services.organisation_update(user=manager, organisation=organisation, city="Казань")
    sign_in(client, manager)

    response = client.get(
        reverse("community:organisation-detail", args=[organisation.pk])
    )

    history = response.context["history"]
    assert [entry.kind for entry in history] == ["~", "+"]
    assert [
        (change.label, change.old, change.new) for change in history[0].changes
    ] == [("city", "—", "Казань")]
    assert history[0].user == manager
    content = response.content.decode()
    assert '<del class="text-secondary">—</del> → <ins' in content
    assert manager.username in content


STUDIO_INN = company_inn(1, region="16")


@pytest.fixture
def register(settings, tmp_path, regions, classifications):
    """Two snapshots of the register in which a Kazan design studio grows from 4
    to 9 employees."""
    archives = []
    for index, (snapshot, headcount) in enumerate(
        (("10.01.2024", "4"), ("10.01.2025", "9"))
    ):
        studio = document(
            doc_id=f"studio-{index}",
            inn=STUDIO_INN,
            ogrn=None,
            region="16",
            snapshot=snapshot,
            included="01.08.2019",
            headcount=headcount,
            okved="74.10",
            name='ООО "СТУДИЯ ДИЗАЙНА"',
        )
        archives.append(
            write_zip(
                tmp_path / f"register-{index}.zip",
                {member_name(index): register_file([studio], file_id=f"f{index}")},
            )
        )
    summary = run_import(archives, store=registry_store(), workers=1)
    assert summary.quarantined == 0


def test_the_page_shows_the_registers_facts_on_the_inn(client, manager, register):
    organisation = OrganisationFactory(full_name="Студия дизайна", inn=STUDIO_INN)
    sign_in(client, manager)

    response = client.get(
        reverse("community:organisation-detail", args=[organisation.pk])
    )

    content = response.content.decode()
    facts = response.context["register_facts"]
    assert facts.employees == [(date(2024, 1, 10), 4), (date(2025, 1, 10), 9)]
    assert "micro" in content
    assert "74.10" in content and "Design" in content
    assert "in the snapshot of 10 January 2024" in content
    assert "in the SME register since 1 August 2019" in content
    assert reverse("registry:firm-history", args=[STUDIO_INN]) in content
    employees = content[content.index('data-testid="register-employees"') :]
    assert employees.index("10 January 2024") < employees.index("10 January 2025")


def test_without_an_inn_the_page_says_how_to_get_the_registers_facts(
    client, manager, register
):
    organisation = OrganisationFactory(inn=None)
    sign_in(client, manager)

    response = client.get(
        reverse("community:organisation-detail", args=[organisation.pk])
    )

    assert response.context["register_facts"] is None
    assert "No INN is recorded." in response.content.decode()


# Forms ------------------------------------------------------------------------------


def organisation_data(regions, **changes) -> dict:
    data = {
        "full_name": "ООО «Новая студия»",
        "short_name": "",
        "kind": "company",
        "status": "active",
        "inn": "",
        "ogrn": "",
        "region": regions["16"].pk,
        "city": "Казань",
        "address": "",
        "website": "",
        "telegram": "",
        "vk": "",
        "tags": "",
        "description": "",
    }
    data.update(changes)
    return data


def test_a_bad_inn_is_explained_next_to_the_field_and_nothing_is_saved(
    client, manager, regions
):
    sign_in(client, manager)

    response = client.post(
        reverse("community:organisation-create"),
        organisation_data(regions, inn="7707083890"),
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "inn": ["INN failed its checksum: check the digits."]
    }
    content = response.content.decode()
    assert 'id="id_inn_error"' in content
    assert 'aria-invalid="true"' in content
    assert "INN failed its checksum: check the digits." in content
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    "changes,field,message",
    [
        (
            {"inn": "12345"},
            "inn",
            "INN must be 10 digits for an organisation or 12 digits for a sole "
            "trader or a person.",
        ),
        (
            {"telegram": "ab"},
            "telegram",
            "Telegram: enter a public name such as @studio_name (5–32 Latin "
            "letters, digits or underscores) or a t.me link.",
        ),
        ({"full_name": ""}, "full_name", "This field is required."),
        ({"sectors": ["Не сектор"]}, "sectors", None),
    ],
)
def test_each_bad_field_gets_its_own_message(
    client, manager, regions, classifications, changes, field, message
):
    sign_in(client, manager)

    response = client.post(
        reverse("community:organisation-create"), organisation_data(regions, **changes)
    )

    errors = response.context["form"].errors
    assert response.status_code == 400
    assert list(errors) == [field]
    if message:
        assert errors[field] == [message]
    assert not Organisation.objects.exists()


def test_a_duplicate_inn_is_refused_by_the_field(client, manager, regions):
    OrganisationFactory(inn="7707083893")
    sign_in(client, manager)

    response = client.post(
        reverse("community:organisation-create"),
        organisation_data(regions, inn="7707 083 893"),
    )

    assert response.context["form"].errors == {
        "inn": ["Another organisation already has this INN."]
    }


def test_a_good_form_records_the_organisation_and_goes_to_its_page(
    client, manager, regions, classifications
):
    sign_in(client, manager)

    response = client.post(
        reverse("community:organisation-create"),
        organisation_data(
            regions,
            inn="7707 083 893",
            sectors=["Дизайн", "Мода"],
            tags="якорь, экспорт",
            website="studio.example",
        ),
    )

    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "community:organisation-detail", args=[organisation.pk]
    )
    assert organisation.inn == "7707083893"
    assert organisation.website == "https://studio.example"
    assert sorted(sector.name for sector in organisation.sectors.all()) == [
        "Дизайн",
        "Мода",
    ]
    assert sorted(tag.name for tag in organisation.tags.all()) == ["экспорт", "якорь"]
    assert organisation.history.get().history_user == manager


def test_the_edit_form_starts_from_the_record_and_saves_through_the_service(
    client, manager, regions, classifications
):
    organisation = services.organisation_create(
        user=manager,
        full_name="Студия",
        kind=Organisation.Kind.COMPANY,
        region=regions["16"],
        sectors=["Дизайн"],
        tags=["якорь"],
    )
    url = reverse("community:organisation-edit", args=[organisation.pk])
    sign_in(client, manager)

    form = client.get(url).context["form"]
    response = client.post(
        url,
        organisation_data(
            regions, full_name="Студия", city="Набережные Челны", tags="якорь"
        ),
    )

    assert form.initial["sectors"] == ["Дизайн"] and form.initial["tags"] == "якорь"
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.city == "Набережные Челны"
    assert list(organisation.sectors.all()) == []
    assert organisation.history.first().history_user == manager


@pytest.fixture
def with_old_sector(manager, regions, classifications):
    """A studio in design and in a sector of an earlier classification version,
    which the active version no longer has."""
    organisation = services.organisation_create(
        user=manager,
        full_name="Студия",
        kind=Organisation.Kind.COMPANY,
        region=regions["16"],
        sectors=["Дизайн"],
    )
    old = sector("Дизайн интерьеров", "Interior design")
    organisation.sectors.add(old)
    return organisation


OLD_SECTOR_LABEL = (
    "Interior design (ru-minec-16 — not offered by the active classifications)"
)


def test_the_edit_form_shows_a_sector_of_another_classification_chosen(
    client, manager, with_old_sector
):
    sign_in(client, manager)

    response = client.get(
        reverse("community:organisation-edit", args=[with_old_sector.pk])
    )

    form = response.context["form"]
    content = response.content.decode()
    assert sorted(form["sectors"].value()) == ["Дизайн", "Дизайн интерьеров"]
    assert form.fields["sectors"].choices[0] == ("Дизайн интерьеров", OLD_SECTOR_LABEL)
    assert (
        'value="Дизайн интерьеров" class="form-check-input" id="id_sectors_0" checked'
        in content
    )
    assert OLD_SECTOR_LABEL in content


def test_saving_another_field_keeps_a_sector_of_another_classification(
    client, manager, regions, with_old_sector
):
    old = with_old_sector.sectors.get(name="Дизайн интерьеров")
    url = reverse("community:organisation-edit", args=[with_old_sector.pk])
    sign_in(client, manager)

    # What the browser sends back: every sector still ticked, a new city.
    response = client.post(
        url,
        organisation_data(
            regions,
            full_name="Студия",
            city="Казань",
            sectors=["Дизайн", "Дизайн интерьеров"],
        ),
    )

    assert response.status_code == 302
    with_old_sector.refresh_from_db()
    assert with_old_sector.city == "Казань"
    assert sorted(item.pk for item in with_old_sector.sectors.all()) == sorted(
        [old.pk, with_old_sector.sectors.get(name="Дизайн").pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert "Interior design" in page


def test_unticking_a_sector_of_another_classification_removes_it(
    client, manager, regions, with_old_sector
):
    url = reverse("community:organisation-edit", args=[with_old_sector.pk])
    sign_in(client, manager)

    response = client.post(
        url, organisation_data(regions, full_name="Студия", sectors=["Дизайн"])
    )

    assert response.status_code == 302
    assert [item.name for item in with_old_sector.sectors.all()] == ["Дизайн"]


def test_a_partner_is_offered_only_their_regions(client, partner_karelia, regions):
    sign_in(client, partner_karelia)

    form = client.get(reverse("community:organisation-create")).context["form"]
    response = client.post(
        reverse("community:organisation-create"),
        organisation_data(regions, region=regions["16"].pk),
    )

    assert [region.code for region in form.fields["region"].queryset] == ["10"]
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["region"]
    assert not Organisation.objects.exists()


def test_delete_asks_first_then_deletes(client, manager, regions):
    organisation = OrganisationFactory(full_name="Студия на удаление")
    affiliate(PersonFactory(), organisation)
    url = reverse("community:organisation-delete", args=[organisation.pk])
    sign_in(client, manager)

    question = client.get(url)
    response = client.post(url)

    assert question.status_code == 200
    assert "Delete “Студия на удаление”?" in question.content.decode()
    assert "1 affiliation" in question.content.decode()
    assert response.status_code == 302 and response["Location"] == LIST
    assert not Organisation.objects.exists()
    assert Organisation.history.filter(history_type="-").get().history_user == manager
