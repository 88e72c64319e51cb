"""The research engine on small registers written as Parquet, against values
computed by hand (the arithmetic is written next to each expected value)."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creative_regions.registry.schema import RECORD_SCHEMA
from creative_regions.registry.store import RegisterStore
from creative_regions.registry.summaries import LEADERS_PER_CODE
from creative_regions.research.engine import (
    SUB_SCORES,
    GrowthCriteria,
    ResearchInputError,
    research_compute,
    research_snapshots,
)
from creative_regions.research.parsers import best_match

BASE = date(2019, 1, 10)
TARGET = date(2024, 1, 10)
# 1826 days: five years with one 29 February between them.
YEARS = (TARGET - BASE).days / 365.25
SECTORS = [("58.11", "Книгоиздание"), ("62.01", "ИТ"), ("90", "Искусство")]
ABSENT = object()


@dataclass(frozen=True)
class Firm:
    """A firm in a test register: its headcount at each snapshot, ``ABSENT`` when
    it is not in the register then, ``None`` when it is but reports no headcount.
    ``okved_base`` is its code at t0 when it differs from ``okved``."""

    inn: str
    region: str
    okved: str | None
    base: object = ABSENT
    target: object = ABSENT
    name: str | None = None
    okved_base: str | None = None

    def code_at(self, attribute: str) -> str | None:
        if attribute == "base" and self.okved_base is not None:
            return self.okved_base
        return self.okved


def write_register(
    root: Path, firms: list[Firm], *, base=BASE, target=TARGET
) -> RegisterStore:
    """Writes the firms in the store's layout, one partition per snapshot."""
    store = RegisterStore(root, "fns-rsmp")
    for snapshot, attribute in ((base, "base"), (target, "target")):
        present = [firm for firm in firms if getattr(firm, attribute) is not ABSENT]
        if not present:
            continue
        columns = {
            "snapshot_date": [snapshot] * len(present),
            "inn": [firm.inn for firm in present],
            "kind": ["legal_entity"] * len(present),
            "name": [firm.name or f"ООО {firm.inn}" for firm in present],
            "region_code": [firm.region for firm in present],
            "okved_main": [firm.code_at(attribute) for firm in present],
            "employees": [getattr(firm, attribute) for firm in present],
            "source_file": ["test.xml"] * len(present),
        }
        arrays = [
            pa.array(columns[field.name], field.type)
            if field.name in columns
            else pa.nulls(len(present), field.type)
            for field in RECORD_SCHEMA
        ]
        folder = store.partition_dir(snapshot)
        folder.mkdir(parents=True)
        pq.write_table(
            pa.Table.from_arrays(arrays, schema=RECORD_SCHEMA),
            folder / "part-0.parquet",
        )
    return store


def rows_by(table: pa.Table, *keys: str) -> dict:
    return {
        tuple(row[key] for key in keys) if len(keys) > 1 else row[keys[0]]: row
        for row in table.to_pylist()
    }


# Two regions. Moscow (77): two IT firms that double, one IT firm without a
# headcount, a publisher that halves, a shop, an art studio new at the target.
# Tatarstan (16): an IT firm under a subclass code, a shop, a publisher that
# closes, a firm without an activity code.
MAIN_REGISTER = [
    Firm("7701000001", "77", "62.01", base=100, target=200),
    Firm("7701000002", "77", "62.01", base=50, target=100),
    Firm("7701000008", "77", "62.01", target=None),
    Firm("7701000003", "77", "58.11", base=20, target=10),
    Firm("7701000004", "77", "47.11", base=230, target=290),
    Firm("7701000005", "77", "90.01", target=5),
    Firm("1601000006", "16", "62.01.1", base=50, target=60),
    Firm("1601000007", "16", "47.11", base=450, target=540),
    Firm("1601000009", "16", "58.11", base=15),
    Firm("1601000010", "16", None, base=5, target=105),
]
# Employees: region 77 = 100 + 50 + 20 + 230 = 400 at t0, 200 + 100 + 10 + 290 + 5
# = 605 at t1; region 16 = 50 + 450 + 15 + 5 = 520 at t0, 60 + 540 + 105 = 705 at t1.
NATION_BASE, NATION_TARGET = 400 + 520, 605 + 705
NATIONAL_GROWTH = NATION_TARGET / NATION_BASE - 1
IT_GROWTH = (200 + 100 + 60) / (100 + 50 + 50) - 1  # 360 / 200 - 1 = 0.8
BOOK_GROWTH = 10 / (20 + 15) - 1


