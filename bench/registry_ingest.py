"""Benchmark: importing the SME register, against its floor and a naive baseline.

    .venv/bin/python bench/registry_ingest.py [--records 500000] [--repeat 3]

Generates a synthetic archive in the real format, then measures in the same run:

- decompression floor: ``unzip -p`` of the archive to /dev/null;
- naive baseline: one process, lxml ``iterparse`` over every element, fields taken
  with ``find``/``get`` into Python lists (no validation, no storage);
- our import, end to end: parse, validate, quarantine, stage Parquet, publish the
  snapshot (deduplicated), on every core.

Each is run in its own process; peak RSS is the largest resident size of that
process and its workers together, sampled every 20 ms. Prints medians and ratios.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = date(2025, 1, 10)
NATIONAL_RECORDS = 6_500_000


def floor(archive: str) -> int:
    """``unzip -p`` to /dev/null where unzip exists, else the same in Python."""
    if shutil.which("unzip"):
        subprocess.run(["unzip", "-p", archive], stdout=subprocess.DEVNULL, check=True)
        return 0
    total = 0
    with zipfile.ZipFile(archive) as zipped:
        for info in zipped.infolist():
            with zipped.open(info) as member:
                while chunk := member.read(1 << 20):
                    total += len(chunk)
    return total


def naive(archive: str) -> int:
    from lxml import etree

    records = 0
    rows = []
    with zipfile.ZipFile(archive) as zipped:
        for info in zipped.infolist():
            with zipped.open(info) as member:
                for _event, element in etree.iterparse(member, events=("end",)):
                    if element.tag != "Документ":
                        continue
                    subject = element.find("ОргВклМСП")
                    if subject is None:
                        subject = element.find("ИПВклМСП")
                    place = element.find("СведМН")
                    main = element.find("СвОКВЭД/СвОКВЭДОсн")
                    rows.append(
                        (
                            element.get("ДатаСост"),
                            element.get("ВидСубМСП"),
                            element.get("КатСубМСП"),
                            element.get("ССЧР"),
                            subject.get("ИННЮЛ") or subject.get("ИННФЛ"),
                            subject.get("ОГРН") or subject.get("ОГРНИП"),
                            subject.get("НаимОрг"),
                            place.get("КодРегион") if place is not None else None,
                            main.get("КодОКВЭД") if main is not None else None,
                            [
                                x.get("КодОКВЭД")
                                for x in element.findall("СвОКВЭД/СвОКВЭДДоп")
                            ],
                        )
                    )
                    records += 1
                    element.clear()
                    if len(rows) >= 50_000:
                        rows.clear()
    return records


def ours(archive: str, store_root: str) -> int:
    from creative_regions.registry.importer import run_import
    from creative_regions.registry.store import RegisterStore

    summary = run_import(
        [Path(archive)], store=RegisterStore(Path(store_root), "fns-rsmp")
    )
    return summary.records_read


def _tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and its descendants, in KiB."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            with open(f"/proc/{current}/task/{current}/children") as children:
                pending += [int(child) for child in children.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def measure(kind: str, archive: Path, work: Path) -> tuple[float, int, int]:
    """Runs one measurement in a fresh process: (seconds, records, peak RSS KiB)."""
    store = work / f"store-{kind}-{time.monotonic_ns()}"
    process = subprocess.Popen(
        [sys.executable, __file__, "--child", kind, str(archive), str(store)],
        stdout=subprocess.PIPE,
        text=True,
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kib(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    output, _ = process.communicate()
    done.set()
    sampler.join()
    if process.returncode:
        raise SystemExit(f"{kind} failed")
    seconds, records = output.split()
    return float(seconds), int(records), peak


def child(kind: str, archive: str, store: str) -> None:
    started = time.perf_counter()
    if kind == "floor":
        count = floor(archive)
    elif kind == "naive":
        count = naive(archive)
    else:
        count = ours(archive, store)
    print(time.perf_counter() - started, count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--records", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        child(*arguments.child)
        return

    from creative_regions.registry.synth import SynthConfig, synth_write_archives

    with tempfile.TemporaryDirectory(prefix="registry-bench-") as folder:
        work = Path(folder)
        scale = arguments.records / NATIONAL_RECORDS
        started = time.perf_counter()
        (archive,) = synth_write_archives(
            SynthConfig(snapshots=(SNAPSHOT,), scale=scale, seed=7), work
        )
        print(
            f"Synthetic archive: {archive.stat().st_size / 1e6:.1f} MB, "
            f"generated in {time.perf_counter() - started:.1f} s; "
            f"{os.cpu_count()} cores; median of {arguments.repeat} runs each."
        )
        results = {}
        for kind in ("floor", "naive", "ours"):
            runs = [measure(kind, archive, work) for _ in range(arguments.repeat)]
            seconds = statistics.median(run[0] for run in runs)
            records = runs[0][1]
            peak = max(run[2] for run in runs)
            results[kind] = (seconds, records, peak)
        records = results["ours"][1]
        naive_rate = records / results["naive"][0]
        print()
        print("| step | median s | records/s | peak RSS MB | vs naive |")
        print("| --- | ---: | ---: | ---: | ---: |")
        labels = {
            "floor": "decompression floor (unzip -p > /dev/null)",
            "naive": "naive lxml iterparse (baseline)",
            "ours": "our import, end to end",
        }
        for kind, (seconds, _count, peak) in results.items():
            rate = records / seconds
            print(
                f"| {labels[kind]} | {seconds:.2f} | {rate:,.0f} | "
                f"{peak / 1024:,.0f} | {rate / naive_rate:.2f}× |"
            )
        print(f"\nRecords: {records:,}.")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
