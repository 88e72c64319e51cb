import pytest

from tests.e2e.conftest import screenshot, sign_in
from tests.registry.builders import (
    document,
    member_name,
    register_file,
    valid_inn,
    write_zip,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def immediate_tasks(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }


def test_analyst_imports_the_register_from_the_web(
    page, analyst_account, immediate_tasks, tmp_path
):
    archive = write_zip(
        tmp_path / "register.zip",
        {
            member_name(0): register_file(
                [
                    document(doc_id="a", inn=valid_inn(1)),
                    document(doc_id="b", inn=valid_inn(2), region="16"),
                    document(doc_id="bad", inn="7704123451"),
                ],
                file_id="f0",
            ),
            "readme.txt": "not xml",
        },
    )
    sign_in(page, "analyst")
    page.get_by_role("navigation").get_by_role("link", name="Реестр").click()
    page.get_by_text("Хранилище пусто").wait_for()
    page.get_by_role("link", name="Импортировать реестр").click()

    page.get_by_label("Архив или XML-файл").set_input_files(str(archive))
    page.get_by_role("button", name="Начать импорт").click()
    page.wait_for_url("**/registry/imports/*/")

    assert page.get_by_test_id("import-status").inner_text() == "завершён с ошибками"
    assert page.get_by_test_id("records-stored").inner_text() == "2"
    assert "Не XML-файл; пропущен." in page.get_by_test_id("file-errors").inner_text()
    screenshot(page, "registry-import-ru")

    page.get_by_role("link", name="Открыть карантин").click()
    assert page.get_by_test_id("quarantine-count").inner_text() == "1 запись"
    page.get_by_role("link", name="Реестр МСП").first.click()
    assert page.get_by_test_id("latest-records").inner_text() == "2"
    assert page.locator('[data-testid=tile-map] a[data-region="16"]').count() == 1
    screenshot(page, "registry-status-ru")