@pytest.fixture
def main_result(tmp_path):
    return research_compute(
        write_register(tmp_path, MAIN_REGISTER),
        sectors=SECTORS,
        base=BASE,
        target=TARGET,
    )


def test_profile_has_the_agreed_columns_in_order(main_result):
    assert main_result.profile.column_names == [
        "region_code",
        "sector",
        "snapshot",
        "organisations",
        "employees",
        "employees_coverage",
        "organisations_base",
        "employees_base",
        "lq_organisations",
        "lq_employees",
        "cagr_organisations",
        "cagr_employees",
        "ss_national",
        "ss_industry_mix",
        "ss_regional",
        "hhi_employees",
        "cr3_employees",
        "cr5_employees",
        "cluster_stars",
        "growth_class",
        "is_growth_point",
    ]
    assert main_result.snapshots == (BASE, TARGET)
    # Only sectors present in a region at t0 or t1; the shop and the firm without
    # a code are in no sector.
    assert sorted(rows_by(main_result.profile, "region_code", "sector")) == [
        ("16", "ИТ"),
        ("16", "Книгоиздание"),
        ("77", "ИТ"),
        ("77", "Искусство"),
        ("77", "Книгоиздание"),
    ]


def test_profile_of_a_growing_sector(main_result):
    it = rows_by(main_result.profile, "region_code", "sector")[("77", "ИТ")]

    assert it["snapshot"] == TARGET
    assert (it["organisations"], it["employees"]) == (3, 300)
    assert it["employees_coverage"] == pytest.approx(2 / 3)  # one firm of 3 has none
    assert (it["organisations_base"], it["employees_base"]) == (2, 150)
    # Organisations at t1: 3 of the region's 6, 4 IT firms of the nation's 9.
    assert it["lq_organisations"] == pytest.approx((3 / 6) / (4 / 9))
    assert it["lq_employees"] == pytest.approx((300 / 605) / (360 / 1310))
    # Five years (1826 days): CAGR = ratio ^ (365.25 / 1826) - 1.
    assert it["cagr_organisations"] == pytest.approx((3 / 2) ** (1 / YEARS) - 1)
    assert it["cagr_employees"] == pytest.approx(2 ** (1 / YEARS) - 1)  # ≈ 0.1487
    # Shift-share on employees, X_ir,t0 = 150, g_ir = 300 / 150 - 1 = 1.
    assert it["ss_national"] == pytest.approx(150 * NATIONAL_GROWTH)
    assert it["ss_industry_mix"] == pytest.approx(150 * (IT_GROWTH - NATIONAL_GROWTH))
    assert it["ss_regional"] == pytest.approx(150 * (1 - IT_GROWTH))  # = 30
    assert it["ss_national"] + it["ss_industry_mix"] + it["ss_regional"] == (
        pytest.approx(300 - 150)
    )
    # Firms of 200 and 100 employees: (100·2/3)² + (100·1/3)² = 4444.4 + 1111.1.
    assert it["hhi_employees"] == pytest.approx(100**2 * ((2 / 3) ** 2 + (1 / 3) ** 2))
    assert (it["cr3_employees"], it["cr5_employees"]) == (1.0, 1.0)


def test_profile_of_a_declining_sector_and_of_a_sector_that_closed(main_result):
    profile = rows_by(main_result.profile, "region_code", "sector")
    books = profile[("77", "Книгоиздание")]
    closed = profile[("16", "Книгоиздание")]

    assert books["cagr_employees"] == pytest.approx((10 / 20) ** (1 / YEARS) - 1)
    assert books["ss_regional"] == pytest.approx(20 * ((10 / 20 - 1) - BOOK_GROWTH))
    # Nothing left at t1: growth -100 %, no firms to measure concentration on.
    assert (closed["organisations"], closed["employees"]) == (0, 0)
    assert closed["employees_coverage"] is None
    assert closed["cagr_employees"] == -1.0
    assert closed["lq_employees"] == 0.0
    assert closed["hhi_employees"] is None and closed["cr3_employees"] is None
    assert closed["ss_national"] == pytest.approx(15 * NATIONAL_GROWTH)
    assert closed["ss_regional"] == pytest.approx(15 * (-1 - BOOK_GROWTH))
    assert closed["ss_national"] + closed["ss_industry_mix"] + closed[
        "ss_regional"
    ] == pytest.approx(0 - 15)


