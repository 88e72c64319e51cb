import csv
import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from creative_regions.registry.models import QuarantinedRecord, RegistryImport
from creative_regions.registry.services import (
    registry_import_create,
    registry_import_run,
)
from tests.registry.builders import (
    document,
    member_name,
    register_file,
    valid_inn,
    write_zip,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def data_folder(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    return settings.DATA_DIR


def mixed_archive(folder):
    return write_zip(
        folder / "register.zip",
        {
            member_name(0): register_file(
                [
                    document(doc_id="good", inn=valid_inn(1)),
                    document(doc_id="bad-inn", inn="7704123451"),
                    document(doc_id="no-region", inn=valid_inn(2), region=None),
                ],
                file_id="f0",
            ),
            member_name(1): "<Root/>",
        },
    )


def test_run_records_counts_quarantine_and_file_errors(data_folder):
    registry_import = registry_import_create(paths=[mixed_archive(data_folder)])

    registry_import_run(registry_import=registry_import, workers=1)

    registry_import.refresh_from_db()
    assert registry_import.status == RegistryImport.Status.PARTIAL
    assert (registry_import.files_total, registry_import.files_done) == (2, 2)
    assert (registry_import.files_failed, registry_import.records_read) == (1, 1)
    assert (registry_import.records_stored, registry_import.quarantined) == (1, 2)
    assert registry_import.snapshots == ["2026-07-10"]
    assert registry_import.file_errors[0]["message"].startswith(
        "The root element is <Root>"
    )
    reasons = sorted(registry_import.quarantine.values_list("document_id", "reason"))
    assert reasons == [("bad-inn", "invalid_inn"), ("no-region", "missing_region")]


@pytest.mark.parametrize(
    "language,problem,outcome",
    [
        (
            "ru",
            "Корневой элемент — <Root>, а не <Файл>: это не файл набора «Реестр МСП».",
            "завершён с ошибками",
        ),
        (
            "en",
            "The root element is <Root>, not <Файл>: not a file of the SME register.",
            "finished with errors",
        ),
    ],
)
def test_file_problems_are_shown_in_the_readers_language(
    client, analyst, data_folder, language, problem, outcome
):
    registry_import = registry_import_create(paths=[mixed_archive(data_folder)])
    registry_import_run(registry_import=registry_import, workers=1)
    client.force_login(analyst)
    client.cookies["django_language"] = language

    page = client.get(registry_import.get_absolute_url()).content.decode()

    assert html.escape(problem, quote=False) in page
    assert outcome in page


def test_nothing_importable_fails_the_run_with_a_message(data_folder):
    registry_import = registry_import_create(paths=[data_folder / "nope.zip"])

    registry_import_run(registry_import=registry_import, workers=1)

    registry_import.refresh_from_db()
    assert registry_import.status == RegistryImport.Status.FAILED
    assert registry_import.message == "Nothing could be imported."


def test_analyst_uploads_an_archive_and_sees_the_outcome(
    client, analyst, data_folder, django_capture_on_commit_callbacks
):
    client.force_login(analyst)
    archive = mixed_archive(data_folder / "..")
    upload = SimpleUploadedFile("register.zip", archive.read_bytes())

    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(reverse("registry:import-create"), {"file": upload})
    registry_import = RegistryImport.objects.get()
    page = client.get(created["Location"])

    assert created["Location"] == f"/registry/imports/{registry_import.pk}/"
    assert "завершён с ошибками" in page.content.decode()
    assert registry_import.created_by == analyst
    assert registry_import.records_stored == 1
    assert str(data_folder / "uploads") in registry_import.paths[0]


def test_server_path_outside_the_data_folder_is_refused(client, analyst, data_folder):
    client.force_login(analyst)

    response = client.post(
        reverse("registry:import-create"), {"server_path": "../../etc"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["server_path"] == [
        "Путь должен оставаться внутри папки данных."
    ]
    assert not RegistryImport.objects.exists()


def test_form_needs_exactly_one_of_file_and_path(client, analyst, data_folder):
    client.force_login(analyst)

    response = client.post(reverse("registry:import-create"), {})

    assert response.status_code == 400
    assert response.context["form"].non_field_errors()


def test_quarantine_is_browsable_and_downloadable_as_csv(client, analyst, data_folder):
    registry_import = registry_import_create(paths=[mixed_archive(data_folder)])
    registry_import_run(registry_import=registry_import, workers=1)
    client.force_login(analyst)

    page = client.get(
        reverse("registry:import-quarantine", args=[registry_import.pk]),
        {"reason": "invalid_inn"},
    )
    download = client.get(
        reverse("registry:import-quarantine-export", args=[registry_import.pk])
    )

    assert [record.document_id for record in page.context["page"]] == ["bad-inn"]
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["file", "document_id", "inn", "reason", "detail"]
    assert sorted(row[3] for row in rows[1:]) == ["invalid_inn", "missing_region"]


def test_status_page_shows_snapshots_and_map(client, manager, regions, data_folder):
    registry_import_run(
        registry_import=registry_import_create(paths=[mixed_archive(data_folder)]),
        workers=1,
    )
    client.force_login(manager)

    response = client.get(reverse("registry:status"))

    assert response.status_code == 200
    assert response.context["latest"].records == 1
    assert response.context["map"].tiles
    assert "10 июля 2026 г." in response.content.decode()


def test_status_page_on_an_empty_store_says_what_to_do(client, manager, data_folder):
    client.force_login(manager)

    content = client.get(reverse("registry:status")).content.decode()

    assert "Хранилище пусто" in content


@pytest.mark.parametrize(
    "who,page_status,import_status",
    [
        ("partner_tatarstan", 403, 403),
        ("expert", 200, 403),
        ("manager", 200, 403),
        ("analyst", 200, 200),
    ],
)
def test_register_pages_by_role(
    client, request, who, page_status, import_status, data_folder
):
    client.force_login(request.getfixturevalue(who))

    assert client.get(reverse("registry:status")).status_code == page_status
    assert client.get(reverse("registry:import-create")).status_code == import_status


def test_quarantine_reasons_have_labels_for_every_parser_reason():
    from creative_regions.registry.parsers import Reason

    codes = {value for name, value in vars(Reason).items() if not name.startswith("_")}
    assert codes == set(QuarantinedRecord.Reason.values)


def test_web_import_of_the_headcount_dataset_goes_to_its_own_source(
    client, analyst, data_folder, django_capture_on_commit_callbacks
):
    content = (
        '<?xml version="1.0" encoding="utf-8"?><Файл ТипИнф="ОТКРДАННЫЕ3" КолДок="1">'
        '<Документ ИдДок="1" ДатаСост="31.12.2024"><СведНП НаимОрг="ООО" '
        f'ИННЮЛ="{valid_inn(1)}"/><СведССЧР КолРаб="5"/></Документ></Файл>'
    )
    write_zip(data_folder / "sshr.zip", {"VO_OTKRDAN_3_x.xml": content})
    client.force_login(analyst)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("registry:import-create"),
            {"dataset": "sshr", "server_path": "sshr.zip"},
        )
    status = client.get(reverse("registry:status"))

    registry_import = RegistryImport.objects.get()
    assert (registry_import.source, registry_import.records_stored) == ("fns-sshr", 1)
    assert [(row.source, row.records) for row in status.context["sources"]] == [
        ("fns-sshr", 1)
    ]
