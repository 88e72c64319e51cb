"""Research runs: recorded, computed, stored, exported — from services and the
command line, on a small register written in the store's layout."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import load_workbook

from creative_regions.core.exceptions import ApplicationError
from creative_regions.research.models import (
    LeaderRow,
    ProfileCell,
    RankingRow,
    ResearchRun,
    SectorTotal,
)
from creative_regions.research.selectors import EXPORT_COLUMNS, research_export_rows
from creative_regions.research.services import (
    research_run_create,
    research_run_execute,
)
from tests.research.test_engine import BASE, TARGET, Firm, write_register

pytestmark = pytest.mark.django_db

# Moscow: two publishers (58.11, «Книжное дело») that grow from 10 + 10 to 30 + 10,
# a shop. Tatarstan: one publisher of 5 that stays at 5, a theatre (90.01) new at
# the target with 8, a shop.
FIRMS = [
    Firm("7700000001", "77", "58.11", base=10, target=30, name="ИЗДАТЕЛЬСТВО А"),
    Firm("7700000002", "77", "58.11", base=10, target=10, name="ИЗДАТЕЛЬСТВО Б"),
    Firm("7700000003", "77", "47.11", base=100, target=100),
    Firm("1600000001", "16", "58.11", base=5, target=5),
    Firm("1600000002", "16", "90.01", target=8, name="ТЕАТР"),
    Firm("1600000003", "16", "47.11", base=50, target=60),
]


@pytest.fixture
def store(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    write_register(tmp_path / "registry", FIRMS)
    return tmp_path / "registry"


def test_a_run_stores_every_table_with_the_engine_numbers(
    store, regions, classifications
):
    run = research_run_create(classification=classifications["ru-minec-16"])

    run = research_run_execute(run=run)

    assert run.status == ResearchRun.Status.SUCCEEDED
    assert (run.base_snapshot, run.target_snapshot) == (BASE, TARGET)
    moscow = ProfileCell.objects.get(run=run, region_code="77", sector="Книжное дело")
    assert (moscow.organisations, moscow.employees, moscow.employees_base) == (
        2,
        40,
        20,
    )
    # All employees: Moscow 140 of 213 at the target (77: 30+10+100; 16: 5+8+60).
    # LQ of Moscow's publishing = (40 / 140) / (45 / 213) = 1.3524…
    assert moscow.lq_employees == pytest.approx((40 / 140) / (45 / 213))
    assert moscow.region == regions["77"]
    theatre = ProfileCell.objects.get(
        run=run, region_code="16", sector__startswith="Исп"
    )
    assert theatre.cagr_employees is None and theatre.employees_base == 0
    leaders = LeaderRow.objects.filter(run=run, region_code="77").order_by("rank")
    assert [(row.name, row.employees, row.share) for row in leaders] == [
        ("ИЗДАТЕЛЬСТВО А", 30, 0.75),
        ("ИЗДАТЕЛЬСТВО Б", 10, 0.25),
    ]
    assert RankingRow.objects.filter(run=run).count() == 2
    assert SectorTotal.objects.filter(run=run).count() == 2
    assert run.timings["compute"] >= 0 and run.timings["store"] >= 0


def test_a_run_computed_again_replaces_its_results(store, classifications):
    run = research_run_execute(
        run=research_run_create(classification=classifications["ru-minec-16"])
    )
    before = list(ProfileCell.objects.filter(run=run).values_list("pk", flat=True))

    research_run_execute(run=run)

    after = ProfileCell.objects.filter(run=run)
    assert after.count() == len(before)
    assert not after.filter(pk__in=before).exists()


@pytest.mark.parametrize(
    "arguments,field,message",
    [
        (
            {"base": TARGET, "target": BASE},
            "base",
            "The base snapshot (2024-01-10) must be earlier than the target "
            "(2019-01-10).",
        ),
        (
            {"base": date(2020, 1, 10)},
            "base",
            "The store has no snapshot of 2020-01-10; it has: 2019-01-10, 2024-01-10.",
        ),
        (
            {"parameters": {"weights": {"size": -1}}},
            "weights",
            "Weights cannot be negative.",
        ),
        (
            {"parameters": {"colour": "red"}},
            "parameters",
            "Unknown parameters: colour.",
        ),
    ],
)
def test_a_bad_run_is_refused_naming_the_field_and_leaves_nothing(
    store, classifications, arguments, field, message
):
    with translation.override("en"), pytest.raises(ApplicationError) as raised:
        research_run_create(classification=classifications["ru-minec-16"], **arguments)

    assert (raised.value.field, raised.value.message) == (field, message)
    assert not ResearchRun.objects.exists()


def test_an_empty_store_is_refused(settings, tmp_path, classifications):
    settings.DATA_DIR = tmp_path

    with translation.override("en"), pytest.raises(ApplicationError) as raised:
        research_run_create(classification=classifications["ru-minec-16"])

    assert raised.value.message == (
        "The register store is empty: import a register first."
    )


def test_a_partner_exports_only_their_regions(
    store, classifications, partner_tatarstan
):
    run = research_run_execute(
        run=research_run_create(classification=classifications["ru-minec-16"])
    )

    _, rows = research_export_rows(run=run, table="profile", user=partner_tatarstan)

    assert {row[0] for row in rows} == {"16"}


def test_command_line_run_and_exports(store, regions, classifications, tmp_path):
    call_command("research", "run", "--base", "2019-01-10", "--target", "2024-01-10")
    profile_csv = tmp_path / "out" / "profile.csv"
    ranking_xlsx = tmp_path / "out" / "ranking.xlsx"

    call_command("research", "export", "--run", "latest", "--out", str(profile_csv))
    call_command("research", "export-ranking", "--out", str(ranking_xlsx))
    call_command("research", "export-leaders", "--out", str(tmp_path / "l.csv"))

    with open(profile_csv, encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert tuple(rows[0]) == EXPORT_COLUMNS["profile"]
    moscow = next(
        row
        for row in rows
        if row["region_code"] == "77" and row["sector"] == "Книжное дело"
    )
    # Unrounded: the CSV carries every digit of the float.
    assert float(moscow["lq_employees"]) == (40 / 140) / (45 / 213)
    assert moscow["cagr_employees"] == repr((40 / 20) ** (1 / (1826 / 365.25)) - 1)
    sheet = load_workbook(ranking_xlsx).active
    assert tuple(cell.value for cell in sheet[1]) == EXPORT_COLUMNS["ranking"]
    assert sheet.max_row == 3
    with open(tmp_path / "l.csv", encoding="utf-8") as file:
        assert next(csv.reader(file)) == list(EXPORT_COLUMNS["leaders"])


def test_command_line_errors_are_plain(store, classifications, tmp_path):
    with pytest.raises(CommandError, match="No finished research run yet"):
        call_command("research", "export", "--out", str(tmp_path / "p.csv"))
    with pytest.raises(CommandError, match=r"must end in \.csv or \.xlsx"):
        call_command("research", "export", "--out", str(tmp_path / "p.txt"))
    with pytest.raises(CommandError, match="no snapshot of 2021-01-10"):
        call_command("research", "run", "--base", "2021-01-10")
    with pytest.raises(CommandError, match="No classification 'nope'"):
        call_command("research", "run", "--classification", "nope")