def test_sector_absent_at_base_has_no_cagr_and_all_its_change_is_regional(
    main_result,
):
    art = rows_by(main_result.profile, "region_code", "sector")[("77", "Искусство")]

    assert (art["organisations_base"], art["employees_base"]) == (0, 0)
    assert art["cagr_organisations"] is None and art["cagr_employees"] is None
    # National and industry-mix effects are multiples of X_ir,t0 = 0.
    assert (art["ss_national"], art["ss_industry_mix"], art["ss_regional"]) == (
        0.0,
        0.0,
        5.0,
    )


def test_a_cell_with_one_firm_is_fully_concentrated(main_result):
    profile = rows_by(main_result.profile, "region_code", "sector")

    for key in (("77", "Искусство"), ("16", "ИТ")):
        assert profile[key]["hhi_employees"] == 10_000
        assert profile[key]["cr3_employees"] == profile[key]["cr5_employees"] == 1


def test_subclass_codes_and_missing_codes_follow_the_classification(main_result):
    it = rows_by(main_result.profile, "region_code", "sector")[("16", "ИТ")]
    regions = rows_by(main_result.regions, "region_code")

    # 62.01.1 is covered by 62.01.
    assert (it["organisations"], it["employees"]) == (1, 60)
    # The firm without a code counts in its region's totals only.
    assert regions["16"]["organisations"] == 3  # 62.01.1, 47.11, no code
    assert regions["16"]["employees"] == 60 + 540 + 105
    assert regions["16"]["creative_employees"] == 60
    assert regions["16"]["creative_employees_base"] == 50 + 15


def test_cluster_stars_of_the_main_register(main_result):
    profile = rows_by(main_result.profile, "region_code", "sector")

    # 2 regions: the top 10 % is 1 region. IT in 77: largest (300 > 60) and
    # highest share of the region's employment (300/605 > 60/705), LQ 1.67 < 2.
    assert profile[("77", "ИТ")]["cluster_stars"] == 2
    assert profile[("16", "ИТ")]["cluster_stars"] == 0
    # Art exists only in 77: largest, highest share, LQ = (5/605)/(5/1310) = 2.17.
    assert profile[("77", "Искусство")]["lq_employees"] == pytest.approx(1310 / 605)
    assert profile[("77", "Искусство")]["cluster_stars"] == 3


def test_national_sector_totals(main_result):
    sectors = rows_by(main_result.sectors, "sector")

    assert sectors["ИТ"]["organisations"] == 4
    assert (sectors["ИТ"]["employees_base"], sectors["ИТ"]["employees"]) == (200, 360)
    assert sectors["ИТ"]["growth_employees"] == pytest.approx(0.8)
    assert sectors["ИТ"]["regions"] == 2
    assert sectors["Искусство"]["growth_employees"] is None
    assert sectors["Книгоиздание"]["cagr_employees"] == pytest.approx(
        (10 / 35) ** (1 / YEARS) - 1
    )


def test_ranking_sub_scores_of_the_main_register(main_result):
    ranking = rows_by(main_result.ranking, "region_code")
    moscow, tatarstan = ranking["77"], ranking["16"]

    # Creative employees: 77 = 150 + 20 → 300 + 10 + 5; 16 = 50 + 15 → 60.
    assert moscow["size"] == 315
    assert moscow["specialisation"] == pytest.approx((315 / 605) / (375 / 1310))
    assert moscow["growth"] == pytest.approx((315 / 170) ** (1 / YEARS) - 1)
    # Regional shifts: IT 30, books 20·(-0.5 - g_books), art 5; per t0 employee.
    assert moscow["competitive_shift"] == pytest.approx(
        (30 + 20 * (-0.5 - BOOK_GROWTH) + 5) / 170
    )
    assert moscow["diversity"] == pytest.approx(
        1 - ((300 / 315) ** 2 + (10 / 315) ** 2 + (5 / 315) ** 2)
    )
    assert tatarstan["diversity"] == 0.0  # all of it in IT
    # Two regions: 77 is higher on every sub-score, so 100 each, 16 gets 0.
    assert moscow["index"] == 100 and tatarstan["index"] == 0
    assert (moscow["rank"], tatarstan["rank"]) == (1, 2)
    assert main_result.ranking.column("region_code").to_pylist() == ["77", "16"]


