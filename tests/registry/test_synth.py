"""The synthetic SME register: real format, determinism and the story it tells."""

from __future__ import annotations

import csv
import itertools
import re
import zipfile
from collections import Counter
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest
from lxml import etree
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

from creative_regions.registry.schema import (
    CATEGORIES,
    COLUMNS,
    KINDS,
    RECORD_SCHEMA,
)
from creative_regions.registry.synth import (
    SynthConfig,
    synth_growth_regions,
    synth_snapshot_records,
    synth_write_archives,
)

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "creative_regions"
SNAPSHOTS = (date(2021, 1, 10), date(2022, 1, 10), date(2023, 1, 10))
CONFIG = SynthConfig(snapshots=SNAPSHOTS, scale=0.002, seed=42, docs_per_file=2000)
# Growth points need a few hundred creative firms to stand out from the noise.
GROWTH = SynthConfig(snapshots=(date(2021, 1, 10), date(2024, 1, 10)), scale=0.008)
SMALL = SynthConfig(
    snapshots=(date(2023, 1, 10), date(2024, 1, 10)), scale=0.001, docs_per_file=700
)
MEMBER_NAME = re.compile(
    r"^VO_RRMSPSV_0000_9965_(\d{8})_"
    r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.xml$"
)
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@pytest.fixture(scope="module")
def snapshots() -> list[tuple[date, list[dict]]]:
    return list(synth_snapshot_records(CONFIG))


@pytest.fixture(scope="module")
def archives(tmp_path_factory) -> list[Path]:
    return synth_write_archives(CONFIG, tmp_path_factory.mktemp("synth"))


def creative_codes() -> list[str]:
    path = PACKAGE / "research" / "data" / "creative_okved_ru.csv"
    with open(path, encoding="utf-8", newline="") as file:
        return [row["okved2"] for row in csv.DictReader(file)]


def creative_directions() -> set[str]:
    path = PACKAGE / "research" / "data" / "creative_okved_ru.csv"
    with open(path, encoding="utf-8", newline="") as file:
        return {row["sector"] for row in csv.DictReader(file)}


def is_creative(code: str | None, codes: list[str]) -> bool:
    return code is not None and any(
        code == prefix or code.startswith(prefix + ".") for prefix in codes
    )


def federal_districts() -> dict[str, str]:
    path = PACKAGE / "geo" / "data" / "regions_ru.csv"
    with open(path, encoding="utf-8", newline="") as file:
        return {row["code"]: row["federal_district"] for row in csv.DictReader(file)}


def parse_date(text: str) -> date:
    day, month, year = text.split(".")
    return date(int(year), int(month), int(day))


def parse_member(data: bytes, file_name: str) -> list[dict]:
    """A reference parser: the records a correct importer extracts from a file."""
    root = etree.fromstring(data, parser=PARSER)
    records = []
    for document in root.iter("Документ"):
        record = {
            "snapshot_date": parse_date(document.get("ДатаСост")),
            "okved_main": None,
            "okved_version": None,
            "okved_extra": [],
            "district": None,
            "city": None,
            "settlement": None,
        }
        reported = None
        for child in document:
            if child.tag == "ОргВклМСП":
                record["inn"] = child.get("ИННЮЛ")
                record["ogrn"] = child.get("ОГРН")
                record["name"] = child.get("НаимОрг")
            elif child.tag == "ИПВклМСП":
                record["inn"] = child.get("ИННФЛ")
                record["ogrn"] = child.get("ОГРНИП")
                person = child.find("ФИОИП")
                parts = [person.get(a) for a in ("Фамилия", "Имя", "Отчество")]
                record["name"] = " ".join(part for part in parts if part)
            elif child.tag == "СведМН":
                record["region_code"] = child.get("КодРегион")
                for place, key in (
                    ("Район", "district"),
                    ("Город", "city"),
                    ("НаселПункт", "settlement"),
                ):
                    element = child.find(place)
                    if element is not None:
                        record[key] = element.get("Наим")
            elif child.tag == "СвОКВЭД":
                for activity in child:
                    if activity.tag == "СвОКВЭДОсн":
                        record["okved_main"] = activity.get("КодОКВЭД")
                        record["okved_version"] = activity.get("ВерсОКВЭД")
                    elif activity.tag == "СвОКВЭДДоп":
                        record["okved_extra"].append(activity.get("КодОКВЭД"))
            elif child.tag == "СвОКВЭДотч":
                main = child.find("СвОКВЭДОсн")
                if main is not None:
                    reported = (main.get("КодОКВЭД"), main.get("ВерсОКВЭД"))
        record["is_okved_from_reports"] = record["okved_main"] is None and bool(
            reported
        )
        if record["is_okved_from_reports"]:
            record["okved_main"], record["okved_version"] = reported
        headcount = document.get("ССЧР")
        record.update(
            is_ogrn_valid=stdnum_ogrn.is_valid(record["ogrn"]),
            kind=KINDS[document.get("ВидСубМСП")],
            category=CATEGORIES[document.get("КатСубМСП")],
            employees=int(headcount) if headcount is not None else None,
            included_date=parse_date(document.get("ДатаВклМСП")),
            is_new=document.get("ПризНовМСП") == "1",
            is_social_enterprise=document.get("СведСоцПред") == "1",
            document_id=document.get("ИдДок"),
            source_file=file_name,
        )
        records.append({column: record[column] for column in COLUMNS})
    return records


