"""Writes of the registry app: running imports and recording their outcome."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from creative_regions.core.models import User
from creative_regions.registry import messages
from creative_regions.registry.datasets import DATASETS
from creative_regions.registry.importer import FileOutcome, ImportSummary, run_import
from creative_regions.registry.models import QuarantinedRecord, RegistryImport
from creative_regions.registry.schema import SOURCE_FNS_RSMP
from creative_regions.registry.store import RegisterStore

QUARANTINE_BATCH = 5_000
DATASET_BY_SOURCE = {dataset.source: name for name, dataset in DATASETS.items()}


def registry_store(source: str = SOURCE_FNS_RSMP) -> RegisterStore:
    """The store of ``source`` under the data folder."""
    return RegisterStore(Path(settings.DATA_DIR) / "registry", source)


def registry_import_create(
    *, paths: Iterable[Path], source: str = SOURCE_FNS_RSMP, user: User | None = None
) -> RegistryImport:
    """Records an import to run, from the command line or the web."""
    registry_import = RegistryImport(
        source=source,
        # Absolute, so a worker started elsewhere finds the same files.
        paths=[str(Path(path).resolve()) for path in paths],
        created_by=user,
    )
    registry_import.full_clean()
    registry_import.save()
    return registry_import


def registry_import_run(
    *,
    registry_import: RegistryImport,
    workers: int | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Runs a recorded import to the end, saving progress after every file and
    the quarantine as it comes. Safe to run again: files already stored are
    skipped."""
    RegistryImport.objects.filter(pk=registry_import.pk).update(
        status=RegistryImport.Status.RUNNING,
        started_at=timezone.now(),
        message="",
    )

    def started(total: int) -> None:
        RegistryImport.objects.filter(pk=registry_import.pk).update(files_total=total)
        if on_start:
            on_start(total)

    def file_done(outcome: FileOutcome) -> None:
        _record_file(registry_import, outcome)
        if on_file:
            on_file(outcome)

    try:
        summary = run_import(
            [Path(path) for path in registry_import.paths],
            store=registry_store(registry_import.source),
            dataset=DATASET_BY_SOURCE[registry_import.source],
            workers=workers,
            on_start=started,
            on_file=file_done,
        )
    except Exception as error:
        RegistryImport.objects.filter(pk=registry_import.pk).update(
            status=RegistryImport.Status.FAILED,
            message=f"{type(error).__name__}: {error}",
            finished_at=timezone.now(),
        )
        raise
    registry_import.refresh_from_db()
    registry_import.records_stored = summary.records_stored
    registry_import.duplicates_merged = summary.duplicates_merged
    registry_import.snapshots = [snapshot.isoformat() for snapshot in summary.snapshots]
    registry_import.file_errors = [
        {"file": error.file, "message": error.message, **error.text.as_json()}
        for error in summary.file_errors
    ]
    registry_import.finished_at = timezone.now()
    if not summary.imported_anything:
        registry_import.status = RegistryImport.Status.FAILED
        registry_import.message = messages.NOTHING_IMPORTED
    elif summary.file_errors:
        registry_import.status = RegistryImport.Status.PARTIAL
    else:
        registry_import.status = RegistryImport.Status.SUCCEEDED
    registry_import.save(
        update_fields=[
            "records_stored",
            "duplicates_merged",
            "snapshots",
            "file_errors",
            "finished_at",
            "status",
            "message",
        ]
    )
    return summary


def _record_file(registry_import: RegistryImport, outcome: FileOutcome) -> None:
    counters = {"files_done": F("files_done") + 1}
    if outcome.status == "skipped":
        counters["files_skipped"] = F("files_skipped") + 1
    elif outcome.status == "failed":
        counters["files_failed"] = F("files_failed") + 1
    else:
        counters["records_read"] = F("records_read") + outcome.records
        counters["quarantined"] = F("quarantined") + len(outcome.quarantined)
    with transaction.atomic():
        RegistryImport.objects.filter(pk=registry_import.pk).update(**counters)
        QuarantinedRecord.objects.bulk_create(
            (
                QuarantinedRecord(
                    registry_import_id=registry_import.pk,
                    file_name=record.file_name,
                    document_id=record.document_id[:64],
                    inn=record.inn[:32],
                    reason=record.reason,
                    detail=record.detail,
                )
                for record in outcome.quarantined
            ),
            batch_size=QUARANTINE_BATCH,
        )


def registry_import_enqueue(*, registry_import: RegistryImport) -> None:
    """Queues the import for the background worker once the request commits."""
    from creative_regions.registry.tasks import registry_import_task

    transaction.on_commit(lambda: registry_import_task.enqueue(registry_import.pk))


def registry_upload_save(*, name: str, chunks: Iterable[bytes]) -> Path:
    """Saves an uploaded archive under the data folder and returns its path."""
    folder = (
        Path(settings.DATA_DIR)
        / "uploads"
        / timezone.now().strftime("%Y%m%d-%H%M%S-%f")
    )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / Path(name).name
    with open(path, "wb") as file:
        for chunk in chunks:
            file.write(chunk)
    return path