# Growth classes ---------------------------------------------------------------------

# One sector, five regions, one IT firm and one other firm each. National IT:
# 50 → 70 employees, g_iN = 0.4; at t1 IT is 70 of 280 employees (a quarter).
CLASSES_REGISTER = [
    Firm("0100000001", "01", "62.01", base=10, target=20),  # g 1.0, LQ (20/30)/0.25
    Firm("0100000002", "01", "47.11", base=10, target=10),
    Firm("0200000001", "02", "62.01", base=10, target=20),  # g 1.0, LQ (20/110)/0.25
    Firm("0200000002", "02", "47.11", base=90, target=90),
    Firm("0300000001", "03", "62.01", base=10, target=10),  # g 0, LQ (10/20)/0.25
    Firm("0300000002", "03", "47.11", base=10, target=10),
    Firm("0400000001", "04", "62.01", base=10, target=10),  # g 0, LQ (10/100)/0.25
    Firm("0400000002", "04", "47.11", base=90, target=90),
    Firm("0500000001", "05", "62.01", base=10, target=10),  # one firm: too small
    Firm("0500000002", "05", "47.11", base=10, target=10),
]


def classes_result(tmp_path, **options):
    options.setdefault("criteria", GrowthCriteria(min_organisations=1))
    options.setdefault("region_criteria", {"05": GrowthCriteria(min_organisations=2)})
    return research_compute(
        write_register(tmp_path, CLASSES_REGISTER),
        sectors=SECTORS,
        base=BASE,
        target=TARGET,
        **options,
    )


def test_each_growth_class_and_the_growth_points(tmp_path):
    profile = rows_by(classes_result(tmp_path).profile, "region_code")

    assert {region: row["growth_class"] for region, row in profile.items()} == {
        "01": "star",  # LQ 2.67 > 1, g 1.0 > 0.4
        "02": "emerging",  # LQ 0.73 ≤ 1, g 1.0 > 0.4
        "03": "mature",  # LQ 2 > 1, g 0 ≤ 0.4
        "04": "lagging",  # LQ 0.4 ≤ 1, g 0 ≤ 0.4
        "05": "too_small",  # 1 organisation < 2 required in region 05
    }
    assert profile["01"]["ss_regional"] == pytest.approx(10 * (1.0 - 0.4))
    assert [region for region, row in profile.items() if row["is_growth_point"]] == [
        "01",
        "02",
    ]


def test_default_criteria_call_small_cells_too_small(tmp_path):
    result = classes_result(tmp_path, criteria=GrowthCriteria(), region_criteria={})

    assert set(result.profile.column("growth_class").to_pylist()) == {"too_small"}
    assert not any(result.profile.column("is_growth_point").to_pylist())


@pytest.mark.parametrize(
    ("min_cagr", "is_growth_point"),
    # Region 02 doubles in 5 years: CAGR = 2 ^ (1 / 4.9993) - 1 ≈ 0.1487.
    [(None, True), (0.10, True), (2 ** (1 / YEARS) - 1, True), (0.15, False)],
)
def test_a_region_can_require_a_minimum_yearly_growth(
    tmp_path, min_cagr, is_growth_point
):
    criteria = GrowthCriteria(min_organisations=1, min_cagr=min_cagr)
    profile = rows_by(
        classes_result(tmp_path, region_criteria={"02": criteria}).profile,
        "region_code",
    )

    assert profile["02"]["is_growth_point"] is is_growth_point
    assert profile["01"]["is_growth_point"] is True  # default criteria


def test_cluster_stars_with_tied_regions(tmp_path):
    profile = rows_by(classes_result(tmp_path).profile, "region_code")

    # 5 regions: the top 10 % is 1 region; 01 and 02 tie for the largest (20).
    # Shares of the region: 01 20/30, 02 20/110, 03 10/20, 04 10/100, 05 10/20.
    # LQ ≥ 2: 01 (2.67), 03 and 05 (exactly 2).
    assert {region: row["cluster_stars"] for region, row in profile.items()} == {
        "01": 3,
        "02": 1,
        "03": 1,
        "04": 0,
        "05": 1,
    }


# Leaders ----------------------------------------------------------------------------

