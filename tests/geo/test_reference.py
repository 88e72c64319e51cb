import pytest

from creative_regions.geo.models import Region
from creative_regions.geo.services import region_load_reference

pytestmark = pytest.mark.django_db


def test_all_89_subjects_are_loaded_with_their_facts():
    result = region_load_reference()

    assert (result.created, result.updated, result.unchanged) == (89, 0, 0)
    tatarstan = Region.objects.get(code="16")
    assert tatarstan.name_ru == "Республика Татарстан (Татарстан)"
    assert tatarstan.name_en == "Tatarstan"
    assert tatarstan.capital_ru == "Казань" and tatarstan.capital_en == "Kazan"
    assert tatarstan.federal_district == Region.FederalDistrict.VOLGA
    assert (tatarstan.population, tatarstan.population_year) == (4016571, 2025)
    assert (tatarstan.grid_row, tatarstan.grid_col) == (5, 9)
    assert tatarstan.iso_code == "RU-TA"


def test_loading_again_changes_nothing():
    region_load_reference()
    before = list(Region.objects.order_by("code").values())

    result = region_load_reference()

    assert (result.created, result.updated, result.unchanged) == (0, 0, 89)
    assert list(Region.objects.order_by("code").values()) == before


def test_loading_repairs_a_changed_record():
    region_load_reference()
    Region.objects.filter(code="77").update(population=1)

    result = region_load_reference()

    assert (result.created, result.updated) == (0, 1)
    assert Region.objects.get(code="77").population == 13258262


def test_the_four_regions_added_in_2022_are_present_and_marked():
    region_load_reference()

    added = Region.objects.filter(is_added_2022=True).order_by("code")

    assert [region.code for region in added] == ["90", "93", "94", "95"]
    assert all(region.federal_district == "" for region in added)
    assert all(region.grid_row is None for region in added)


def test_every_district_has_its_regions():
    region_load_reference()

    counts = {
        district: Region.objects.filter(federal_district=district).count()
        for district in Region.FederalDistrict.values
    }

    assert counts == {
        "central": 18,
        "northwestern": 11,
        "southern": 8,
        "north_caucasian": 7,
        "volga": 14,
        "ural": 6,
        "siberian": 10,
        "far_eastern": 11,
    }


def test_tile_positions_and_short_names_are_unique():
    region_load_reference()
    placed = Region.objects.exclude(grid_row=None)

    assert placed.count() == 85
    assert len({(r.grid_row, r.grid_col) for r in placed}) == 85
    assert len(set(Region.objects.values_list("short_ru", flat=True))) == 89
    assert len(set(Region.objects.values_list("short_en", flat=True))) == 89
