import pytest

from tests.e2e.conftest import screenshot, sign_in

pytestmark = pytest.mark.e2e


def test_analyst_sees_row_errors_then_imports_a_fixed_file(
    page, analyst_account, tmp_path
):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "code,sector\n58.11,Книжное дело\n58.1x,Медиа\n62.01,\n", encoding="utf-8"
    )
    good = tmp_path / "good.csv"
    good.write_text(
        "code,sector\n58.11,Книжное дело\n62.01,Программное обеспечение\n",
        encoding="utf-8",
    )
    sign_in(page, "analyst")
    page.goto("/classifications/ru-minec-16/")
    page.get_by_role("link", name="Импортировать новую версию").click()

    page.get_by_label("Файл").set_input_files(str(bad))
    page.get_by_label("Название версии").fill("2026")
    page.get_by_role("button", name="Импортировать").click()

    errors = page.get_by_test_id("row-errors")
    assert errors.locator("tbody tr").count() == 2
    assert "58.1x" in errors.inner_text()
    screenshot(page, "classification-import-errors-ru")

    page.get_by_label("Файл").set_input_files(str(good))
    page.get_by_role("button", name="Импортировать").click()
    page.wait_for_url("**/classifications/ru-minec-16/?version=*")

    assert page.get_by_test_id("entry-count").inner_text() == "2 кода"
    page.get_by_label("Код вида деятельности").fill("62.01.1")
    page.get_by_role("button", name="Проверить").click()
    assert "Программное обеспечение" in page.get_by_test_id("match-result").inner_text()
    screenshot(page, "classification-ru")