# IT in region 77 at t1: 50 + 30 + 30 + 5 = 115 employees (and one firm without a
# headcount); at t0: 10 + 10 + 60 (a firm that left) = 80, so g_ir = 115/80 - 1.
LEADERS_REGISTER = [
    Firm("7700000001", "77", "62.01", base=10, target=50, name="Альфа"),
    # Was a shop at t0: matched by INN all the same.
    Firm(
        "7700000002", "77", "62.01", base=30, target=30, name="Бета", okved_base="47.11"
    ),
    Firm("7700000003", "77", "62.01", target=30, name="Гамма"),
    Firm("7700000004", "77", "62.01", base=10, target=5, name="Дельта"),
    Firm("7700000005", "77", "62.01", base=None, target=None, name="Эпсилон"),
    Firm("7700000006", "77", "62.01", base=60, name="Ушедшая"),
]


def test_leaders_are_ranked_with_shares_growth_and_flags(tmp_path):
    result = research_compute(
        write_register(tmp_path, LEADERS_REGISTER),
        sectors=SECTORS,
        base=BASE,
        target=TARGET,
    )
    leaders = result.leaders.to_pylist()

    assert result.leaders.column_names == [
        "region_code",
        "sector",
        "rank",
        "inn",
        "name",
        "employees",
        "share",
        "employees_base",
        "growth",
        "anchor",
        "growing",
    ]
    # Ties (30 and 30) go to the smaller INN; the firm without a headcount is no
    # leader.
    assert [(row["rank"], row["inn"], row["name"]) for row in leaders] == [
        (1, "7700000001", "Альфа"),
        (2, "7700000002", "Бета"),
        (3, "7700000003", "Гамма"),
        (4, "7700000004", "Дельта"),
    ]
    first, second, third, fourth = leaders
    assert first["share"] == pytest.approx(50 / 115)
    assert (first["employees_base"], first["growth"]) == (10, 50 / 10 - 1)
    assert first["anchor"] and first["growing"]  # 4.0 ≥ 115/80 - 1 = 0.4375
    assert (second["employees_base"], second["growth"]) == (30, 0.0)
    assert second["anchor"] and not second["growing"]  # 0 < 0.4375
    assert third["employees_base"] is None and third["growth"] is None
    assert third["anchor"] and not third["growing"]  # new: no growth to compare
    assert fourth["share"] == pytest.approx(5 / 115)
    assert fourth["growth"] == pytest.approx(5 / 10 - 1)
    assert not fourth["anchor"] and not fourth["growing"]  # 4.3 % < 10 %
    profile = rows_by(result.profile, "region_code", "sector")[("77", "ИТ")]
    assert profile["cr3_employees"] == pytest.approx((50 + 30 + 30) / 115)
    assert profile["cr5_employees"] == pytest.approx(1.0)


def test_leaders_per_cell_limits_the_list_but_not_concentration(tmp_path):
    result = research_compute(
        write_register(tmp_path, LEADERS_REGISTER),
        sectors=SECTORS,
        base=BASE,
        target=TARGET,
        leaders_per_cell=2,
    )

    assert result.leaders.column("inn").to_pylist() == ["7700000001", "7700000002"]
    profile = rows_by(result.profile, "region_code", "sector")[("77", "ИТ")]
    assert profile["cr3_employees"] == pytest.approx((50 + 30 + 30) / 115)


# Ranking and peers -------------------------------------------------------------------


@pytest.mark.parametrize("sub_score", SUB_SCORES)
def test_all_weight_on_one_sub_score_orders_regions_by_it(tmp_path, sub_score):
    result = research_compute(
        write_register(tmp_path, MAIN_REGISTER + CLASSES_REGISTER),
        sectors=SECTORS,
        base=BASE,
        target=TARGET,
        weights={sub_score: 1},
    )

    assert_ranked_by(result.ranking.to_pylist(), sub_score)


def assert_ranked_by(ranking: list[dict], sub_score: str) -> None:
    """Ranks follow the raw sub-score (a region without one is last, with the
    lowest), and the rank range holds the rank."""
    for row in ranking:
        assert row["rank_min"] <= row["rank"] <= row["rank_max"]
        assert row["index"] == row[f"{sub_score}_score"]
    lowest = min(
        (row[sub_score] for row in ranking if row[sub_score] is not None), default=0
    )
    for left in ranking:
        for right in ranking:
            left_value = lowest if left[sub_score] is None else left[sub_score]
            right_value = lowest if right[sub_score] is None else right[sub_score]
            if left_value > right_value:
                assert left["rank"] < right["rank"], (left, right)
            elif left_value == right_value:
                assert left["rank"] == right["rank"], (left, right)


