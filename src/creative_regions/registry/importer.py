"""Import of register files into the store: find the files, parse them on every core,
stage each atomically, then publish the snapshots they touched.

This module knows nothing of Django, so worker processes start lean; the caller
(``services.registry_import_run``) records progress and the quarantine.
"""

from __future__ import annotations

import multiprocessing
import os
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import IO

from creative_regions.registry import messages
from creative_regions.registry.archives import (
    CORRUPT_MEMBER_ERRORS,
    InflatingMember,
    is_plainly_deflated,
)
from creative_regions.registry.datasets import DATASETS
from creative_regions.registry.messages import Message, message
from creative_regions.registry.parsers import (
    FileParse,
    FileRejected,
    HashingReader,
    QuarantinedRecord,
)
from creative_regions.registry.store import ManifestEntry, RegisterStore

XML_SUFFIX = ".xml"
ZIP_SUFFIX = ".zip"


@dataclass(frozen=True)
class Member:
    """One XML file to import: a file on disk or a member of a zip archive."""

    archive: str
    name: str
    size: int
    zip_crc: int | None = None

    @property
    def label(self) -> str:
        if self.zip_crc is None:
            return self.name
        return f"{Path(self.archive).name}:{self.name}"


@dataclass(frozen=True)
class FileError:
    file: str
    text: Message

    @property
    def message(self) -> str:
        return str(self.text)


@dataclass
class FileOutcome:
    member: Member
    status: str  # "stored", "skipped" or "failed"
    text: Message | None = None
    records: int = 0
    documents: int = 0
    declared: int | None = None
    sha256: str = ""
    snapshots: dict[date, int] = field(default_factory=dict)
    quarantined: list[QuarantinedRecord] = field(default_factory=list)

    @property
    def count_mismatch(self) -> bool:
        return self.declared is not None and self.declared != self.documents


@dataclass
class ImportSummary:
    files_total: int = 0
    files_stored: int = 0
    files_skipped: int = 0
    file_errors: list[FileError] = field(default_factory=list)
    records_read: int = 0
    records_stored: int = 0
    duplicates_merged: int = 0
    quarantined: int = 0
    quarantine_reasons: dict[str, int] = field(default_factory=dict)
    snapshots: list[date] = field(default_factory=list)

    @property
    def imported_anything(self) -> bool:
        return self.files_stored + self.files_skipped > 0


def discover(paths: Iterable[Path]) -> tuple[list[Member], list[FileError]]:
    """Lists the XML files inside ``paths``: zip archives, XML files or folders of
    them. Unreadable archives and files of other kinds are reported, not skipped
    silently."""
    members: list[Member] = []
    errors: list[FileError] = []
    for path in paths:
        if path.is_dir():
            inner = sorted(
                child
                for child in path.rglob("*")
                if child.is_file() and child.suffix.lower() in {XML_SUFFIX, ZIP_SUFFIX}
            )
            found, problems = discover(inner)
            members += found
            errors += problems
        elif not path.exists():
            errors.append(FileError(str(path), message(messages.NO_SUCH_FILE)))
        elif path.suffix.lower() == ZIP_SUFFIX:
            try:
                with zipfile.ZipFile(path) as archive:
                    for info in sorted(
                        archive.infolist(), key=lambda item: item.filename
                    ):
                        if info.is_dir():
                            continue
                        if not info.filename.lower().endswith(XML_SUFFIX):
                            errors.append(
                                FileError(
                                    f"{path.name}:{info.filename}",
                                    message(messages.NOT_XML_MEMBER),
                                )
                            )
                            continue
                        members.append(
                            Member(str(path), info.filename, info.file_size, info.CRC)
                        )
            except (zipfile.BadZipFile, OSError) as error:
                errors.append(
                    FileError(str(path), message(messages.NOT_A_ZIP, detail=str(error)))
                )
        elif path.suffix.lower() == XML_SUFFIX:
            members.append(Member(str(path), path.name, path.stat().st_size))
        else:
            errors.append(FileError(str(path), message(messages.NEITHER_ZIP_NOR_XML)))
    return members, errors


@lru_cache(maxsize=4)
def _archive(path: str, modified_ns: int, size: int) -> zipfile.ZipFile:
    """An archive opened once per process: reading the central directory of a zip
    with thousands of members for each member would cost more than the members.
    Keyed by modification time and size too, so a replaced file is opened anew."""
    return zipfile.ZipFile(path)


@contextmanager
def _open_member(member: Member) -> Iterator[IO[bytes]]:
    if member.zip_crc is None:
        with open(member.archive, "rb") as file:
            yield file
    else:
        status = os.stat(member.archive)
        archive = _archive(member.archive, status.st_mtime_ns, status.st_size)
        info = archive.getinfo(member.name)
        if is_plainly_deflated(info):
            with open(member.archive, "rb") as file:
                yield InflatingMember(file, info)
        else:
            with archive.open(info) as file:
                yield file


def _sha256_of(member: Member) -> str:
    with _open_member(member) as stream:
        reader = HashingReader(stream)
        while reader.read(1 << 20):
            pass
        return reader.hash.hexdigest()


