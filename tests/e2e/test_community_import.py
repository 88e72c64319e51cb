from datetime import date

import pytest
from openpyxl import Workbook

from creative_regions.community.models import Organisation
from tests.community.factories import OrganisationFactory, company_inn
from tests.core.factories import UserFactory
from tests.e2e.conftest import screenshot, sign_in

pytestmark = pytest.mark.e2e


def english(page) -> None:
    page.get_by_test_id("language-en").click()
    page.wait_for_load_state()


def organisations_xlsx(path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["ИНН", "Наименование", "Регион", "Город", "Дата включения"])
    sheet.append([company_inn(1, "16"), "ООО «Дизайн-бюро»", "16", "Казань", None])
    sheet.append(["1600000012", "ООО «Ошибка»", "16", "Казань", None])
    sheet.append(
        [company_inn(2, "16"), "АНО «Креативный кластер»", "Татарстан", "", None]
    )
    sheet.append([None, "Арт-пространство «Штаб»", "ТАТ", "Казань", date(2024, 5, 1)])
    workbook.save(path)
    return path


def test_analyst_previews_an_xlsx_with_an_error_row_then_imports_it(
    page, analyst_account, tmp_path
):
    table = organisations_xlsx(tmp_path / "organisations.xlsx")
    sign_in(page, "analyst")
    english(page)
    page.goto("/community/import/")

    page.get_by_label("Organisations").check()
    page.get_by_label("Table").set_input_files(str(table))
    page.get_by_role("button", name="Preview").click()

    rows = page.get_by_test_id("import-rows").locator("tbody tr")
    assert rows.count() == 4
    errors = page.locator("tr[data-fate=error]")
    assert errors.count() == 1
    assert "INN failed its checksum" in errors.inner_text()
    assert page.get_by_test_id("count-create").inner_text() == "3"
    assert Organisation.objects.count() == 0
    # Leaving a column out sends the form again by HTMX; the preview comes back.
    with page.expect_response(
        lambda response: (
            response.url.endswith("/community/import/")
            and response.request.headers.get("hx-request") == "true"
        )
    ):
        page.get_by_label("City").select_option("")
    page.wait_for_selector("#import-preview form:not(.htmx-request)")
    assert page.get_by_label("City").input_value() == ""
    assert page.locator("tr[data-fate=error]").count() == 1
    screenshot(page, "community-import-preview-en")

    page.get_by_test_id("import-confirm").click()
    page.wait_for_url("**/community/imports/*/")

    assert page.get_by_test_id("count-create").inner_text() == "3"
    assert page.get_by_test_id("count-error").inner_text() == "1"
    assert "Failed" in page.locator("tr[data-fate=error]").inner_text()
    assert Organisation.objects.count() == 3
    assert not Organisation.objects.exclude(city="").exists()
    screenshot(page, "community-import-result-en")


def test_manager_merges_two_records_from_the_duplicates_page(page, reference_data):
    UserFactory(username="manager", role="manager")
    first = OrganisationFactory(full_name="ООО «Звук»", inn=None, city="Казань")
    second = OrganisationFactory(full_name="Звук", ogrn="1177746123455")
    OrganisationFactory(full_name="ООО «Свет»", ogrn="1027700132195")
    OrganisationFactory(full_name="Свет, ООО", inn=None)
    sign_in(page, "manager")
    english(page)

    page.goto("/community/duplicates/")
    groups = page.get_by_test_id("duplicate-group")
    assert groups.count() == 2
    assert "Same name in the region" in groups.first.inner_text()
    screenshot(page, "community-duplicates-en")

    groups.filter(has_text="Звук").get_by_test_id("merge-link").click()
    page.wait_for_url("**/merge/?a=*")
    screenshot(page, "community-merge-en")
    page.get_by_test_id("merge-confirm").click()
    page.wait_for_url("**/community/duplicates/?kind=organisations")

    assert page.get_by_test_id("duplicate-group").count() == 1
    survivor = Organisation.objects.get(pk=first.pk)
    assert (survivor.inn, survivor.ogrn) == (second.inn, "1177746123455")
