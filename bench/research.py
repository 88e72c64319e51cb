"""Benchmark: a national research run, against a pandas baseline.

    .venv/bin/python bench/research.py [--records 6500000] [--snapshots 6] [--repeat 3]

Builds a synthetic register store of ``--records`` records a snapshot (default the
national 6.5 million) and ``--snapshots`` yearly snapshots, written directly as
Parquet in the store's layout and cached in the temp folder. Then measures in the
same run, from the first snapshot to the last:

- scan floor: DuckDB decoding each column research reads once, nothing computed;
- pandas baseline: the profile table (region x sector indicators, concentration,
  stars, growth classes) written the usual pandas way;
- our engine: ``research_compute`` in full (profile, leaders, classes, ranking with
  rank ranges, peers, national sector totals), once on snapshots whose summaries
  (``registry.summaries``) it must write first, as after an import, and once on
  snapshots summarised already, as every later run.

The baseline's profile is checked against the engine's before anything is timed.
Prints the median of ``--repeat`` runs and each step's speed relative to pandas.

Then the pages: a run through the application (``research_run_execute``) stores
its results in a throwaway SQLite database, as ``make run`` does, and the test
client times the region passports of the largest, a middle and the smallest
region and the Russia page, signed in as an analyst, against the sign-in page as
the floor of any page. ``--no-pages`` skips this part.
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from creative_regions.registry.schema import RECORD_SCHEMA  # noqa: E402
from creative_regions.registry.store import RegisterStore  # noqa: E402
from creative_regions.research.engine import (  # noqa: E402
    PROFILE_COLUMNS,
    GrowthCriteria,
    research_compute,
)
from creative_regions.research.parsers import best_match  # noqa: E402

NATIONAL_RECORDS = 6_500_000
BASELINE = "pandas: profile table only (baseline)"
SOURCE = "fns-rsmp"
FIRST_SNAPSHOT_YEAR = 2020
GENERATOR_VERSION = 1
REGIONS_CSV = ROOT / "src/creative_regions/geo/data/regions_ru.csv"
CREATIVE_CSV = ROOT / "src/creative_regions/research/data/creative_okved_ru.csv"
# The four regions added in 2022 have no population in the reference.
NEW_REGION_POPULATION = 700_000

# Share of creative main activities, and how much more of them the capitals have.
CREATIVE_SHARE = 0.06
CAPITAL_CREATIVE_FACTOR = {"77": 2.2, "78": 2.0}
NON_CREATIVE_CODES = 1_800
LEGAL_SHARE = 0.45
# Share of firms without a headcount: legal entities, sole traders.
NO_HEADCOUNT = (0.10, 0.50)
EXIT_RATE = 0.10
# Yearly growth of employment: the economy, and creative cells around their sector.
GROWTH_OTHER = (0.005, 0.02)
GROWTH_CREATIVE = (0.03, 0.06)


# Synthetic store ---------------------------------------------------------------


def read_regions() -> tuple[list[str], np.ndarray]:
    with open(REGIONS_CSV, encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    codes = [row["code"] for row in rows]
    population = [
        float(row["population"]) if row["population"] else NEW_REGION_POPULATION
        for row in rows
    ]
    return codes, np.array(population) / sum(population)


def read_sectors() -> list[tuple[str, str]]:
    with open(CREATIVE_CSV, encoding="utf-8", newline="") as file:
        return [(row["okved2"], row["sector"]) for row in csv.DictReader(file)]


def code_universe(
    rng: np.random.Generator, sectors: Sequence[tuple[str, str]]
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """OKVED2 codes with their weight among firms and whether each is creative.

    Non-creative codes are drawn at every level (division to subclass) with
    heavy-tailed weights, skipping any code the classification covers; creative
    codes are the classification's own plus a few subclasses of them.
    """
    class_codes = [code for code, _sector in sectors]
    other: set[str] = set()
    while len(other) < NON_CREATIVE_CODES:
        division = int(rng.integers(1, 100))
        level = int(rng.choice(4, p=(0.05, 0.1, 0.55, 0.3)))
        code = f"{division:02d}"
        if level >= 1:
            code += f".{rng.integers(1, 10)}"
        if level >= 2:
            code += f"{rng.integers(0, 10)}"
        if level == 3:
            code += f".{rng.integers(1, 10)}"
        if best_match(code, class_codes) is None:
            other.add(code)
    creative = list(class_codes)
    creative += [f"{code}.9" for code in class_codes[::3] if code.count(".") == 1]
    other_codes = sorted(other)
    other_weights = rng.lognormal(0.0, 1.6, len(other_codes))
    creative_weights = rng.lognormal(0.0, 1.0, len(creative))
    codes = other_codes + creative
    weights = np.concatenate(
        [
            other_weights / other_weights.sum() * (1 - CREATIVE_SHARE),
            creative_weights / creative_weights.sum() * CREATIVE_SHARE,
        ]
    )
    is_creative = np.concatenate(
        [np.zeros(len(other_codes), bool), np.ones(len(creative), bool)]
    )
    return codes, weights, is_creative


def draw_codes(
    rng: np.random.Generator,
    regions: np.ndarray,
    region_codes: Sequence[str],
    weights: np.ndarray,
    is_creative: np.ndarray,
) -> np.ndarray:
    """Main activity of each firm, with more creative firms in the capitals."""
    result = np.empty(len(regions), np.int32)
    for index, region_code in enumerate(region_codes):
        in_region = np.flatnonzero(regions == index)
        factor = CAPITAL_CREATIVE_FACTOR.get(region_code, 1.0)
        p = np.where(is_creative, weights * factor, weights)
        result[in_region] = rng.choice(len(weights), size=len(in_region), p=p / p.sum())
    return result


def draw_headcount(rng: np.random.Generator, is_legal: np.ndarray) -> np.ndarray:
    """Headcount at birth: mostly micro firms, a tail of large ones; NaN when the
    firm reports none."""
    size = len(is_legal)
    legal = np.where(
        rng.random(size) < 0.9,
        rng.lognormal(1.0, 0.9, size).clip(0, 15),
        np.where(
            rng.random(size) < 0.98,
            rng.uniform(16, 250, size),
            (250 * (1 + rng.pareto(1.2, size))).clip(max=50_000),
        ),
    )
    sole = rng.lognormal(-0.5, 1.0, size).clip(0, 15)
    headcount = np.where(is_legal, legal, sole)
    no_headcount = rng.random(size) < np.where(is_legal, *NO_HEADCOUNT)
    headcount[no_headcount] = np.nan
    return headcount


class Population:
    """Firms in numpy arrays: born and gone (snapshot indices), region, code,
    headcount at birth and a personal drift."""

    def __init__(self) -> None:
        self.parts: list[dict[str, np.ndarray]] = []

    def add(self, part: dict[str, np.ndarray]) -> None:
        self.parts.append(part)

    def column(self, name: str) -> np.ndarray:
        return np.concatenate([part[name] for part in self.parts])


def build_store(root: Path, *, records: int, snapshots: int, seed: int = 7) -> None:
    """Simulates a population of firms over yearly snapshots (births, exits, and
    headcounts drifting with their region x sector's growth) and writes each
    snapshot as one Parquet partition, sorted like a published one."""
    rng = np.random.default_rng(seed)
    region_codes, region_p = read_regions()
    sectors = read_sectors()
    codes, code_weights, is_creative = code_universe(rng, sectors)
    sector_of = dict(sectors)
    sector_names = sorted(set(sector_of.values()))
    code_sector = np.array(
        [
            sector_names.index(sector_of[best_match(code, sector_of)])
            if creative
            else -1
            for code, creative in zip(codes, is_creative, strict=True)
        ]
    )
    # Yearly growth of each region x sector cell; column 0 is everything else.
    cell_growth = np.column_stack(
        [
            rng.normal(*GROWTH_OTHER, len(region_codes)),
            rng.normal(*GROWTH_CREATIVE, (len(region_codes), len(sector_names))),
        ]
    )

    def spawn(count: int, born: int, next_id: int) -> dict[str, np.ndarray]:
        regions = rng.choice(len(region_codes), size=count, p=region_p)
        is_legal = rng.random(count) < LEGAL_SHARE
        return {
            "id": np.arange(next_id, next_id + count),
            "born": np.full(count, born, np.int16),
            "gone": (born + rng.geometric(EXIT_RATE, count)).astype(np.int16),
            "region": regions.astype(np.int16),
            "code": draw_codes(rng, regions, region_codes, code_weights, is_creative),
            "is_legal": is_legal,
            "headcount": draw_headcount(rng, is_legal),
            "drift": rng.normal(0.0, 0.08, count),
        }

    population = Population()
    population.add(spawn(records, 0, 0))
    next_id = records
    for snapshot in range(1, snapshots):
        population.add(spawn(int(records * EXIT_RATE), snapshot, next_id))
        next_id += int(records * EXIT_RATE)

    ids = population.column("id")
    born, gone = population.column("born"), population.column("gone")
    regions, code = population.column("region"), population.column("code")
    is_legal, headcount = population.column("is_legal"), population.column("headcount")
    drift = population.column("drift")
    growth = cell_growth[regions, code_sector[code] + 1]
    region_text = pa.array(region_codes)
    code_text = pa.array(codes)
    inn = pc.binary_join_element_wise(
        pc.take(region_text, pa.array(regions)),
        pc.utf8_lpad(pc.cast(pa.array(ids), pa.string()), 8, "0"),
        "",
    )
    # Sole traders have 12-digit INNs.
    inn = pc.if_else(
        pa.array(is_legal), inn, pc.binary_join_element_wise(inn, pa.scalar("00"), "")
    )
    name = pc.if_else(
        pa.array(is_legal),
        pc.binary_join_element_wise(pa.scalar("ООО «ФИРМА-"), inn, pa.scalar("»"), ""),
        pc.binary_join_element_wise(pa.scalar("ИП "), inn, ""),
    )

    for snapshot in range(snapshots):
        day = date(FIRST_SNAPSHOT_YEAR + snapshot, 1, 10)
        alive = np.flatnonzero((born <= snapshot) & (gone > snapshot))
        age = snapshot - born[alive]
        employees = headcount[alive] * np.exp((growth[alive] + drift[alive]) * age)
        employees = np.round(np.nan_to_num(employees, nan=-1)).astype(np.int32)
        category = np.select([employees <= 15, employees <= 100], [0, 1], 2)
        count = len(alive)
        take = pa.array(alive)
        columns = {
            "snapshot_date": pa.array(np.full(count, np.datetime64(day, "D"))),
            "inn": pc.take(inn, take),
            "kind": pc.if_else(
                pa.array(is_legal[alive]), "legal_entity", "sole_trader"
            ),
            "category": pc.take(pa.array(["micro", "small", "medium"]), category),
            "name": pc.take(name, take),
            "region_code": pc.take(region_text, pa.array(regions[alive])),
            "okved_main": pc.take(code_text, pa.array(code[alive])),
            "employees": pa.array(employees, mask=employees < 0),
            "source_file": pc.take(pa.array(["bench"]), np.zeros(count, np.int32)),
        }
        arrays = [
            columns[field.name].cast(field.type)
            if field.name in columns
            else pa.nulls(count, field.type)
            for field in RECORD_SCHEMA
        ]
        table = pa.Table.from_arrays(arrays, schema=RECORD_SCHEMA)
        table = table.sort_by([("region_code", "ascending"), ("inn", "ascending")])
        folder = root / f"source={SOURCE}" / f"snapshot={day.isoformat()}"
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(
            table,
            folder / "part-0.parquet",
            compression="zstd",
            row_group_size=250_000,
        )
        print(f"  wrote {day}: {count:,} records", flush=True)


def cached_store(*, records: int, snapshots: int) -> RegisterStore:
    root = (
        Path(tempfile.gettempdir())
        / f"creative-regions-bench-research-v{GENERATOR_VERSION}-{records}-{snapshots}"
    )
    store = RegisterStore(root, SOURCE)
    if len(store.published_snapshots()) != snapshots:
        print(f"Building the store in {root} ...", flush=True)
        build_store(root, records=records, snapshots=snapshots)
    return store


# Baseline and measurements -------------------------------------------------------


def snapshot_file(store: RegisterStore, snapshot: date) -> str:
    return str(store.partition_dir(snapshot) / "part-0.parquet")


def pandas_profile(
    store: RegisterStore,
    *,
    sectors: Sequence[tuple[str, str]],
    base: date,
    target: date,
    min_organisations: int = GrowthCriteria().min_organisations,
):
    """The profile table the usual pandas way: read the two snapshots, map codes to
    sectors, ``groupby`` and vectorised column arithmetic. Same definitions as the
    engine (see ``research.engine.indicators``)."""
    import pandas as pd

    columns = ["region_code", "okved_main", "inn", "employees"]
    frames = []
    for snapshot in (base, target):
        frame = pd.read_parquet(snapshot_file(store, snapshot), columns=columns)
        frame["is_target"] = snapshot == target
        frames.append(frame)
    records = pd.concat(frames, ignore_index=True)
    sector_of = dict(sectors)
    mapping = {}
    for code in records["okved_main"].dropna().unique():
        class_code = best_match(code, sector_of)
        if class_code is not None:
            mapping[code] = sector_of[class_code]
    records["sector"] = records["okved_main"].map(mapping)
    records["employees"] = records["employees"].astype("float64")
    records["reporting"] = records["employees"].notna()
    records["employees_squared"] = records["employees"] ** 2

    totals = records.groupby(["is_target", "region_code", "sector"], dropna=False).agg(
        organisations=("inn", "size"),
        reporting=("reporting", "sum"),
        employees=("employees", "sum"),
        employees_squared=("employees_squared", "sum"),
    )
    region = totals.groupby(level=["is_target", "region_code"]).sum()
    nation = totals.groupby(level="is_target").sum()
    creative = totals[totals.index.get_level_values("sector").notna()]
    sector = creative.groupby(level=["is_target", "sector"]).sum()

    def at(frame, is_target):
        return frame.xs(is_target, level="is_target")

    cells = at(creative, True).join(
        at(creative, False).add_suffix("_base"), how="outer"
    )
    cells = cells.fillna(0).reset_index()
    cells = cells.join(
        at(region, True)[["organisations", "employees"]].add_prefix("region_"),
        on="region_code",
    )
    cells = cells.join(
        at(sector, True)[["organisations", "employees"]].add_prefix("sector_"),
        on="sector",
    )
    cells = cells.join(
        at(sector, False)[["employees"]].add_prefix("sector_base_"), on="sector"
    )
    nation_now, nation_then = nation.loc[True], nation.loc[False]

    years = (target - base).days / 365.25
    profile = pd.DataFrame(
        {"region_code": cells["region_code"], "sector": cells["sector"]}
    )
    profile["snapshot"] = target
    for name in ("organisations", "employees"):
        profile[name] = cells[name].astype("int64")
    profile["employees_coverage"] = cells["reporting"] / cells["organisations"].replace(
        0, np.nan
    )
    for name in ("organisations", "employees"):
        profile[f"{name}_base"] = cells[f"{name}_base"].astype("int64")
    for name in ("organisations", "employees"):
        profile[f"lq_{name}"] = (cells[name] / cells[f"region_{name}"]) / (
            cells[f"sector_{name}"] / nation_now[name]
        )
    for name in ("organisations", "employees"):
        then = cells[f"{name}_base"].replace(0, np.nan)
        profile[f"cagr_{name}"] = (cells[name] / then) ** (1 / years) - 1
    national_growth = nation_now["employees"] / nation_then["employees"] - 1
    sector_growth = cells["sector_employees"] / cells["sector_base_employees"] - 1
    cell_growth = cells["employees"] / cells["employees_base"].replace(0, np.nan) - 1
    profile["ss_national"] = cells["employees_base"] * national_growth
    profile["ss_industry_mix"] = cells["employees_base"] * (
        sector_growth - national_growth
    ).fillna(0)
    profile["ss_regional"] = (
        cells["employees"]
        - cells["employees_base"]
        - profile["ss_national"]
        - profile["ss_industry_mix"]
    )

    firms = records[
        records["is_target"] & records["sector"].notna() & (records["employees"] > 0)
    ]
    firms = firms.sort_values(
        ["region_code", "sector", "employees", "inn"],
        ascending=[True, True, False, True],
    )
    firms["rank"] = firms.groupby(["region_code", "sector"]).cumcount() + 1
    top = firms[firms["rank"] <= 5]
    keys = [top["region_code"], top["sector"]]
    top_sums = pd.DataFrame(
        {
            "top3": top["employees"].where(top["rank"] <= 3, 0).groupby(keys).sum(),
            "top5": top["employees"].groupby(keys).sum(),
        }
    )
    cells = cells.join(top_sums, on=["region_code", "sector"])
    employees = cells["employees"].replace(0, np.nan)
    profile["hhi_employees"] = 10_000 * cells["employees_squared"] / employees**2
    profile["cr3_employees"] = cells["top3"] / employees
    profile["cr5_employees"] = cells["top5"] / employees

    region_count = len(at(region, True))
    places = (region_count + 9) // 10
    share = cells["employees"] / cells["region_employees"]
    is_size_star = (
        cells.groupby("sector")["employees"].rank(method="min", ascending=False)
        <= places
    ) & (cells["employees"] > 0)
    is_focus_star = (
        share.groupby(cells["sector"]).rank(method="min", ascending=False) <= places
    ) & (share > 0)
    profile["cluster_stars"] = (
        is_size_star.astype(int)
        + (profile["lq_employees"] >= 2).astype(int)
        + is_focus_star.astype(int)
    )
    grows_faster = np.where(
        cell_growth.notna(), cell_growth > sector_growth, profile["ss_regional"] > 0
    )
    is_specialised = profile["lq_employees"] > 1
    profile["growth_class"] = np.select(
        [
            cells["organisations"] < min_organisations,
            grows_faster & is_specialised,
            grows_faster,
            is_specialised,
        ],
        ["too_small", "star", "emerging", "mature"],
        "lagging",
    )
    profile["is_growth_point"] = profile["growth_class"].isin(["star", "emerging"]) & (
        profile["ss_regional"] > 0
    )
    return profile.sort_values(["region_code", "sector"], ignore_index=True)


def check_same_profile(engine, baseline) -> None:
    """Stops the benchmark when the two implementations disagree."""
    ours = engine.to_pandas()
    assert list(ours.columns) == list(PROFILE_COLUMNS)
    assert list(baseline.columns) == list(PROFILE_COLUMNS), list(baseline.columns)
    assert len(ours) == len(baseline), (len(ours), len(baseline))
    for name in PROFILE_COLUMNS:
        left, right = ours[name], baseline[name]
        if left.dtype.kind == "f" or right.dtype.kind == "f":
            left = left.astype("float64").to_numpy()
            right = right.astype("float64").to_numpy()
            assert np.allclose(left, right, rtol=1e-9, atol=1e-9, equal_nan=True), name
        else:
            assert left.astype(str).tolist() == right.astype(str).tolist(), name


def scan_floor(store: RegisterStore, base: date, target: date) -> None:
    """Decodes each column research reads once, computing nothing: activity code,
    region, employees and INN at both snapshots, the name at the target."""
    connection = duckdb.connect()
    for snapshot, name in ((base, "0"), (target, "length(name)")):
        connection.execute(
            f"""
            SELECT sum(length(okved_main)), sum(length(region_code)),
                   sum(employees), sum(length(inn)), sum({name})
            FROM read_parquet(?, hive_partitioning = false)
            WHERE snapshot_date = ?
            """,
            [store.parquet_glob(), snapshot],
        ).fetchall()
    connection.close()


def median_seconds(
    steps: Sequence[tuple[str, Callable[[], object]]], repeat: int
) -> dict[str, float]:
    """Median time of each step; the steps take turns in every round, so that a
    busy moment on the shared machine does not fall on one step only."""
    times: dict[str, list[float]] = {label: [] for label, _step in steps}
    for _round in range(repeat):
        for label, step in steps:
            gc.collect()
            started = time.perf_counter()
            step()
            times[label].append(time.perf_counter() - started)
    return {label: statistics.median(values) for label, values in times.items()}


# Pages ---------------------------------------------------------------------------

PAGE_FLOOR = "sign-in page (floor of any page)"


def page_medians(store: RegisterStore, repeat: int) -> tuple[dict[str, float], str]:
    """Stores a run of the application over ``store`` in a throwaway SQLite
    database and times the pages that read it; returns the medians in seconds and
    a line describing the run."""
    data = Path(tempfile.mkdtemp(prefix="creative-regions-bench-pages-"))
    (data / "registry").symlink_to(store.root)
    os.environ.update(
        CREATIVE_REGIONS_DATA=str(data),
        DJANGO_SETTINGS_MODULE="creative_regions.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment
    from django.urls import reverse

    from creative_regions.core.models import User
    from creative_regions.core.services import user_create
    from creative_regions.research.models import (
        Classification,
        LeaderRow,
        ProfileCell,
        RegionTotal,
    )
    from creative_regions.research.services import (
        research_run_create,
        research_run_execute,
    )

    setup_test_environment()
    # Pages link their static files by name, without a collectstatic manifest.
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
            },
        }
    ).enable()
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    run = research_run_create(
        classification=Classification.objects.get(key="ru-minec-16")
    )
    started = time.perf_counter()
    run = research_run_execute(run=run)
    stored = time.perf_counter() - started
    assert run.status == run.Status.SUCCEEDED, run.message
    by_size = list(
        RegionTotal.objects.filter(run=run)
        .order_by("-organisations")
        .values_list("region_code", flat=True)
    )
    regions = {
        "largest": by_size[0],
        "middle": by_size[len(by_size) // 2],
        "smallest": by_size[-1],
    }
    user = user_create(
        username="bench", password=secrets.token_urlsafe(), role=User.Role.ANALYST
    )
    client = Client()
    client.cookies["django_language"] = "ru"

    def fetch(url: str, *, signed_in: bool = True) -> Callable[[], None]:
        def step() -> None:
            if signed_in:
                client.force_login(user)
            else:
                client.logout()
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            response.content  # noqa: B018 - the page is rendered in full

        return step

    steps = [(PAGE_FLOOR, fetch(reverse("core:login"), signed_in=False))]
    for size, code in regions.items():
        steps.append(
            (
                f"region passport, {size} region ({code})",
                fetch(reverse("research:region-passport", args=[code])),
            )
        )
    steps.append(("Russia page (map and ranking)", fetch(reverse("research:russia"))))
    for _label, step in steps:
        step()  # the first render fills the template and query caches
    cells = ProfileCell.objects.filter(run=run).count()
    leaders = LeaderRow.objects.filter(run=run).count()
    description = (
        f"the run stored {cells} cells and {leaders} leaders in {stored:.1f} s "
        f"(compute "
        f"{run.timings['compute']:.1f} s, store {run.timings['store']:.1f} s)"
    )
    return median_seconds(steps, repeat), description


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=NATIONAL_RECORDS)
    parser.add_argument("--snapshots", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--page-repeat", type=int, default=20)
    parser.add_argument("--no-pages", action="store_true")
    arguments = parser.parse_args()
    if arguments.snapshots < 2:
        parser.error("--snapshots must be at least 2")

    store = cached_store(records=arguments.records, snapshots=arguments.snapshots)
    snapshots = store.published_snapshots()
    base, target = snapshots[0], snapshots[-1]
    sectors = read_sectors()

    def engine():
        return research_compute(store, sectors=sectors, base=base, target=target)

    def engine_first_run():
        for snapshot in (base, target):
            for path in store.partition_dir(snapshot).glob("_*.parquet"):
                path.unlink()
        return engine()

    def baseline():
        return pandas_profile(store, sectors=sectors, base=base, target=target)

    # The first runs check the results and warm the page cache for every step.
    result = engine()
    check_same_profile(result.profile, baseline())
    print(
        f"{arguments.records:,} records x {arguments.snapshots} snapshots, "
        f"{base} -> {target}: {result.profile.num_rows} region x sector rows, "
        f"{result.leaders.num_rows} leaders, {result.ranking.num_rows} regions; "
        "pandas gives the same profile.\n",
        flush=True,
    )

    steps = [
        (
            "scan floor: DuckDB decodes the columns read, once",
            lambda: scan_floor(store, base, target),
        ),
        (BASELINE, baseline),
        ("our engine: first run, writing both snapshots' summaries", engine_first_run),
        ("our engine: full run", engine),
    ]
    medians = median_seconds(steps, arguments.repeat)
    reference = medians[BASELINE]
    print(f"median of {arguments.repeat} runs\n")
    print("| step | median s | vs pandas |")
    print("| --- | ---: | ---: |")
    for label, seconds in medians.items():
        print(f"| {label} | {seconds:.2f} | {reference / seconds:.2f}× |")
    if arguments.no_pages:
        return

    medians, description = page_medians(store, arguments.page_repeat)
    floor = medians[PAGE_FLOOR]
    print(f"\npages from the stored results: {description};")
    print(f"median of {arguments.page_repeat} renders, signed in as an analyst\n")
    print("| page | median ms | vs floor |")
    print("| --- | ---: | ---: |")
    for label, seconds in medians.items():
        print(f"| {label} | {seconds * 1000:.1f} | {seconds / floor:.1f}× |")


if __name__ == "__main__":
    main()
