"""Writes of the research app: classification versions and research runs."""

from __future__ import annotations

import csv
import hashlib
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from creative_regions.core.exceptions import ApplicationError
from creative_regions.core.models import User
from creative_regions.core.text import search_normalise
from creative_regions.geo.models import Region
from creative_regions.registry.schema import SOURCE_FNS_RSMP
from creative_regions.registry.services import registry_store
from creative_regions.research.engine import (
    DEFAULT_CRITERIA,
    GrowthCriteria,
    ResearchResult,
    check_snapshots,
    research_compute,
    research_snapshots,
)
from creative_regions.research.engine.parameters import normalised_weights
from creative_regions.research.models import (
    Classification,
    ClassificationEntry,
    ClassificationVersion,
    LeaderRow,
    PeerRow,
    ProfileCell,
    RankingRow,
    RegionTotal,
    ResearchRun,
    SectorTotal,
)
from creative_regions.research.parsers import RowError, parse_classification_table

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class ReferenceClassification:
    key: str
    name_ru: str
    name_en: str
    code_system: str
    file_name: str
    version_label: str
    is_provisional: bool
    source: str


REFERENCE_CLASSIFICATIONS = (
    ReferenceClassification(
        key="ru-minec-16",
        name_ru="Креативные индустрии: 16 направлений Минэкономразвития (ОКВЭД2)",
        name_en="Creative industries: the 16 directions of the Ministry of Economic "
        "Development (OKVED2)",
        code_system=Classification.CodeSystem.OKVED2,
        file_name="creative_okved_ru.csv",
        version_label="2025-provisional",
        is_provisional=True,
        source="Реконструкция по перечню МЭР (16 направлений, 2025) и методологии "
        "Росстата (приказы № 674 от 21.12.2023 и № 398 от 05.09.2024)",
    ),
    ReferenceClassification(
        key="uk-dcms",
        name_ru="Креативные индустрии Великобритании (DCMS, SIC 2007)",
        name_en="UK creative industries (DCMS, SIC 2007)",
        code_system=Classification.CodeSystem.SIC2007,
        file_name="creative_sic_uk.csv",
        version_label="2016",
        is_provisional=False,
        source="UK DCMS, Creative Industries Economic Estimates: methodology",
    ),
)


class ClassificationImportError(ApplicationError):
    """The file was refused; ``errors`` lists every problem by row and column."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(
            ngettext(
                "The file has %(count)s error; nothing was imported.",
                "The file has %(count)s errors; nothing was imported.",
                len(errors),
            )
            % {"count": len(errors)},
            field="file",
        )
        self.errors = errors


@dataclass(frozen=True)
class ImportOutcome:
    version: ClassificationVersion
    is_new: bool


def sector_translations(key: str) -> dict[str, str]:
    """English names of a classification's sectors known to the product."""
    with open(DATA_DIR / "sectors_en.csv", encoding="utf-8", newline="") as file:
        return {
            row["sector"]: row["sector_en"]
            for row in csv.DictReader(file)
            if row["classification"] == key
        }


