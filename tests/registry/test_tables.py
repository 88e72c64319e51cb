import csv
import hashlib
import io
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError, CommandParser
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook
from rich.console import Console

from creative_regions.core.exceptions import ApplicationError
from creative_regions.registry.models import RegistryImport, TableSourceMapping
from creative_regions.registry.schema import COLUMNS
from creative_regions.registry.services import registry_store
from creative_regions.registry.tables import registry_table_import
from creative_regions.registry.tables_cli import (
    add_import_table_arguments,
    handle_import_table,
)
from tests.registry.builders import valid_inn

pytestmark = pytest.mark.django_db

SNAPSHOT = date(2025, 1, 10)
SOURCE = "tatarstan-330fz"
OGRN = "1177746123455"
SOLE_TRADER_INN = "160000000153"
HEADER = [
    "ИНН",
    "Наименование",
    "Регион",
    "Основной ОКВЭД",
    "Дополнительные ОКВЭД",
    "Численность",
    "ОГРН",
    "Дата включения",
]


@pytest.fixture(autouse=True)
def data_folder(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    return settings.DATA_DIR


def write_csv(path: Path, rows: list[list[str]], header=HEADER) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows([header, *rows])
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")
    return path


def write_xlsx(path: Path, rows: list[list[object]], header=HEADER) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in [header, *rows]:
        sheet.append(row)
    workbook.save(path)
    return path


def regional_csv(folder: Path) -> Path:
    return write_csv(
        folder / "tatarstan.csv",
        [
            [
                valid_inn(1, "16"),
                "ООО Дизайн",
                "16",
                "74.10",
                "58.11, 59.11",
                "7",
                OGRN,
                "10.08.2017",
            ],
            [
                valid_inn(2, "16"),
                "ООО Звук",
                "Республика Татарстан",
                "59.20",
                "",
                "",
                "",
                "2020-05-01",
            ],
            ["1600000012", "ООО Ошибка", "16", "62.01", "", "3", "", ""],
            [valid_inn(3, "16"), "ООО Без региона", "", "62.01", "", "3", "", ""],
            [valid_inn(4, "16"), "ООО Много", "16", "62.01", "", "много", "", ""],
            [valid_inn(5, "16"), "ООО Дата", "16", "62.01", "", "1", "", "31.02.2020"],
            ["", "", "", "", "", "", "", ""],
            [
                SOLE_TRADER_INN,
                "Иванов Иван",
                "Tatarstan",
                "",
                "",
                "1",
                "1177746123456",
                "",
            ],
            [
                valid_inn(6, "16"),
                "ООО Нигде",
                "Неведомая область",
                "62.01",
                "",
                "1",
                "",
                "",
            ],
        ],
    )


def stored_rows(source: str = SOURCE) -> list[dict]:
    # The store's own columns, without the partition keys DuckDB reads from paths.
    result = duckdb.execute(
        f"SELECT {', '.join(COLUMNS)} FROM read_parquet(?) ORDER BY document_id",
        [registry_store(source).parquet_glob()],
    ).fetchall()
    return [dict(zip(COLUMNS, row, strict=True)) for row in result]


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(item.relative_to(root)): hashlib.sha256(item.read_bytes()).hexdigest()
        for item in sorted(root.rglob("*"))
        if item.is_file()
    }


