"""Writes of the research app: classification versions."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from creative_regions.core.exceptions import ApplicationError
from creative_regions.core.models import User
from creative_regions.core.text import search_normalise
from creative_regions.research.models import (
    Classification,
    ClassificationEntry,
    ClassificationVersion,
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