def classification_version_import(
    *,
    classification: Classification,
    content: bytes,
    file_name: str,
    label: str,
    is_provisional: bool = False,
    source: str = "",
    activate: bool = False,
    user: User | None = None,
) -> ImportOutcome:
    """Imports a code table as a new version, whole or not at all.

    The same file imported again for the same classification returns the version it
    made the first time. Raises ``ClassificationImportError`` with every row-level
    problem, or ``ApplicationError`` on the label.
    """
    label = label.strip()
    if not label:
        raise ApplicationError(_("Name the version, e.g. 2026."), field="label")
    checksum = hashlib.sha256(content).hexdigest()
    existing = classification.versions.filter(file_sha256=checksum).first()
    if existing is not None:
        if activate:
            classification_version_activate(version=existing, user=user)
        return ImportOutcome(version=existing, is_new=False)
    if classification.versions.filter(label=label).exists():
        raise ApplicationError(
            _(
                "Version “%(label)s” already exists with other content; "
                "choose another name."
            )
            % {"label": label},
            field="label",
        )
    parsed = parse_classification_table(
        content,
        file_name=file_name,
        code_system=classification.code_system,
        sector_translations=sector_translations(classification.key),
    )
    if parsed.errors:
        raise ClassificationImportError(parsed.errors)
    with transaction.atomic():
        version = ClassificationVersion(
            classification=classification,
            label=label,
            is_provisional=is_provisional,
            source=source,
            file_name=file_name,
            file_sha256=checksum,
            entry_count=len(parsed.rows),
            imported_by=user,
        )
        version.full_clean()
        version.save()
        ClassificationEntry.objects.bulk_create(
            ClassificationEntry(
                version=version,
                code=row.code,
                name=row.name,
                sector=row.sector,
                sector_en=row.sector_en,
                confidence=row.confidence,
                source=row.source,
                search_text=search_normalise(
                    " ".join((row.code, row.name, row.sector, row.sector_en))
                ),
            )
            for row in parsed.rows
        )
        if activate:
            classification_version_activate(version=version, user=user)
    return ImportOutcome(version=version, is_new=True)


def classification_version_activate(
    *, version: ClassificationVersion, user: User | None = None
) -> Classification:
    """Makes ``version`` the one research uses for its classification."""
    classification = version.classification
    if classification.active_version_id == version.pk:
        return classification
    with transaction.atomic():
        classification.active_version = version
        classification._history_user = user  # type: ignore[attr-defined]
        classification.save(update_fields=["active_version"])
    return classification


def classification_load_reference() -> list[ImportOutcome]:
    """Creates the reference classifications and their first versions; idempotent.

    The packaged version becomes active only where no version is active yet, so an
    analyst's choice survives a reload.
    """
    outcomes = []
    for reference in REFERENCE_CLASSIFICATIONS:
        with transaction.atomic():
            classification, _created = Classification.objects.get_or_create(
                key=reference.key,
                defaults={
                    "name_ru": reference.name_ru,
                    "name_en": reference.name_en,
                    "code_system": reference.code_system,
                },
            )
            outcome = classification_version_import(
                classification=classification,
                content=(DATA_DIR / reference.file_name).read_bytes(),
                file_name=reference.file_name,
                label=reference.version_label,
                is_provisional=reference.is_provisional,
                source=reference.source,
                activate=classification.active_version_id is None,
            )
        outcomes.append(outcome)
    return outcomes


# Research runs ----------------------------------------------------------------------

RUN_DEFAULTS = {
    "weights": None,
    "min_organisations": DEFAULT_CRITERIA.min_organisations,
    "min_cagr": None,
    "region_criteria": {},
    "leaders_per_cell": 10,
    "peers": 5,
    "rank_draws": 500,
    "seed": 0,
}


def research_run_create(
    *,
    classification: Classification,
    base: date | None = None,
    target: date | None = None,
    source: str = SOURCE_FNS_RSMP,
    parameters: dict | None = None,
    user: User | None = None,
) -> ResearchRun:
    """Records a run on the classification's active version; base and target
    default to the earliest and the latest snapshot of the store. Refuses, naming
    the field, a classification without an active version, an empty store, a
    missing snapshot, dates the wrong way round and unknown parameters."""
    version = classification.active_version
    if version is None:
        raise ApplicationError(
            _("The classification %(key)s has no active version.")
            % {"key": classification.key},
            field="classification",
        )
    unknown = sorted(set(parameters or {}) - set(RUN_DEFAULTS))
    if unknown:
        raise ApplicationError(
            _("Unknown parameters: %(names)s.") % {"names": ", ".join(unknown)},
            field="parameters",
        )
    snapshots = research_snapshots(registry_store(source))
    base = base or (snapshots[0] if snapshots else None)
    target = target or (snapshots[-1] if snapshots else None)
    settings_ = {**RUN_DEFAULTS, **(parameters or {})}
    # The engine's own checks run before anything is recorded, so a refused run
    # leaves no trace.
    check_snapshots(snapshots, base=base, target=target)
    normalised_weights(settings_["weights"])
    _criteria(settings_)
    return ResearchRun.objects.create(
        classification_version=version,
        source=source,
        base_snapshot=base,
        target_snapshot=target,
        parameters=settings_,
        snapshots=[day.isoformat() for day in snapshots],
        created_by=user,
    )


