"""Writes of the geo app: loading the regions reference."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from creative_regions.geo.models import Region

DATA_DIR = Path(__file__).resolve().parent / "data"

FEDERAL_DISTRICTS_RU = {
    "Центральный": Region.FederalDistrict.CENTRAL,
    "Северо-Западный": Region.FederalDistrict.NORTHWESTERN,
    "Южный": Region.FederalDistrict.SOUTHERN,
    "Северо-Кавказский": Region.FederalDistrict.NORTH_CAUCASIAN,
    "Приволжский": Region.FederalDistrict.VOLGA,
    "Уральский": Region.FederalDistrict.URAL,
    "Сибирский": Region.FederalDistrict.SIBERIAN,
    "Дальневосточный": Region.FederalDistrict.FAR_EASTERN,
    "": "",
}

FIELDS = (
    "iso_code",
    "okato",
    "name_ru",
    "name_en",
    "short_ru",
    "short_en",
    "federal_district",
    "capital_ru",
    "capital_en",
    "population",
    "population_year",
    "grid_row",
    "grid_col",
    "is_added_2022",
    "note",
)


@dataclass(frozen=True)
class ReferenceLoadResult:
    created: int
    updated: int
    unchanged: int


def _optional_int(value: str) -> int | None:
    value = value.strip()
    return int(value) if value else None


def _read_reference(data_dir: Path) -> list[dict]:
    with open(data_dir / "regions_extra.csv", encoding="utf-8", newline="") as file:
        extras = {row["code"]: row for row in csv.DictReader(file)}
    records = []
    with open(data_dir / "regions_ru.csv", encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            extra = extras[row["code"]]
            records.append(
                {
                    "code": row["code"].zfill(2),
                    "iso_code": row["iso_3166_2"],
                    "okato": row["okato"],
                    "name_ru": row["name_ru"],
                    "name_en": row["name_en"],
                    "short_ru": extra["short_ru"],
                    "short_en": extra["short_en"],
                    "federal_district": FEDERAL_DISTRICTS_RU[row["federal_district"]],
                    "capital_ru": row["capital_ru"],
                    "capital_en": extra["capital_en"],
                    "population": _optional_int(row["population"]),
                    "population_year": _optional_int(row["population_year"]),
                    "grid_row": _optional_int(row["grid_row"]),
                    "grid_col": _optional_int(row["grid_col"]),
                    # The source marks the four subjects added in 2022 in its note.
                    "is_added_2022": row["note"].startswith("added 2022"),
                    "note": row["note"],
                }
            )
    return records


def region_load_reference(*, data_dir: Path = DATA_DIR) -> ReferenceLoadResult:
    """Creates or updates the regions from the packaged reference; running it again
    on the same files changes nothing."""
    created = updated = unchanged = 0
    existing = {region.code: region for region in Region.objects.all()}
    with transaction.atomic():
        for record in _read_reference(data_dir):
            region = existing.get(record["code"])
            if region is None:
                region = Region(**record)
                region.full_clean()
                region.save()
                created += 1
                continue
            changed = [name for name in FIELDS if getattr(region, name) != record[name]]
            if not changed and region.search_text == region.compute_search_text():
                unchanged += 1
                continue
            for name in changed:
                setattr(region, name, record[name])
            region.full_clean()
            region.save()
            updated += 1
    return ReferenceLoadResult(created=created, updated=updated, unchanged=unchanged)