def process_member(
    member: Member, store_root: str, dataset: str, known_checksums: frozenset[str]
) -> FileOutcome:
    """Parses and stages one XML file of ``dataset``; safe to run in a worker
    process."""
    reader = DATASETS[dataset]
    store = RegisterStore(Path(store_root), DATASETS[dataset].source)
    try:
        # A loose file is hashed first (cheap next to parsing) so a file seen before
        # is skipped unread; zip members were matched by name, size and CRC.
        if member.zip_crc is None and _sha256_of(member) in known_checksums:
            return FileOutcome(member, "skipped")
        parse = FileParse(member.name)
        with _open_member(member) as stream:
            batches = reader.iter_batches(stream, file_name=member.name, parse=parse)
            counts = store.stage(batches, key=lambda: parse.sha256)
    except FileRejected as error:
        return FileOutcome(member, "failed", error.text)
    except CORRUPT_MEMBER_ERRORS as error:
        return FileOutcome(
            member, "failed", message(messages.CORRUPT_MEMBER, detail=str(error))
        )
    if parse.sha256 in known_checksums:
        return FileOutcome(member, "skipped", sha256=parse.sha256)
    return FileOutcome(
        member,
        "stored",
        records=sum(counts.values()),
        documents=parse.document_count,
        declared=parse.declared_count,
        sha256=parse.sha256,
        snapshots=counts,
        quarantined=parse.quarantined,
    )


def _process_star(arguments: tuple) -> FileOutcome:
    return process_member(*arguments)


def run_import(
    paths: Iterable[Path],
    *,
    store: RegisterStore,
    dataset: str = "rsmp",
    workers: int | None = None,
    on_start: Callable[[int], None] | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
    on_publish: Callable[[date], None] | None = None,
) -> ImportSummary:
    """Imports every XML file under ``paths`` into ``store``.

    ``dataset`` names the tax service's dataset (see ``datasets.DATASETS``). Files
    already in the manifest are skipped, so a rerun after a crash finishes
    the job and a second run of the same input changes nothing. Snapshots are
    republished whenever their staged files changed.
    """
    if DATASETS[dataset].source != store.source:
        raise ValueError(
            f"The {dataset} dataset belongs in {DATASETS[dataset].source}."
        )
    store.clean_leftovers()
    members, errors = discover(paths)
    summary = ImportSummary(files_total=len(members), file_errors=list(errors))
    checksums, known_members = store.known_files()
    pending = []
    for member in members:
        if member.zip_crc is not None and (
            (member.name, member.size, member.zip_crc) in known_members
        ):
            summary.files_skipped += 1
            if on_file:
                on_file(FileOutcome(member, "skipped"))
        else:
            pending.append(member)
    if on_start:
        on_start(len(members))

    known = frozenset(checksums)
    arguments = [(member, str(store.root), dataset, known) for member in pending]
    worker_count = workers or min(os.cpu_count() or 1, max(1, len(pending)))
    for outcome in _map(arguments, worker_count):
        _account(outcome, store, summary)
        if on_file:
            on_file(outcome)

    for snapshot in store.staged_snapshots():
        if store.is_published(snapshot):
            continue
        if on_publish:
            on_publish(snapshot)
        staged, published = store.publish(snapshot)
        summary.duplicates_merged += staged - published
        summary.records_stored += published
        summary.snapshots.append(snapshot)
    return summary


def _map(arguments: list[tuple], worker_count: int) -> Iterator[FileOutcome]:
    if worker_count <= 1 or len(arguments) <= 1:
        yield from map(_process_star, arguments)
        return
    # Forked workers start in milliseconds; spawning each would cost half a second
    # of imports, a tenth of a national snapshot's import. What they inherit and
    # never touch is safe: they run only the parsing and staging of this module
    # (no database, no DuckDB, no logging) and end with os._exit, so an inherited
    # database connection is neither used nor closed.
    context = multiprocessing.get_context("fork")
    with context.Pool(worker_count) as pool:
        yield from pool.imap_unordered(_process_star, arguments, chunksize=1)


def _account(
    outcome: FileOutcome, store: RegisterStore, summary: ImportSummary
) -> None:
    member = outcome.member
    if outcome.status == "failed":
        summary.file_errors.append(FileError(member.label, outcome.text))
        return
    if outcome.status == "skipped":
        summary.files_skipped += 1
        return
    if outcome.count_mismatch:
        summary.file_errors.append(
            FileError(
                member.label,
                message(
                    messages.COUNT_MISMATCH,
                    declared=outcome.declared,
                    documents=outcome.documents,
                ),
            )
        )
    summary.files_stored += 1
    summary.records_read += outcome.records
    summary.quarantined += len(outcome.quarantined)
    for record in outcome.quarantined:
        summary.quarantine_reasons[record.reason] = (
            summary.quarantine_reasons.get(record.reason, 0) + 1
        )
    store.record_file(
        ManifestEntry(
            name=member.name,
            archive=Path(member.archive).name,
            size=member.size,
            sha256=outcome.sha256,
            zip_crc=member.zip_crc,
            records=outcome.records,
            quarantined=len(outcome.quarantined),
            snapshots=sorted(snapshot.isoformat() for snapshot in outcome.snapshots),
        )
    )
