"""Synthetic register → import → store gives back exactly the generated records."""

from datetime import date

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creative_regions.registry.importer import run_import
from creative_regions.registry.schema import RECORD_SCHEMA
from creative_regions.registry.store import RegisterStore
from creative_regions.registry.synth import (
    SynthConfig,
    synth_snapshot_records,
    synth_write_archives,
)

snapshot_sets = st.lists(
    st.dates(min_value=date(2017, 1, 1), max_value=date(2026, 12, 31)),
    min_size=1,
    max_size=3,
    unique=True,
).map(lambda dates: tuple(sorted(dates)))


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    seed=st.integers(min_value=0, max_value=2**31),
    snapshots=snapshot_sets,
    docs_per_file=st.integers(min_value=50, max_value=700),
)
def test_store_holds_exactly_the_generated_records(
    tmp_path_factory, seed, snapshots, docs_per_file
):
    folder = tmp_path_factory.mktemp("roundtrip")
    config = SynthConfig(
        snapshots=snapshots, scale=0.0003, seed=seed, docs_per_file=docs_per_file
    )
    store = RegisterStore(folder / "registry", "fns-rsmp")

    summary = run_import(
        synth_write_archives(config, folder / "in"), store=store, workers=1
    )

    assert summary.file_errors == [] and summary.quarantined == 0
    columns = ", ".join(RECORD_SCHEMA.names)
    for snapshot, expected in synth_snapshot_records(config):
        stored = duckdb.execute(
            f"SELECT {columns} FROM read_parquet(?) WHERE snapshot_date = ? ORDER BY inn",
            [store.parquet_glob(), snapshot],
        ).fetchall()
        generated = sorted(
            (
                tuple(record[name] for name in RECORD_SCHEMA.names)
                for record in expected
            ),
            key=lambda row: row[1],
        )
        assert stored == generated
