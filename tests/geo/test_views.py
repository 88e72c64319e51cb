import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def test_region_list_groups_by_district_and_counts(client, manager, regions):
    client.force_login(manager)

    content = client.get(reverse("geo:region-list")).content.decode()

    assert "89 регионов" in content
    assert "Центральный федеральный округ" in content
    assert content.index("Центральный федеральный округ") < content.index(
        "Дальневосточный федеральный округ"
    )
    assert "Без федерального округа" in content
    assert content.count("с 2022 г.") == 4


def test_search_finds_cyrillic_in_any_case(client, manager, regions):
    client.force_login(manager)

    content = client.get(reverse("geo:region-list"), {"q": "казань"}).content.decode()

    assert "1 регион" in content
    assert "Республика Татарстан" in content


def test_search_by_english_name_and_plural_form(client, manager, regions):
    client.force_login(manager)

    content = client.get(reverse("geo:region-list"), {"q": "oblast"}).content.decode()

    assert "49 регионов" in content


def test_htmx_request_gets_only_the_results(client, manager, regions):
    client.force_login(manager)

    response = client.get(
        reverse("geo:region-list"), {"federal_district": "ural"}, HTTP_HX_REQUEST="true"
    )

    content = response.content.decode()
    assert "<html" not in content
    assert "6 регионов" in content


def test_sorted_list_is_one_table_in_order(client, manager, regions):
    client.force_login(manager)

    response = client.get(reverse("geo:region-list"), {"sort": "-population"})

    names = [region.code for region in response.context["regions"]]
    assert names[:3] == ["77", "50", "23"]
    # Regions with no population estimate come last, by name.
    assert names[-4:] == ["93", "90", "94", "95"]
    assert response.context["groups"] is None


def test_region_page_shows_the_facts_in_russian(client, manager, regions):
    client.force_login(manager)

    content = client.get("/regions/16/").content.decode()

    assert "Республика Татарстан (Татарстан)" in content
    assert "Казань" in content
    assert "4\u202f016\u202f571" in content
    assert "оценка Росстата на 1 января 2025" in content
    assert "Приволжский федеральный округ" in content
    assert "RU-TA" in content


def test_region_page_in_english(client, manager, regions):
    client.force_login(manager)
    client.cookies["django_language"] = "en"

    content = client.get("/regions/16/").content.decode()

    assert '<h1 class="h3 mb-1">Tatarstan' in content
    assert "Kazan" in content
    assert "4,016,571" in content
    assert "Volga Federal District" in content


def test_region_added_in_2022_page_says_so_and_has_no_population(
    client, manager, regions
):
    client.force_login(manager)

    content = client.get("/regions/93/").content.decode()

    assert "с 2022 г." in content
    assert "Росстат не публикует оценку численности населения" in content


@pytest.mark.parametrize(
    "language,text", [("ru", "Страница не найдена"), ("en", "Page not found")]
)
def test_unknown_region_code_gives_404_in_the_users_language(
    client, manager, regions, language, text
):
    client.force_login(manager)
    client.cookies["django_language"] = language

    response = client.get("/regions/00/")

    assert response.status_code == 404
    assert text in response.content.decode()


def test_map_page_links_every_placed_region_and_lists_the_rest(
    client, manager, regions
):
    client.force_login(manager)

    content = client.get(reverse("geo:region-map")).content.decode()

    assert content.count('<a href="/regions/') >= 85 + 4
    assert 'data-region="16"' in content
    assert "Нет на плиточной карте" in content
    assert "Росстат, оценка на 1 января 2025 г." in content


def test_export_gives_the_filtered_list_as_xlsx(client, manager, regions, tmp_path):
    client.force_login(manager)

    response = client.get(reverse("geo:region-export"), {"federal_district": "ural"})

    path = tmp_path / "regions.xlsx"
    path.write_bytes(response.content)
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Код", "Код ISO 3166-2", "Код ОКАТО", "Название")
    assert len(rows) == 1 + 6
    assert rows[2][:4] == ("66", "RU-SVE", "65", "Свердловская область")
    assert rows[2][6] == 4218204


def test_region_list_query_count_is_fixed(
    client, manager, regions, django_assert_max_num_queries
):
    client.force_login(manager)

    with django_assert_max_num_queries(4):
        client.get(reverse("geo:region-list"))


def test_search_ignores_nul_characters(client, manager, regions):
    client.force_login(manager)

    response = client.get("/api/v1/regions/", {"q": "каз\x00ань"})

    assert [item["code"] for item in response.json()["results"]] == ["16"]


def test_search_reads_yo_as_ye(client, manager, regions):
    client.force_login(manager)

    response = client.get(reverse("geo:region-list"), {"q": "Орел"})

    assert [region.code for region in response.context["regions"]] == ["57"]


def test_default_order_is_by_name_within_a_district(client, manager, regions):
    client.force_login(manager)

    response = client.get(reverse("geo:region-list"), {"federal_district": "central"})

    names = [region.name_ru for region in response.context["groups"][0].regions]
    assert names == sorted(names)
    assert names[0] == "Белгородская область" and names[-1] == "Ярославская область"


def test_fragment_responses_vary_on_the_htmx_header(client, manager, regions):
    client.force_login(manager)

    response = client.get(reverse("geo:region-list"))

    assert "HX-Request" in response["Vary"]


def test_partner_without_regions_is_told_to_ask_an_administrator(client, regions):
    from tests.core.factories import UserFactory

    client.force_login(UserFactory(role="partner"))

    content = client.get(reverse("geo:region-list")).content.decode()

    assert "Вам пока не назначен ни один регион" in content


def test_export_groups_thousands_in_number_cells(client, manager, regions, tmp_path):
    client.force_login(manager)

    response = client.get(reverse("geo:region-export"), {"q": "москва"})

    path = tmp_path / "moscow.xlsx"
    path.write_bytes(response.content)
    cell = load_workbook(path).active["G2"]
    assert (cell.value, cell.number_format) == (13258262, "#,##0")