def _criteria(parameters: dict) -> tuple[GrowthCriteria, dict[str, GrowthCriteria]]:
    default = GrowthCriteria(
        min_organisations=parameters["min_organisations"],
        min_cagr=parameters["min_cagr"],
    )
    overrides = {
        code: GrowthCriteria(
            min_organisations=rule.get("min_organisations", default.min_organisations),
            min_cagr=rule.get("min_cagr", default.min_cagr),
        )
        for code, rule in (parameters.get("region_criteria") or {}).items()
    }
    return default, overrides


def research_run_execute(*, run: ResearchRun) -> ResearchRun:
    """Computes the run and stores its results, replacing any earlier results of
    the same run; a failure is recorded on the run with its message."""
    ResearchRun.objects.filter(pk=run.pk).update(
        status=ResearchRun.Status.RUNNING, started_at=timezone.now(), message=""
    )
    parameters = {**RUN_DEFAULTS, **run.parameters}
    criteria, region_criteria = _criteria(parameters)
    sectors = list(
        run.classification_version.entries.values_list("code", "sector").order_by(
            "code"
        )
    )
    started = time.perf_counter()
    try:
        result = research_compute(
            registry_store(run.source),
            sectors=sectors,
            base=run.base_snapshot,
            target=run.target_snapshot,
            criteria=criteria,
            region_criteria=region_criteria,
            weights=parameters["weights"],
            leaders_per_cell=parameters["leaders_per_cell"],
            peers=parameters["peers"],
            rank_draws=parameters["rank_draws"],
            seed=parameters["seed"],
        )
        computed = time.perf_counter()
        with transaction.atomic():
            _store_results(run, result)
    except Exception as error:
        message = error.message if isinstance(error, ApplicationError) else str(error)
        ResearchRun.objects.filter(pk=run.pk).update(
            status=ResearchRun.Status.FAILED,
            message=message or type(error).__name__,
            finished_at=timezone.now(),
        )
        run.refresh_from_db()
        if isinstance(error, ApplicationError):
            return run
        raise
    stored = time.perf_counter()
    run.status = ResearchRun.Status.SUCCEEDED
    run.snapshots = [day.isoformat() for day in result.snapshots]
    run.timings = {
        "compute": round(computed - started, 3),
        "store": round(stored - computed, 3),
    }
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "snapshots", "timings", "finished_at"])
    return run


RESULT_TABLES = (
    ("profile", ProfileCell),
    ("leaders", LeaderRow),
    ("ranking", RankingRow),
    ("peers", PeerRow),
    ("regions", RegionTotal),
    ("sectors", SectorTotal),
)


def _store_results(run: ResearchRun, result: ResearchResult) -> None:
    region_ids = dict(Region.objects.values_list("code", "pk"))
    for attribute, model in RESULT_TABLES:
        model.objects.filter(run=run).delete()
        fields = {field.name for field in model._meta.concrete_fields}
        # Text columns store an unknown value as "" (a firm without a name).
        texts = {
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
        }
        rows = getattr(result, attribute).to_pylist()
        objects = []
        for row in rows:
            values = {
                key: "" if value is None and key in texts else value
                for key, value in row.items()
                if key in fields
            }
            if "region_code" in row:
                values["region_id"] = region_ids.get(row["region_code"])
            objects.append(model(run=run, **values))
        model.objects.bulk_create(objects, batch_size=2000)


def research_run_enqueue(*, run: ResearchRun) -> None:
    """Queues the run for the background worker once the request commits."""
    from creative_regions.research.tasks import research_run_task

    transaction.on_commit(lambda: research_run_task.enqueue(run.pk))