def test_csv_register_stores_valid_rows_and_quarantines_the_rest(regions, tmp_path):
    registry_import = registry_table_import(
        path=regional_csv(tmp_path), source=SOURCE, snapshot=SNAPSHOT
    )

    rows = stored_rows()
    assert [(row["document_id"], row["inn"], row["region_code"]) for row in rows] == [
        ("row-2", valid_inn(1, "16"), "16"),
        ("row-3", valid_inn(2, "16"), "16"),
        ("row-9", SOLE_TRADER_INN, "16"),
    ]
    first, second, sole_trader = rows
    assert first == {
        "snapshot_date": SNAPSHOT,
        "inn": valid_inn(1, "16"),
        "ogrn": OGRN,
        "is_ogrn_valid": True,
        "kind": "legal_entity",
        "category": None,
        "name": "ООО Дизайн",
        "region_code": "16",
        "district": None,
        "city": None,
        "settlement": None,
        "okved_main": "74.10",
        "is_okved_from_reports": False,
        "okved_version": "2014",
        "okved_extra": ["58.11", "59.11"],
        "employees": 7,
        "included_date": date(2017, 8, 10),
        "is_new": None,
        "is_social_enterprise": None,
        "document_id": "row-2",
        "source_file": "tatarstan.csv",
    }
    assert (second["employees"], second["ogrn"], second["okved_extra"]) == (
        None,
        None,
        [],
    )
    assert second["included_date"] == date(2020, 5, 1)
    assert (sole_trader["kind"], sole_trader["okved_main"]) == ("sole_trader", None)
    assert (sole_trader["okved_version"], sole_trader["is_ogrn_valid"]) == (None, False)
    quarantine = list(
        registry_import.quarantine.order_by("pk").values_list(
            "file_name", "document_id", "inn", "reason", "detail"
        )
    )
    assert quarantine == [
        (
            "tatarstan.csv",
            "row-4",
            "1600000012",
            "invalid_inn",
            "Column “ИНН”: INN 1600000012 fails its checksum or length.",
        ),
        (
            "tatarstan.csv",
            "row-5",
            valid_inn(3, "16"),
            "missing_region",
            "Column “Регион”: the region is empty.",
        ),
        (
            "tatarstan.csv",
            "row-6",
            valid_inn(4, "16"),
            "bad_number",
            "Column “Численность”: “много” is not a whole number.",
        ),
        (
            "tatarstan.csv",
            "row-7",
            valid_inn(5, "16"),
            "bad_date",
            "Column “Дата включения”: “31.02.2020” is not a date (DD.MM.YYYY or YYYY-MM-DD).",
        ),
        (
            "tatarstan.csv",
            "row-10",
            valid_inn(6, "16"),
            "invalid_region",
            "Column “Регион”: “Неведомая область” is neither a 2-digit region code nor the name of a region.",
        ),
    ]
    registry_import.refresh_from_db()
    assert registry_import.status == RegistryImport.Status.SUCCEEDED
    assert registry_import.source == SOURCE
    assert (registry_import.records_read, registry_import.quarantined) == (3, 5)
    assert (registry_import.records_stored, registry_import.snapshots) == (
        3,
        ["2025-01-10"],
    )
    assert not registry_store("fns-rsmp").source_dir.exists()


def test_xlsx_register_reads_number_and_date_cells(regions, tmp_path):
    bashkir_inn = valid_inn(5, "02")
    table = write_xlsx(
        tmp_path / "list.xlsx",
        [
            [
                int(bashkir_inn),
                "ООО Ноль",
                "Республика Башкортостан",
                "90.01",
                None,
                12,
                int(OGRN),
                datetime(2019, 3, 1),
            ],
            [
                int(valid_inn(7, "77")),
                "ООО Москва",
                "Москва",
                "62.01",
                "62.02; 63.11",
                4.0,
                None,
                "01.02.2021",
            ],
            [int(valid_inn(8, "77")), "ООО Число", 77, 74.1, None, None, None, None],
        ],
    )

    registry_import = registry_table_import(
        path=table, source="analyst-list", snapshot=SNAPSHOT
    )

    rows = stored_rows("analyst-list")
    assert [
        (
            row["inn"],
            row["region_code"],
            row["okved_extra"],
            row["employees"],
            row["included_date"],
        )
        for row in rows
    ] == [
        (bashkir_inn, "02", [], 12, date(2019, 3, 1)),
        (valid_inn(7, "77"), "77", ["62.02", "63.11"], 4, date(2021, 2, 1)),
    ]
    assert rows[0]["ogrn"] == OGRN
    assert list(
        registry_import.quarantine.values_list("document_id", "reason", "detail")
    ) == [
        (
            "row-4",
            "bad_number",
            "Column “Основной ОКВЭД”: the code 74.1 is stored as a number, so a trailing zero may be lost (74.10 reads 74.1); format the column as text.",
        ),
    ]


def test_region_given_for_every_row_fills_a_table_without_a_region_column(tmp_path):
    table = write_csv(
        tmp_path / "karelia.csv",
        [[valid_inn(1, "10"), "ООО Онего"], [valid_inn(2, "10"), "ООО Кижи"]],
        header=["ИНН", "Название"],
    )

    registry_table_import(
        path=table, source="karelia", snapshot=SNAPSHOT, region_code="10"
    )

    assert [(row["region_code"], row["name"]) for row in stored_rows("karelia")] == [
        ("10", "ООО Онего"),
        ("10", "ООО Кижи"),
    ]