def test_rank_ranges_widen_when_weights_are_perturbed(tmp_path):
    result = research_compute(
        write_register(tmp_path, MAIN_REGISTER + CLASSES_REGISTER),
        sectors=SECTORS,
        base=BASE,
        target=TARGET,
    )
    ranking = result.ranking.to_pylist()

    assert [row["rank"] for row in ranking] == sorted(row["rank"] for row in ranking)
    for row in ranking:
        assert 1 <= row["rank_min"] <= row["rank"] <= row["rank_max"] <= len(ranking)
    assert any(row["rank_min"] < row["rank_max"] for row in ranking)
    assert result.ranking.column_names == [
        "region_code",
        *SUB_SCORES,
        *(f"{name}_score" for name in SUB_SCORES),
        "index",
        "rank",
        "rank_min",
        "rank_max",
    ]


def test_peers_are_the_regions_with_the_most_similar_sector_mix(tmp_path):
    firms = [
        Firm("0100000001", "01", "62.01", base=1, target=10),  # (IT, art) = (10, 0)
        Firm("0200000001", "02", "62.01", base=1, target=20),  # (20, 0): same mix
        Firm("0300000001", "03", "90.01", base=1, target=10),  # (0, 10)
        Firm("0400000001", "04", "62.01", base=1, target=10),  # (10, 10)
        Firm("0400000002", "04", "90.01", base=1, target=10),
        Firm("0500000001", "05", "47.11", base=1, target=10),  # nothing creative
    ]
    result = research_compute(
        write_register(tmp_path, firms),
        sectors=SECTORS,
        base=BASE,
        target=TARGET,
        peers=2,
    )
    peers = {
        (row["region_code"], row["rank"]): (row["peer_region_code"], row["similarity"])
        for row in result.peers.to_pylist()
    }

    assert peers[("01", 1)] == ("02", pytest.approx(1.0))
    assert peers[("01", 2)] == ("04", pytest.approx(1 / math.sqrt(2)))
    assert peers[("03", 1)] == ("04", pytest.approx(1 / math.sqrt(2)))
    # 01 and 02 are equally far from 03 (cosine 0): the smaller code first.
    assert peers[("03", 2)] == ("01", pytest.approx(0.0))
    assert "05" not in {region for region, _rank in peers}
    assert "05" not in {peer for peer, _similarity in peers.values()}


# Input errors ------------------------------------------------------------------------


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_base_must_be_before_target(tmp_path, english):
    with pytest.raises(ResearchInputError) as error:
        research_compute(
            write_register(tmp_path, MAIN_REGISTER),
            sectors=SECTORS,
            base=TARGET,
            target=TARGET,
        )

    assert error.value.message == (
        "The base snapshot (2024-01-10) must be earlier than the target (2024-01-10)."
    )
    assert error.value.field == "base"


def test_missing_snapshot_is_named_with_the_ones_present(tmp_path, english):
    with pytest.raises(ResearchInputError) as error:
        research_compute(
            write_register(tmp_path, MAIN_REGISTER),
            sectors=SECTORS,
            base=BASE,
            target=date(2025, 1, 10),
        )

    assert error.value.message == (
        "The store has no snapshot of 2025-01-10; it has: 2019-01-10, 2024-01-10."
    )
    assert error.value.field == "target"


def test_empty_store_is_refused(tmp_path, english):
    store = RegisterStore(tmp_path, "fns-rsmp")

    with pytest.raises(ResearchInputError) as error:
        research_compute(store, sectors=SECTORS, base=BASE, target=TARGET)

    assert error.value.message == (
        "The register store is empty: import a register first."
    )
    assert research_snapshots(store) == []


def test_a_code_given_two_sectors_is_refused(tmp_path, english):
    with pytest.raises(ResearchInputError) as error:
        research_compute(
            write_register(tmp_path, MAIN_REGISTER),
            sectors=[*SECTORS, ("62.01", "Софт")],
            base=BASE,
            target=TARGET,
        )

    assert error.value.message == ("The code 62.01 is given two sectors: ИТ and Софт.")