def test_the_same_config_gives_identical_archives(tmp_path):
    first = synth_write_archives(SMALL, tmp_path / "first")
    second = synth_write_archives(SMALL, tmp_path / "second")
    other = synth_write_archives(
        SynthConfig(snapshots=SMALL.snapshots, scale=SMALL.scale, seed=43),
        tmp_path / "other",
    )
    assert [p.name for p in first] == [
        "data-10012023-structure-10062025.zip",
        "data-10012024-structure-10062025.zip",
    ]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert [p.read_bytes() for p in first] != [p.read_bytes() for p in other]
    assert not list(tmp_path.glob("*/*.part"))


def test_record_counts_follow_the_scale(snapshots):
    expected = CONFIG.scale * 6_500_000
    assert [day for day, _records in snapshots] == list(SNAPSHOTS)
    for _day, records in snapshots:
        assert abs(len(records) - expected) / expected < 0.05


def test_records_have_the_store_schema(snapshots):
    _day, records = snapshots[0]
    assert all(tuple(record) == COLUMNS for record in records)
    table = pa.Table.from_pylist(records, schema=RECORD_SCHEMA)
    assert table.num_rows == len(records)


def test_members_are_well_formed_files_of_the_register(archives, snapshots):
    for path, (day, records) in zip(archives, snapshots, strict=True):
        assert path.name == f"data-{day:%d%m%Y}-structure-10062025.zip"
        total = 0
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None
            for info in archive.infolist():
                match = MEMBER_NAME.match(info.filename)
                assert match and match.group(1) == f"{day:%Y%m%d}"
                assert info.compress_type == zipfile.ZIP_DEFLATED
                data = archive.read(info)
                assert data.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
                root = etree.fromstring(data, parser=PARSER)
                documents = root.findall("Документ")
                assert root.tag == "Файл"
                assert root.get("ИдФайл") == info.filename.removesuffix(".xml")
                assert root.get("ВерсФорм") == "4.06"
                assert root.get("ТипИнф") == "РЕЕСТРМСП"
                assert root.get("ВерсПрог")
                assert int(root.get("КолДок")) == len(documents)
                assert root[0].tag == "ИдОтпр" and root[0][0].tag == "ФИООтв"
                assert len(documents) <= CONFIG.docs_per_file
                assert {d.get("ДатаСост") for d in documents} == {f"{day:%d.%m.%Y}"}
                total += len(documents)
        assert total == len(records)


def test_records_equal_what_a_parser_extracts_from_the_files(archives, snapshots):
    for path, (_day, records) in zip(archives, snapshots, strict=True):
        parsed = []
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                parsed.extend(parse_member(archive.read(name), name))
        assert parsed == records


def test_identifiers_are_valid_and_unique(snapshots):
    for _day, records in snapshots:
        inns = [record["inn"] for record in records]
        assert len(set(inns)) == len(inns)
        assert all(stdnum_inn.is_valid(inn) for inn in inns)
        for record in records:
            length = 10 if record["kind"] == "legal_entity" else 12
            assert len(record["inn"]) == length
            assert len(record["ogrn"]) == (13 if length == 10 else 15)
            assert record["is_ogrn_valid"] == stdnum_ogrn.is_valid(record["ogrn"])
        assert len({record["ogrn"] for record in records}) == len(records)
        legal = [r["inn"] for r in records if r["kind"] == "legal_entity"]
        regions = [r["region_code"] for r in records if r["kind"] == "legal_entity"]
        assert all(inn[:2] == code for inn, code in zip(legal, regions, strict=True))
        invalid = sum(not record["is_ogrn_valid"] for record in records)
        assert 0 < invalid < 0.005 * len(records)


