import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from creative_regions.geo.models import Region
from creative_regions.geo.tile_map import (
    HIDDEN_FILL,
    HIGHLIGHT_FILL,
    NEUTRAL_FILL,
    NO_DATA_FILL,
    ColourScale,
    tile_map_build,
    tile_map_locate,
)

values = st.lists(
    st.floats(min_value=0, max_value=1e9, allow_nan=False), min_size=2, max_size=50
)


@given(values)
def test_colour_position_is_monotonic_and_bounded(data):
    scale = ColourScale(data)
    ordered = sorted(data)

    positions = [scale.position(value) for value in ordered]

    assert positions == sorted(positions)
    assert all(0.0 <= position <= 1.0 for position in positions)
    if ordered[0] != ordered[-1]:
        assert positions[0] == 0.0 and positions[-1] == 1.0


@given(st.lists(st.floats(min_value=1, max_value=1e9), min_size=2, max_size=50))
def test_logarithmic_scale_is_monotonic_too(data):
    scale = ColourScale(data, logarithmic=True)

    positions = [scale.position(value) for value in sorted(data)]

    assert positions == sorted(positions)


def test_scale_ends_are_the_cividis_ends_and_middle_is_halfway():
    scale = ColourScale([0, 50, 100])

    assert scale.colour(0) == "rgb(0, 34, 78)"
    assert scale.colour(100) == "rgb(254, 232, 56)"
    assert scale.position(50) == 0.5


def test_legend_ticks_are_formatted_in_the_active_locale():
    scale = ColourScale([1000, 5000])

    with translation.override("ru"):
        russian = [tick.text for tick in scale.ticks(3, 0)]
    with translation.override("en"):
        english = [tick.text for tick in scale.ticks(3, 0)]

    assert russian == ["1\u202f000", "3\u202f000", "5\u202f000"]
    assert english == ["1,000", "3,000", "5,000"]


@pytest.mark.django_db
def test_map_colours_known_values_greys_missing_and_hides_invisible(regions):
    layout = Region.objects.all()

    with translation.override("ru"):
        tile_map = tile_map_build(
            layout=layout,
            visible_codes={"16", "77", "10"},
            values={"16": 10.0, "77": 20.0, "10": None, "78": 99.0},
            title="Тест",
            unit="ед.",
        )
    tiles = {tile.code: tile for tile in tile_map.tiles}

    assert tiles["16"].fill == "rgb(0, 34, 78)" and tiles["16"].href == "/regions/16/"
    assert tiles["77"].fill == "rgb(254, 232, 56)" and tiles["77"].value_text == "20"
    assert tiles["10"].fill == NO_DATA_FILL and tile_map.has_missing
    # Saint Petersburg has a value but is not visible: no colour, no value, no link.
    assert tiles["78"].fill == HIDDEN_FILL and tiles["78"].href is None
    assert tiles["78"].value is None
    assert tiles["16"].label == "ТАТ"
    assert len(tiles) == 85
    assert tile_map.unplaced == []


@pytest.mark.django_db
def test_regions_without_a_tile_are_listed_under_the_map(regions):
    tile_map = tile_map_build(
        layout=Region.objects.all(),
        visible_codes=set(regions),
        values={},
        title="",
        unit="",
    )

    assert [region.code for region in tile_map.unplaced] == ["90", "93", "94", "95"]
    assert tile_map.width == 19 * 50 - 4 and tile_map.height == 11 * 50 - 4


@pytest.mark.django_db
def test_locator_map_highlights_one_region_and_links_what_the_user_sees(regions):
    tile_map = tile_map_locate(
        layout=Region.objects.all(), visible_codes={"16", "10"}, code="16"
    )
    tiles = {tile.code: tile for tile in tile_map.tiles}

    assert tiles["16"].fill == HIGHLIGHT_FILL and tiles["16"].text_colour == "#ffffff"
    assert tiles["10"].fill == NEUTRAL_FILL and tiles["10"].href == "/regions/10/"
    assert tiles["77"].href is None
    assert tile_map.legend == []


def test_an_outlier_does_not_flatten_the_scale():
    # Twenty regions between 1 and 20 and one at 200: the scale ends at the 95th
    # percentile (20), the outlier gets the top colour and the legend says "≥ 20".
    values = [*range(1, 21), 200]

    scale = ColourScale(values, clip_outliers=True)

    assert (scale.minimum, scale.maximum, scale.is_clipped) == (1, 20, True)
    assert scale.position(200) == scale.position(20) == 1.0
    assert scale.position(10) == pytest.approx(9 / 19)
    assert scale.ticks(3, 0)[-1].text == "≥ 20"


def test_a_scale_without_outliers_is_not_clipped():
    scale = ColourScale(list(range(1, 31)), clip_outliers=True)

    assert (scale.maximum, scale.is_clipped) == (30, False)
    assert not scale.ticks(3, 0)[-1].text.startswith("≥")