def test_unknown_weight_is_refused(tmp_path, english):
    with pytest.raises(ResearchInputError) as error:
        research_compute(
            write_register(tmp_path, MAIN_REGISTER),
            sectors=SECTORS,
            base=BASE,
            target=TARGET,
            weights={"size": 1, "beauty": 1},
        )

    assert error.value.message == (
        "Unknown sub-scores beauty; use size, specialisation, growth, "
        "competitive_shift, diversity."
    )


def test_snapshots_of_the_store(tmp_path):
    store = write_register(tmp_path, MAIN_REGISTER)

    assert research_snapshots(store) == [BASE, TARGET]


# Properties on random registers -------------------------------------------------------

digit = st.sampled_from("0123456789")
okved_codes = st.one_of(
    st.text(digit, min_size=2, max_size=2),
    st.tuples(st.text(digit, min_size=2, max_size=2), digit).map(".".join),
    st.tuples(
        st.text(digit, min_size=2, max_size=2), st.text(digit, min_size=2, max_size=2)
    ).map(".".join),
    st.tuples(
        st.text(digit, min_size=2, max_size=2),
        st.text(digit, min_size=2, max_size=2),
        st.text(digit, min_size=1, max_size=2),
    ).map(".".join),
)
# A small pool so that codes nest and collide: 58 ⊃ 58.1 ⊃ 58.11 ⊃ 58.11.1.
pooled_codes = st.sampled_from(
    ["58", "58.1", "58.11", "58.11.1", "58.2", "62.01", "62.02", "90.01", "47.11"]
)
headcounts = st.one_of(st.none(), st.integers(min_value=0, max_value=500))


@st.composite
def registers(draw, codes=pooled_codes) -> list[Firm]:
    count = draw(st.integers(min_value=1, max_value=40))
    firms = []
    for number in range(count):
        presence = draw(st.sampled_from(["both", "both", "base", "target"]))
        firms.append(
            Firm(
                inn=f"{number:010d}",
                region=draw(st.sampled_from(["01", "02", "03", "77"])),
                okved=draw(st.one_of(st.none(), codes)),
                base=draw(headcounts) if presence != "target" else ABSENT,
                target=draw(headcounts) if presence != "base" else ABSENT,
            )
        )
    # Both snapshots must exist in the store.
    firms.append(Firm("9999999999", "01", "47.11", base=1, target=1))
    return firms


PROPERTY_SECTORS = [
    ("58", "Издательства"),
    ("58.11", "Книгоиздание"),
    ("58.11.1", "Книги на заказ"),
    ("62.01", "ИТ"),
    ("90", "Искусство"),
]


def compute_random(tmp_path_factory, firms, sectors=PROPERTY_SECTORS, **options):
    return research_compute(
        write_register(tmp_path_factory.mktemp("register"), firms),
        sectors=sectors,
        base=BASE,
        target=TARGET,
        rank_draws=20,
        **options,
    )


@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
@given(firms=registers())
def test_properties_of_the_profile(tmp_path_factory, firms):
    result = compute_random(tmp_path_factory, firms)
    profile = result.profile.to_pylist()
    sectors = rows_by(result.sectors, "sector")
    regions = rows_by(result.regions, "region_code")
    nation = {
        name: sum(row[name] for row in regions.values())
        for name in ("organisations", "employees")
    }

    for row in profile:
        # Shift-share: the three components are the whole change.
        change = row["employees"] - row["employees_base"]
        assert math.isclose(
            row["ss_national"] + row["ss_industry_mix"] + row["ss_regional"],
            change,
            rel_tol=1e-9,
            abs_tol=1e-6,
        )
        if row["hhi_employees"] is None:
            assert row["employees"] == 0
        else:
            assert 0 < row["hhi_employees"] <= 10_000 + 1e-6
            assert row["cr3_employees"] <= row["cr5_employees"] <= 1 + 1e-12

    for sector, totals in sectors.items():
        cells = [row for row in profile if row["sector"] == sector]
        # Σ_r X_ir = X_iN, at both snapshots.
        for name in ("organisations", "employees"):
            assert sum(row[name] for row in cells) == totals[name]
            assert sum(row[f"{name}_base"] for row in cells) == totals[f"{name}_base"]
            # The nation's LQ is 1: Σ_r LQ_ir · X_r / X_N = Σ_r X_ir / X_iN = 1.
            # A region with X_r = 0 has no LQ, and X_ir = 0 adds nothing.
            if totals[name] and nation[name]:
                national_lq = 0.0
                for row in cells:
                    if row[f"lq_{name}"] is None:
                        assert regions[row["region_code"]][name] == row[name] == 0
                        continue
                    region_total = regions[row["region_code"]][name]
                    national_lq += row[f"lq_{name}"] * region_total / nation[name]
                assert math.isclose(national_lq, 1.0, rel_tol=1e-9)


