"""The headcount (sshr2019) and income/expenses (revexp) datasets, and the join."""

from datetime import date
from decimal import Decimal

import duckdb
import pytest

from creative_regions.registry.importer import run_import
from creative_regions.registry.selectors import registry_enriched_query
from creative_regions.registry.store import RegisterStore
from tests.registry.builders import document, register_file, valid_inn, write_zip

HEADER = '<?xml version="1.0" encoding="utf-8"?>\n'


def opendata_file(kind: str, documents: list[str], *, register_type: str) -> str:
    return (
        HEADER
        + f'<Файл ИдФайл="VO_OTKRDAN_{kind}_9965_9965_20250725_x" ВерсФорм="4.01" '
        f'ТипИнф="{register_type}" КолДок="{len(documents)}">'
        '<ИдОтпр><ФИООтв Фамилия="Т" Имя="Т"/></ИдОтпр>'
        + "".join(documents)
        + "</Файл>"
    )


def headcount_document(doc_id: str, inn: str, workers: str, year: int = 2024) -> str:
    return (
        f'<Документ ИдДок="{doc_id}" ДатаДок="25.07.2025" ДатаСост="31.12.{year}">'
        f'<СведНП НаимОрг="ООО &quot;Т&quot;" ИННЮЛ="{inn}"/>'
        f'<СведССЧР КолРаб="{workers}"/></Документ>'
    )


def finance_document(
    doc_id: str, inn: str, income: str, expenses: str, year=2024
) -> str:
    return (
        f'<Документ ИдДок="{doc_id}" ДатаДок="25.07.2025" ДатаСост="31.12.{year}">'
        f'<СведНП НаимОрг="ООО Т" ИННЮЛ="{inn}"/>'
        f'<СведДохРасх СумДоход="{income}" СумРасход="{expenses}"/></Документ>'
    )


@pytest.fixture
def stores(tmp_path):
    root = tmp_path / "registry"
    return {
        "rsmp": RegisterStore(root, "fns-rsmp"),
        "sshr": RegisterStore(root, "fns-sshr"),
        "revexp": RegisterStore(root, "fns-revexp"),
    }


def test_headcount_dataset_is_stored_with_bad_rows_quarantined(tmp_path, stores):
    archive = write_zip(
        tmp_path / "sshr.zip",
        {
            "VO_OTKRDAN_3_9965_9965_20250725_a.xml": opendata_file(
                "3",
                [
                    headcount_document("a", valid_inn(1), "12"),
                    headcount_document("b", "7704123451", "3"),
                    headcount_document("c", valid_inn(2), "много"),
                ],
                register_type="ОТКРДАННЫЕ3",
            )
        },
    )

    summary = run_import([archive], store=stores["sshr"], dataset="sshr", workers=1)

    assert summary.records_stored == 1
    assert summary.quarantine_reasons == {"invalid_inn": 1, "bad_number": 1}
    rows = duckdb.execute(
        "SELECT snapshot_date, inn, employees FROM read_parquet(?)",
        [stores["sshr"].parquet_glob()],
    ).fetchall()
    assert rows == [(date(2024, 12, 31), valid_inn(1), 12)]


def test_finance_amounts_are_exact(tmp_path, stores):
    archive = write_zip(
        tmp_path / "revexp.zip",
        {
            "VO_OTKRDAN_5_9965_9965_20250725_a.xml": opendata_file(
                "5",
                [finance_document("a", valid_inn(1), "120000000.10", "99999999.99")],
                register_type="ОТКРДАННЫЕ5",
            )
        },
    )

    run_import([archive], store=stores["revexp"], dataset="revexp", workers=1)

    income, expenses = duckdb.execute(
        "SELECT income, expenses FROM read_parquet(?)",
        [stores["revexp"].parquet_glob()],
    ).fetchall()[0]
    assert (income, expenses) == (Decimal("120000000.10"), Decimal("99999999.99"))


def test_a_register_file_given_as_another_dataset_is_refused(tmp_path, stores):
    archive = write_zip(
        tmp_path / "wrong.zip",
        {"VO_RRMSPSV_x.xml": register_file([document(doc_id="x")], file_id="x")},
    )

    headcount = run_import([archive], store=stores["sshr"], dataset="sshr", workers=1)
    finance = run_import([archive], store=stores["revexp"], dataset="revexp", workers=1)

    assert headcount.file_errors[0].message == (
        "ТипИнф is 'РЕЕСТРМСП', not 'ОТКРДАННЫЕ3': this file belongs to another dataset."
    )
    assert finance.file_errors[0].message == (
        "The documents have no <СведДохРасх>: not a file of the income and expenses "
        "dataset."
    )


def test_register_joins_last_years_headcount_and_finances_by_inn(tmp_path, stores):
    small, quiet, new = valid_inn(1), valid_inn(2), valid_inn(3)
    register = write_zip(
        tmp_path / "rsmp.zip",
        {
            "VO_RRMSPSV_a.xml": register_file(
                [
                    document(
                        doc_id="s", inn=small, headcount=None, snapshot="10.01.2025"
                    ),
                    document(
                        doc_id="q", inn=quiet, headcount="4", snapshot="10.01.2025"
                    ),
                    document(
                        doc_id="n", inn=new, headcount=None, snapshot="10.01.2025"
                    ),
                ],
                file_id="a",
            )
        },
    )
    headcount = write_zip(
        tmp_path / "sshr.zip",
        {
            "VO_OTKRDAN_3_a.xml": opendata_file(
                "3",
                [
                    headcount_document("1", small, "9", year=2024),
                    headcount_document("2", quiet, "5", year=2024),
                    headcount_document("3", new, "7", year=2023),
                ],
                register_type="ОТКРДАННЫЕ3",
            )
        },
    )
    finance = write_zip(
        tmp_path / "revexp.zip",
        {
            "VO_OTKRDAN_5_a.xml": opendata_file(
                "5",
                [finance_document("1", small, "1000.00", "800.50", year=2024)],
                register_type="ОТКРДАННЫЕ5",
            )
        },
    )
    run_import([register], store=stores["rsmp"], workers=1)
    sql, parameters = registry_enriched_query(
        register=stores["rsmp"], headcount=stores["sshr"], finance=stores["revexp"]
    )
    before = duckdb.execute(
        f"SELECT inn, employees_known, headcount, income FROM ({sql}) ORDER BY inn",
        parameters,
    ).fetchall()
    run_import([headcount], store=stores["sshr"], dataset="sshr", workers=1)
    run_import([finance], store=stores["revexp"], dataset="revexp", workers=1)
    sql, parameters = registry_enriched_query(
        register=stores["rsmp"], headcount=stores["sshr"], finance=stores["revexp"]
    )

    after = duckdb.execute(
        f"SELECT inn, employees_known, headcount, income, expenses FROM ({sql}) "
        "ORDER BY inn",
        parameters,
    ).fetchall()

    assert before == [
        (small, None, None, None),
        (quiet, 4, None, None),
        (new, None, None, None),
    ]
    assert after == [
        # the register has no headcount: the 2024 dataset's 9 fills it in
        (small, 9, 9, Decimal("1000.00"), Decimal("800.50")),
        # the register's own figure wins over the dataset's
        (quiet, 4, 5, None, None),
        # 2023 figures are not the year before a 2025 snapshot
        (new, None, None, None, None),
    ]
