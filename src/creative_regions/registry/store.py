"""The register store: plain Parquet under the data folder.

Layout, for a source such as ``fns-rsmp``::

    registry/source=fns-rsmp/snapshot=2024-01-10/part-0.parquet the published data
    registry/source=fns-rsmp/_manifest.jsonl                    schema version, files
    registry/_staging/source=fns-rsmp/snapshot=2024-01-10/<sha>.parquet

Every imported file is first staged as its own Parquet file, written to a temporary
name and renamed, so a crash never leaves a partial file visible; the manifest line
is appended only after that. Publishing a snapshot merges its staged files into one
partition, keeping one record per INN, and replaces the old partition by rename.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from creative_regions.registry.schema import SCHEMA_VERSION, schema_for

MANIFEST_NAME = "_manifest.jsonl"
# Beside the published Parquet: which staged files it was built from.
BUILT_FROM_NAME = "_built_from.json"
PARQUET_OPTIONS = {"compression": "zstd", "row_group_size": 250_000}
# Staged files are small, read once by the publisher and never queried: statistics
# and dictionaries would cost a third of their writing and help nobody.
STAGING_OPTIONS = {
    "compression": "lz4",
    "use_dictionary": False,
    "write_statistics": False,
}


@dataclass(frozen=True)
class ManifestEntry:
    """One imported file: where it came from and what it gave."""

    name: str
    archive: str
    size: int
    sha256: str
    zip_crc: int | None
    records: int
    quarantined: int
    snapshots: list[str]


class RegisterStore:
    """The Parquet store of one source under ``root`` (``<data>/registry``)."""

    def __init__(self, root: Path, source: str) -> None:
        self.root = root
        self.source = source
        self.schema = schema_for(source)
        self.source_dir = root / f"source={source}"
        self.staging_dir = root / "_staging" / f"source={source}"
        self.manifest_path = self.source_dir / MANIFEST_NAME

    # Manifest -----------------------------------------------------------------

    def manifest(self) -> list[ManifestEntry]:
        """The files imported so far; a torn last line (a crash mid-write) is
        ignored, and the file is imported again on the next run."""
        if not self.manifest_path.exists():
            return []
        entries = []
        with open(self.manifest_path, encoding="utf-8") as file:
            for line in file:
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if record.get("kind") == "file":
                    record.pop("kind")
                    entries.append(ManifestEntry(**record))
        return entries

    def known_files(self) -> tuple[set[str], set[tuple[str, int, int]]]:
        """Checksums of imported files, and (name, size, CRC) of zip members, so a
        member can be skipped without decompressing it."""
        checksums, members = set(), set()
        for entry in self.manifest():
            checksums.add(entry.sha256)
            if entry.zip_crc is not None:
                members.add((entry.name, entry.size, entry.zip_crc))
        return checksums, members

    def record_file(self, entry: ManifestEntry) -> None:
        self.source_dir.mkdir(parents=True, exist_ok=True)
        is_new = not self.manifest_path.exists()
        with open(self.manifest_path, "a", encoding="utf-8") as file:
            if is_new:
                header = {"kind": "header", "schema_version": SCHEMA_VERSION}
                file.write(json.dumps(header) + "\n")
            file.write(json.dumps({"kind": "file", **asdict(entry)}) + "\n")
            file.flush()
            os.fsync(file.fileno())

    # Staging ------------------------------------------------------------------

    def staged_path(self, snapshot: date, sha256: str) -> Path:
        return (
            self.staging_dir / f"snapshot={snapshot.isoformat()}" / f"{sha256}.parquet"
        )

    def stage(
        self, tables: Iterable[pa.Table], *, key: Callable[[], str]
    ) -> dict[date, int]:
        """Writes a file's records, split by snapshot date, each atomically.

        ``key`` gives the file's checksum once ``tables`` is exhausted (the
        checksum is computed while reading). Returns the records per snapshot.
        """
        writers: dict[date, tuple[pq.ParquetWriter, Path]] = {}
        counts: dict[date, int] = {}
        try:
            for table in tables:
                for snapshot, part in _split_by_snapshot(table):
                    if snapshot not in writers:
                        folder = self.staged_path(snapshot, "x").parent
                        folder.mkdir(parents=True, exist_ok=True)
                        temporary = folder / f".staging-{uuid.uuid4().hex}"
                        writer = pq.ParquetWriter(
                            temporary, self.schema, **STAGING_OPTIONS
                        )
                        writers[snapshot] = (writer, temporary)
                    writers[snapshot][0].write_table(part)
                    counts[snapshot] = counts.get(snapshot, 0) + part.num_rows
            sha256 = key()
        except BaseException:
            for writer, temporary in writers.values():
                writer.close()
                temporary.unlink(missing_ok=True)
            raise
        for snapshot, (writer, temporary) in writers.items():
            writer.close()
            os.replace(temporary, self.staged_path(snapshot, sha256))
        return counts

    def staged_snapshots(self) -> list[date]:
        if not self.staging_dir.exists():
            return []
        return sorted(
            date.fromisoformat(path.name.removeprefix("snapshot="))
            for path in self.staging_dir.glob("snapshot=*")
            if any(path.glob("*.parquet"))
        )

    # Publishing ---------------------------------------------------------------

    def partition_dir(self, snapshot: date) -> Path:
        return self.source_dir / f"snapshot={snapshot.isoformat()}"

    def publish(
        self, snapshot: date, *, memory_limit: str = "512MB"
    ) -> tuple[int, int]:
        """Merges the snapshot's staged files into its partition, one record per
        INN (the first by file name and document id), and swaps it in.

        Returns (records staged, records published); the difference is the number
        of duplicates merged.
        """
        files = [str(path) for path in self.staged_files(snapshot)]
        order = "region_code, inn" if "region_code" in self.schema.names else "inn"
        target = self.partition_dir(snapshot)
        building = target.with_name(f".{target.name}.{uuid.uuid4().hex}")
        building.mkdir(parents=True)
        temp_dir = self.root / "_tmp"
        temp_dir.mkdir(parents=True, exist_ok=True)
        # Imported here: the import's worker processes never publish, and DuckDB
        # (with numpy) would add a tenth of a second to each start.
        import duckdb

        connection = duckdb.connect(
            config={"memory_limit": memory_limit, "temp_directory": str(temp_dir)}
        )
        try:
            staged_count, distinct_count = connection.execute(
                "SELECT count(*), count(DISTINCT inn) FROM read_parquet(?)", [files]
            ).fetchall()[0]
            # The window that keeps one record per INN is paid only when needed.
            keep_first = (
                """QUALIFY row_number() OVER (
                    PARTITION BY inn ORDER BY source_file, document_id
                ) = 1"""
                if distinct_count < staged_count
                else ""
            )
            connection.execute(
                f"""
                COPY (
                    SELECT * FROM read_parquet(?)
                    {keep_first}
                    ORDER BY {order}
                ) TO '{building / "part-0.parquet"}'
                (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 250000)
                """,
                [files],
            )
            published = connection.execute(
                "SELECT count(*) FROM read_parquet(?)",
                [str(building / "part-0.parquet")],
            ).fetchall()[0][0]
            built_from = [Path(name).stem for name in files]
            (building / BUILT_FROM_NAME).write_text(json.dumps(built_from))
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        finally:
            connection.close()
        # Swap: move the old partition aside, put the new one in, drop the old.
        retired = target.with_name(f".{target.name}.old-{uuid.uuid4().hex}")
        if target.exists():
            os.replace(target, retired)
        os.replace(building, target)
        shutil.rmtree(retired, ignore_errors=True)
        return staged_count, published

    def staged_files(self, snapshot: date) -> list[Path]:
        staged = self.staging_dir / f"snapshot={snapshot.isoformat()}"
        return sorted(staged.glob("*.parquet"))

    def is_published(self, snapshot: date) -> bool:
        """True when the partition was built from exactly the staged files."""
        marker = self.partition_dir(snapshot) / BUILT_FROM_NAME
        if not marker.exists():
            return False
        staged = [path.stem for path in self.staged_files(snapshot)]
        return json.loads(marker.read_text()) == staged

    def published_snapshots(self) -> list[date]:
        if not self.source_dir.exists():
            return []
        return sorted(
            date.fromisoformat(path.name.removeprefix("snapshot="))
            for path in self.source_dir.glob("snapshot=*")
            if (path / "part-0.parquet").exists()
        )

    def parquet_glob(self) -> str:
        # part-* only: a partition's folder also holds its summaries (``summaries``).
        return str(self.source_dir / "snapshot=*" / "part-*.parquet")

    def clean_leftovers(self) -> None:
        """Removes temporary files a crash left behind; they were never visible."""
        for base in (self.source_dir, self.staging_dir):
            if not base.exists():
                continue
            for path in base.rglob(".*"):
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                elif path.name != MANIFEST_NAME:
                    path.unlink(missing_ok=True)


def _split_by_snapshot(table: pa.Table) -> Iterator[tuple[date, pa.Table]]:
    dates = table.column("snapshot_date").unique().to_pylist()
    if len(dates) == 1:
        yield dates[0], table
        return
    for snapshot in sorted(dates):
        yield snapshot, table.filter(pc.equal(table.column("snapshot_date"), snapshot))