@st.composite
def classified_registers(draw) -> tuple[list[tuple[str, str]], list[Firm]]:
    """Class codes with sectors (some sharing one), and a register whose codes are
    random or extend a class code, so that coverage and nesting both happen."""
    class_codes = draw(st.lists(okved_codes, min_size=1, max_size=6, unique=True))
    # Some ancestors too (58 and 58.1 of 58.11), so that the longest must win.
    ancestors = sorted(
        {code[:length] for code in class_codes for length in (2, 4, 5)}
        - set(class_codes)
    )
    if ancestors:
        class_codes += draw(st.lists(st.sampled_from(ancestors), unique=True))
    sectors = [(code, f"sector {index % 4}") for index, code in enumerate(class_codes)]
    extended = st.tuples(
        st.sampled_from(class_codes), st.sampled_from(["", "1", "9", ".1", ".12"])
    ).map("".join)
    return sectors, draw(registers(codes=st.one_of(okved_codes, extended)))


@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
@given(classified=classified_registers())
def test_sector_assignment_agrees_with_best_match(tmp_path_factory, classified):
    sectors, firms = classified
    sector_of = dict(sectors)
    result = compute_random(tmp_path_factory, firms, sectors=sectors)

    expected: dict[str, Counter] = {}
    for firm in firms:
        for attribute in ("base", "target"):
            code = firm.code_at(attribute)
            class_code = best_match(code, sector_of) if code is not None else None
            headcount = getattr(firm, attribute)
            if class_code is None or headcount is ABSENT:
                continue
            totals = expected.setdefault(sector_of[class_code], Counter())
            suffix = "_base" if attribute == "base" else ""
            totals[f"organisations{suffix}"] += 1
            totals[f"employees{suffix}"] += headcount or 0
    names = ("organisations", "employees", "organisations_base", "employees_base")
    computed = {
        row["sector"]: Counter({name: row[name] for name in names if row[name]})
        for row in result.sectors.to_pylist()
    }
    assert computed == expected


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(firms=registers(), sub_score=st.sampled_from(SUB_SCORES))
def test_ranking_follows_the_only_weighted_sub_score(
    tmp_path_factory, firms, sub_score
):
    result = compute_random(tmp_path_factory, firms, weights={sub_score: 2.5})

    assert_ranked_by(result.ranking.to_pylist(), sub_score)


@st.composite
def crowded_registers(draw) -> list[Firm]:
    """30 to 100 firms, mostly in one region, on two codes of one sector, with
    headcounts from a narrow range: a code has more firms than its summary keeps,
    and ties in headcount straddle the summary's cut."""
    count = draw(st.integers(min_value=30, max_value=100))
    return [
        Firm(
            inn=f"{draw(st.integers(0, 10**9)):010d}{number:02d}",
            region=draw(st.sampled_from(["01", "77", "77", "77"])),
            okved=draw(st.sampled_from(["58.11", "58.19"])),
            base=draw(st.one_of(st.just(ABSENT), headcounts)),
            # Mostly 1: ties across the summary's cut, where the smaller INN wins.
            target=draw(st.sampled_from([0, 1, 1, 1, 1, 1, 1, 2, 3])),
        )
        for number in range(count)
    ] + [Firm("9999999999", "01", "47.11", base=1, target=1)]


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(firms=crowded_registers())
def test_leaders_from_the_summaries_equal_leaders_from_the_records(
    tmp_path_factory, firms
):
    # Ten leaders are ranked from the summary of the largest firms per code; more
    # than the summary keeps per code are ranked from the records themselves.
    sectors = [("58", "Издательства")]
    from_summary = compute_random(tmp_path_factory, firms, sectors=sectors)
    from_records = compute_random(
        tmp_path_factory, firms, sectors=sectors, leaders_per_cell=LEADERS_PER_CODE + 1
    )

    assert from_summary.leaders.to_pylist() == [
        row for row in from_records.leaders.to_pylist() if row["rank"] <= 10
    ]
    assert from_summary.profile == from_records.profile
