"""Summaries of a published partition: what research reads instead of the records."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from creative_regions.registry.importer import run_import
from creative_regions.registry.store import RegisterStore
from creative_regions.registry.summaries import LEADERS_PER_CODE, partition_summary
from tests.registry.builders import document, member_name, register_file, write_zip
from tests.registry.builders import valid_inn as inn
from tests.research.test_engine import Firm, write_register

SNAPSHOT = date(2024, 1, 10)
# Moscow: three designers (5, 3 and no headcount) and a shop of 10; Tatarstan:
# one designer of 4 and a firm without an activity code.
FIRMS = [
    Firm("7700000001", "77", "74.10", target=5),
    Firm("7700000002", "77", "74.10", target=3),
    Firm("7700000003", "77", "74.10", target=None),
    Firm("7700000004", "77", "47.11", target=10),
    Firm("1600000001", "16", "74.10", target=4),
    Firm("160000000012", "16", None, target=2),
]


def read(path: Path) -> list[tuple]:
    return duckdb.execute(
        "SELECT * FROM read_parquet(?, hive_partitioning = false)", [str(path)]
    ).fetchall()


def test_totals_leaders_and_headcounts_of_a_partition(tmp_path):
    store = write_register(tmp_path, FIRMS, base=date(2023, 1, 10), target=SNAPSHOT)

    summary = partition_summary(store, SNAPSHOT)

    # (region, code, organisations, reporting, employees, Σ employees²)
    assert sorted(read(summary.totals), key=str) == sorted(
        [
            ("16", None, 1, 1, 2, 4.0),
            ("16", "74.10", 1, 1, 4, 16.0),
            ("77", "47.11", 1, 1, 10, 100.0),
            # 5 + 3 employees; 25 + 9; the firm without a headcount counts once.
            ("77", "74.10", 3, 2, 8, 34.0),
        ],
        key=str,
    )
    # Ordered by code (records without one last), region, size.
    assert read(summary.leaders) == [
        ("77", "47.11", "7700000004", "ООО 7700000004", 10),
        ("16", "74.10", "1600000001", "ООО 1600000001", 4),
        ("77", "74.10", "7700000001", "ООО 7700000001", 5),
        ("77", "74.10", "7700000002", "ООО 7700000002", 3),
        ("16", None, "160000000012", "ООО 160000000012", 2),
    ]
    # "1" before the digits keeps a 10-digit INN apart from a 12-digit one.
    assert sorted(read(summary.headcounts)) == [
        (11600000001, 4),
        (17700000001, 5),
        (17700000002, 3),
        (17700000004, 10),
        (1160000000012, 2),
    ]


def test_summaries_are_written_once_and_invisible_to_readers_of_records(tmp_path):
    store = write_register(tmp_path, FIRMS, base=date(2023, 1, 10), target=SNAPSHOT)
    summary = partition_summary(store, SNAPSHOT)
    written = summary.totals.stat().st_mtime_ns

    assert partition_summary(store, SNAPSHOT).totals.stat().st_mtime_ns == written
    (records,) = duckdb.execute(
        "SELECT count(*) FROM read_parquet(?) WHERE snapshot_date = ?",
        [store.parquet_glob(), SNAPSHOT],
    ).fetchone()
    assert records == len(FIRMS)


def test_a_code_keeps_only_its_largest_firms(tmp_path):
    firms = [
        Firm(f"77000{number:05d}", "77", "74.10", target=number)
        for number in range(1, LEADERS_PER_CODE + 6)
    ]
    store = write_register(tmp_path, firms, base=date(2023, 1, 10), target=SNAPSHOT)

    leaders = read(partition_summary(store, SNAPSHOT).leaders)

    assert [row[4] for row in leaders] == list(range(LEADERS_PER_CODE + 5, 5, -1))


def test_a_republished_snapshot_gets_new_summaries(tmp_path):
    store = RegisterStore(tmp_path / "registry", "fns-rsmp")
    first = [document(doc_id="d1", inn=inn(1), headcount="7")]
    run_import(
        [
            write_zip(
                tmp_path / "a.zip", {member_name(0): register_file(first, file_id="a")}
            )
        ],
        store=store,
        workers=1,
    )
    snapshot = date(2026, 7, 10)
    assert read(partition_summary(store, snapshot).totals) == [
        ("77", "62.01", 1, 1, 7, 49.0)
    ]

    second = [document(doc_id="d2", inn=inn(2), headcount="3")]
    run_import(
        [
            write_zip(
                tmp_path / "b.zip", {member_name(1): register_file(second, file_id="b")}
            )
        ],
        store=store,
        workers=1,
    )

    # The partition was rebuilt with both files: its old summaries went with it.
    assert read(partition_summary(store, snapshot).totals) == [
        ("77", "62.01", 2, 2, 10, 58.0)
    ]