def test_table_without_a_region_column_or_region_is_refused(tmp_path):
    table = write_csv(tmp_path / "t.csv", [[valid_inn(1)]], header=["ИНН"])

    with pytest.raises(ApplicationError) as error:
        registry_table_import(path=table, source="karelia", snapshot=SNAPSHOT)

    assert error.value.message == (
        "В файле нет столбца региона. В заголовке есть: «ИНН». Укажите столбец "
        "региона или регион для всех строк."
    )
    assert error.value.field == "column_region_code"


def test_mapping_is_remembered_for_the_next_file_of_the_source(analyst, tmp_path):
    header = ["Идентификатор", "Организация", "Субъект (код)"]
    first = write_csv(
        tmp_path / "first.csv", [[valid_inn(1, "16"), "ООО А", "16"]], header=header
    )
    second = write_csv(
        tmp_path / "second.csv", [[valid_inn(2, "16"), "ООО Б", "16"]], header=header
    )

    registry_table_import(
        path=first,
        source=SOURCE,
        snapshot=SNAPSHOT,
        mapping_overrides={
            "inn": "идентификатор",
            "name": "Организация",
            "region_code": "Субъект (код)",
        },
        user=analyst,
    )
    registry_table_import(path=second, source=SOURCE, snapshot=SNAPSHOT)

    mapping = TableSourceMapping.objects.get(source=SOURCE)
    assert mapping.mapping == {
        "inn": "Идентификатор",
        "name": "Организация",
        "region_code": "Субъект (код)",
    }
    assert mapping.updated_by == analyst
    assert [(row["name"], row["source_file"]) for row in stored_rows()] == [
        ("ООО А", "first.csv"),
        ("ООО Б", "second.csv"),
    ]


def test_the_same_file_twice_leaves_the_store_identical(regions, tmp_path, data_folder):
    table = regional_csv(tmp_path)
    registry_table_import(path=table, source=SOURCE, snapshot=SNAPSHOT)
    before = tree_digest(data_folder / "registry")

    again = registry_table_import(path=table, source=SOURCE, snapshot=SNAPSHOT)

    assert tree_digest(data_folder / "registry") == before
    assert (again.status, again.files_skipped, again.quarantined) == ("succeeded", 1, 0)
    assert (
        again.message
        == "The file was imported before for this snapshot; the store is unchanged."
    )
    assert len(registry_store(SOURCE).manifest()) == 1


def test_the_tax_register_source_is_refused(tmp_path, data_folder):
    with pytest.raises(ApplicationError) as error:
        registry_table_import(
            path=regional_csv(tmp_path), source="fns-rsmp", snapshot=SNAPSHOT
        )

    assert error.value.message == (
        "«fns-rsmp» — источник налогового реестра; дайте таблице другое имя."
    )
    assert error.value.field == "source"
    assert not RegistryImport.objects.exists()
    assert not (data_folder / "registry").exists()


def test_a_file_without_an_inn_column_is_refused_and_nothing_stored(
    tmp_path, data_folder
):
    table = write_csv(
        tmp_path / "t.csv", [["ООО А", "16"]], header=["Наименование", "Регион"]
    )

    with pytest.raises(ApplicationError) as error:
        registry_table_import(path=table, source=SOURCE, snapshot=SNAPSHOT)

    assert error.value.message == (
        "В файле нет столбца ИНН. В заголовке есть: «Наименование», «Регион». "
        "Укажите, в каком столбце ИНН."
    )
    assert not RegistryImport.objects.exists()
    assert not TableSourceMapping.objects.exists()
    assert not (data_folder / "registry").exists()


def test_a_mapped_column_missing_from_the_file_is_refused_by_name(tmp_path):
    table = write_csv(
        tmp_path / "t.csv", [[valid_inn(1), "77"]], header=["ИНН", "Регион"]
    )

    with pytest.raises(ApplicationError) as error:
        registry_table_import(
            path=table,
            source=SOURCE,
            snapshot=SNAPSHOT,
            mapping_overrides={"employees": "Штат"},
        )

    assert error.value.message == (
        "Столбца «Штат», указанного для поля численность работников, нет в файле. "
        "В заголовке есть: «ИНН», «Регион»."
    )
    assert error.value.field == "column_employees"


def test_a_table_without_one_valid_row_fails_and_keeps_no_trace_in_the_store(tmp_path):
    table = write_csv(tmp_path / "t.csv", [["123", "77"]], header=["ИНН", "Регион"])

    registry_import = registry_table_import(
        path=table, source=SOURCE, snapshot=SNAPSHOT
    )

    assert registry_import.status == RegistryImport.Status.FAILED
    assert list(registry_import.quarantine.values_list("reason", flat=True)) == [
        "invalid_inn"
    ]
    assert registry_store(SOURCE).manifest() == []
    assert not TableSourceMapping.objects.exists()