def test_mix_of_kinds_categories_and_headcounts(snapshots):
    _day, records = snapshots[0]
    total = len(records)
    kinds = Counter(record["kind"] for record in records)
    categories = Counter(record["category"] for record in records)
    assert abs(kinds["legal_entity"] / total - 0.44) < 0.02
    assert abs(kinds["sole_trader"] / total - 0.54) < 0.02
    assert abs(kinds["farm_head"] / total - 0.02) < 0.006
    assert abs(categories["micro"] / total - 0.95) < 0.01
    assert abs(categories["small"] / total - 0.043) < 0.01
    assert abs(categories["medium"] / total - 0.007) < 0.004
    ranges = {"micro": (0, 15), "small": (16, 100), "medium": (101, 250)}
    missing = 0
    for record in records:
        if record["employees"] is None:
            missing += 1
        else:
            low, high = ranges[record["category"]]
            assert low <= record["employees"] <= high
    assert 0.2 < missing / total < 0.4
    from_reports = sum(record["is_okved_from_reports"] for record in records)
    without = [record for record in records if record["okved_main"] is None]
    assert 0 < from_reports < 0.03 * total
    assert 0 < len(without) < 0.01 * total
    assert all(record["okved_version"] is None for record in without)
    assert all(record["included_date"] <= SNAPSHOTS[0] for record in records)


def test_moscow_has_a_higher_creative_share_than_the_country(snapshots):
    codes = creative_codes()
    for _day, records in snapshots:
        national = sum(is_creative(r["okved_main"], codes) for r in records)
        moscow = [r for r in records if r["region_code"] == "77"]
        moscow_creative = sum(is_creative(r["okved_main"], codes) for r in moscow)
        share = national / len(records)
        assert 0.045 < share < 0.08
        assert moscow_creative / len(moscow) > 1.5 * share


def test_growth_regions_grow_faster_than_the_country():
    growth = synth_growth_regions(GROWTH)
    assert growth == synth_growth_regions(GROWTH)
    assert 4 <= len(growth) <= 6
    districts = federal_districts()
    assert len({districts[code] for code in growth}) == len(growth)
    directions = creative_directions()
    assert all(growth[code] and set(growth[code]) <= directions for code in growth)

    codes = creative_codes()

    def creative(records: list[dict], regions: set[str] | None = None) -> int:
        return sum(
            is_creative(r["okved_main"], codes)
            for r in records
            if regions is None or r["region_code"] in regions
        )

    (_start, first), (_end, last) = synth_snapshot_records(GROWTH)
    national = creative(last) / creative(first)
    regional = creative(last, set(growth)) / creative(first, set(growth))
    # Three years at +3-6 % against +25-40 % in the growing directions.
    assert 1.05 < national < 1.25
    assert regional > national + 0.15


def test_firms_persist_leave_and_enter(snapshots):
    for (previous, before), (day, after) in itertools.pairwise(snapshots):
        old = {record["inn"]: record for record in before}
        new = {record["inn"]: record for record in after}
        stayed = old.keys() & new.keys()
        left = len(old.keys() - new.keys()) / len(old)
        born = [new[inn] for inn in new.keys() - old.keys()]
        assert 0.06 < left < 0.15
        assert 0.06 < len(born) / len(new) < 0.16
        assert all(previous < r["included_date"] <= day for r in born)
        assert sum(r["is_new"] for r in born) > 0.7 * len(born)
        for inn in stayed:
            a, b = old[inn], new[inn]
            assert (a["ogrn"], a["name"], a["region_code"], a["included_date"]) == (
                b["ogrn"],
                b["name"],
                b["region_code"],
                b["included_date"],
            )


def test_invalid_configurations_are_refused():
    with pytest.raises(ValueError):
        list(synth_snapshot_records(SynthConfig(snapshots=())))
    with pytest.raises(ValueError):
        list(
            synth_snapshot_records(
                SynthConfig(snapshots=(date(2024, 1, 10), date(2023, 1, 10)))
            )
        )
    with pytest.raises(ValueError):
        list(synth_snapshot_records(SynthConfig(snapshots=SNAPSHOTS, scale=0)))