def run_cli(*arguments: str) -> str:
    parser = CommandParser(prog="registry")
    add_import_table_arguments(parser.add_subparsers(dest="action", required=True))
    options = vars(parser.parse_args(["import-table", *arguments]))
    output = io.StringIO()
    # The command line speaks English, whatever language an earlier test left on.
    with translation.override("en"):
        handle_import_table(Console(file=output, width=400, highlight=False), options)
    return output.getvalue()


def test_command_line_import_prints_the_outcome(regions, tmp_path):
    table = regional_csv(tmp_path)

    output = run_cli(str(table), "--snapshot", "2025-01-10", "--source", SOURCE)

    assert "Rows read: 8; valid: 3; quarantined: 5." in output
    assert "Records in the snapshot: 3; duplicates merged: 0." in output
    assert "quarantined, invalid_inn: 1" in output
    columns_line = next(
        line for line in output.splitlines() if line.startswith("Columns:")
    )
    assert columns_line.startswith(
        "Columns: inn = “ИНН”; name = “Наименование”; region_code = “Регион”"
    ), output


def test_command_line_map_and_region_options(tmp_path):
    table = write_csv(
        tmp_path / "t.csv", [[valid_inn(1, "10"), "ООО А"]], header=["Код", "Кто"]
    )

    run_cli(
        str(table),
        "--snapshot",
        "2025-01-10",
        "--source",
        "karelia",
        "--map",
        "inn=Код",
        "--map",
        "name=Кто",
        "--region",
        "10",
    )

    assert [(row["name"], row["region_code"]) for row in stored_rows("karelia")] == [
        ("ООО А", "10")
    ]


def test_command_line_refusal_is_a_command_error(tmp_path):
    table = write_csv(tmp_path / "t.csv", [["ООО А"]], header=["Наименование"])

    with pytest.raises(CommandError, match="The file has no INN column"):
        run_cli(
            str(table), "--snapshot", "2025-01-10", "--source", SOURCE, "--region", "16"
        )


def form_data(upload, **values):
    return {
        "file": upload,
        "source": SOURCE,
        "snapshot": "2025-01-10",
        "region": "",
        **values,
    }


def test_analyst_uploads_a_table_and_is_taken_to_the_import(
    client, analyst, regions, tmp_path
):
    client.force_login(analyst)
    upload = SimpleUploadedFile("tatarstan.csv", regional_csv(tmp_path).read_bytes())

    response = client.post(reverse("registry:table-import"), form_data(upload))

    registry_import = RegistryImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/registry/imports/{registry_import.pk}/"
    assert (registry_import.created_by, registry_import.records_stored) == (analyst, 3)
    assert registry_import.quarantine.count() == 5
    assert client.get(response["Location"]).status_code == 200


def test_a_refused_upload_keeps_the_file_and_offers_its_columns(
    client, analyst, regions, tmp_path
):
    client.force_login(analyst)
    table = write_csv(
        tmp_path / "t.csv",
        [[valid_inn(1, "16"), "ООО А"]],
        header=["Код", "Наименование"],
    )
    upload = SimpleUploadedFile("t.csv", table.read_bytes())

    refused = client.post(
        reverse("registry:table-import"), form_data(upload, region="16")
    )
    form = refused.context["form"]
    corrected = client.post(
        reverse("registry:table-import"),
        {
            **form_data(None, region="16"),
            "file": "",
            "upload": form["upload"].value(),
            "column_inn": "Код",
            "column_name": "Наименование",
        },
    )

    assert refused.status_code == 400
    assert form.headers == ["Код", "Наименование"]
    assert form.errors["column_inn"][0].startswith("В файле нет столбца ИНН.")
    assert corrected.status_code == 302
    assert TableSourceMapping.objects.get().mapping == {
        "inn": "Код",
        "name": "Наименование",
    }
    assert RegistryImport.objects.count() == 1


@pytest.mark.parametrize("who", ["expert", "manager", "partner_tatarstan"])
def test_only_importers_may_upload_tables(client, request, who, tmp_path):
    client.force_login(request.getfixturevalue(who))
    upload = SimpleUploadedFile("t.csv", b"x")

    assert client.get(reverse("registry:table-import")).status_code == 403
    assert (
        client.post(reverse("registry:table-import"), form_data(upload)).status_code
        == 403
    )
    assert not RegistryImport.objects.exists()
