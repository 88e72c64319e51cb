"""The tile-grid map of regions: one square per region, coloured by a metric.

Any module draws it: give it the regions, the values by region code and the metric's
title and units; it returns the geometry, the colours and the legend, and
``{% tile_map %}`` renders them as SVG. No network, no JavaScript.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from django.utils.formats import number_format
from plotly.colors import hex_to_rgb, sample_colorscale, unlabel_rgb

from creative_regions.geo.models import Region

TILE_SIZE = 46
TILE_GAP = 4
NO_DATA_FILL = "#d9dde3"
HIDDEN_FILL = "#f3f4f6"
LEGEND_TICKS = 5
HIGHLIGHT_FILL = "#1f4e8c"
NEUTRAL_FILL = "#e4e7eb"


@dataclass(frozen=True)
class Tile:
    code: str
    label: str
    name: str
    x: int
    y: int
    fill: str
    text_colour: str
    value: float | None
    value_text: str
    href: str | None


@dataclass(frozen=True)
class LegendTick:
    offset: float
    colour: str
    text: str


@dataclass(frozen=True)
class TileMap:
    title: str
    unit: str
    source: str
    tiles: list[Tile]
    width: int
    height: int
    legend: list[LegendTick]
    has_missing: bool
    unplaced: list[Region]
    tile_size: int = TILE_SIZE
    is_logarithmic: bool = False


def _offset(index: int) -> int:
    """Where the tile of a 1-based grid row or column starts, in pixels."""
    return (index - 1) * (TILE_SIZE + TILE_GAP)


def _extent(count: int) -> int:
    """Pixels taken by ``count`` tiles with the gaps between them."""
    return count * (TILE_SIZE + TILE_GAP) - TILE_GAP


def _text_colour(fill: str) -> str:
    """Dark text on light squares, white on dark ones, for WCAG contrast."""
    channels = hex_to_rgb(fill) if fill.startswith("#") else unlabel_rgb(fill)
    red, green, blue = (channel / 255 for channel in channels)
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "#111827" if luminance > 0.45 else "#ffffff"


def format_value(value: float, decimal_places: int) -> str:
    return number_format(
        round(value, decimal_places), decimal_places, use_l10n=True, force_grouping=True
    )


# Outliers are clipped only on a map of enough regions, and only when the largest
# value is well beyond the 95th percentile.
OUTLIER_MIN_VALUES = 20
OUTLIER_RATIO = 1.5


class ColourScale:
    """Maps values onto a sequential colour scale readable by colour-blind readers."""

    def __init__(
        self,
        values: Iterable[float],
        *,
        colorscale: str = "Cividis",
        logarithmic: bool = False,
        clip_outliers: bool = False,
    ) -> None:
        present = sorted(value for value in values if value is not None)
        if logarithmic:
            present = [value for value in present if value > 0]
        self.logarithmic = logarithmic
        self.colorscale = colorscale
        self.minimum = present[0] if present else None
        self.maximum = present[-1] if present else None
        self.is_clipped = False
        if clip_outliers and len(present) >= OUTLIER_MIN_VALUES:
            # A small region with a handful of firms can reach a share ten times
            # the others' and leave every other tile the same dark colour: the
            # scale then ends at the 95th percentile and the top colour means
            # "that much or more".
            upper = present[math.floor(0.95 * (len(present) - 1))]
            if upper > self.minimum and self.maximum > upper * OUTLIER_RATIO:
                self.maximum, self.is_clipped = upper, True

    def _transform(self, value: float) -> float:
        return math.log10(value) if self.logarithmic else value

    def _inverse(self, value: float) -> float:
        return 10**value if self.logarithmic else value

    def position(self, value: float) -> float:
        """Where ``value`` falls on the scale, from 0 (minimum) to 1 (maximum)."""
        assert self.minimum is not None and self.maximum is not None
        low, high = self._transform(self.minimum), self._transform(self.maximum)
        if high == low:
            return 1.0
        if self.logarithmic and value <= 0:
            return 0.0
        return min(1.0, max(0.0, (self._transform(value) - low) / (high - low)))

    def colour(self, value: float) -> str:
        return sample_colorscale(self.colorscale, [self.position(value)])[0]

    def ticks(self, count: int, decimal_places: int) -> list[LegendTick]:
        if self.minimum is None or self.maximum is None:
            return []
        if self.minimum == self.maximum:
            colour = sample_colorscale(self.colorscale, [1.0])[0]
            return [LegendTick(1.0, colour, format_value(self.maximum, decimal_places))]
        low, high = self._transform(self.minimum), self._transform(self.maximum)
        ticks = []
        for index in range(count):
            offset = index / (count - 1)
            value = self._inverse(low + (high - low) * offset)
            text = format_value(value, decimal_places)
            if self.is_clipped and index == count - 1:
                text = f"≥ {text}"
            ticks.append(
                LegendTick(
                    offset=offset,
                    colour=sample_colorscale(self.colorscale, [offset])[0],
                    text=text,
                )
            )
        return ticks


def tile_map_build(
    *,
    layout: Iterable[Region],
    visible_codes: set[str],
    values: Mapping[str, float | None],
    title: str,
    unit: str,
    source: str = "",
    decimal_places: int = 0,
    logarithmic: bool = False,
    clip_outliers: bool = False,
    link: Callable[[Region], str] | None = None,
) -> TileMap:
    """Builds the map of ``layout`` regions.

    Only regions in ``visible_codes`` carry a value and a link; the others keep
    their square (the country's shape is public) but show nothing. Regions with no
    tile position are returned in ``unplaced`` for a list under the map. ``link``
    gives a tile's address when it should open another page than the region's.
    """
    link = link or Region.get_absolute_url
    shown = {code: value for code, value in values.items() if code in visible_codes}
    scale = ColourScale(
        shown.values(), logarithmic=logarithmic, clip_outliers=clip_outliers
    )
    tiles: list[Tile] = []
    unplaced: list[Region] = []
    max_row = max_col = 1
    has_missing = False
    for region in layout:
        if region.grid_row is None or region.grid_col is None:
            if region.code in visible_codes:
                unplaced.append(region)
            continue
        max_row, max_col = max(max_row, region.grid_row), max(max_col, region.grid_col)
        value = shown.get(region.code)
        is_visible = region.code in visible_codes
        if not is_visible:
            fill, value_text = HIDDEN_FILL, ""
        elif value is None or scale.minimum is None:
            fill, value_text, has_missing = NO_DATA_FILL, "", True
        else:
            fill, value_text = scale.colour(value), format_value(value, decimal_places)
        tiles.append(
            Tile(
                code=region.code,
                label=region.short_name,
                name=region.name,
                x=_offset(region.grid_col),
                y=_offset(region.grid_row),
                fill=fill,
                text_colour=_text_colour(fill),
                value=value if is_visible else None,
                value_text=value_text,
                href=link(region) if is_visible else None,
            )
        )
    return TileMap(
        title=title,
        unit=unit,
        source=source,
        tiles=tiles,
        width=_extent(max_col),
        height=_extent(max_row),
        legend=scale.ticks(LEGEND_TICKS, decimal_places),
        has_missing=has_missing,
        unplaced=unplaced,
        is_logarithmic=logarithmic,
    )


def tile_map_highlight(map_data: TileMap) -> TileMap:
    """The map with every region that has a value in the accent colour and no
    legend: for a reader who sees only their own region, where a colour scale
    would compare it with nothing. The values stay in the tooltips."""
    tiles = [
        replace(tile, fill=HIGHLIGHT_FILL, text_colour=_text_colour(HIGHLIGHT_FILL))
        if tile.value_text
        else tile
        for tile in map_data.tiles
    ]
    return replace(map_data, tiles=tiles, legend=[], is_logarithmic=False)


def tile_map_locate(
    *, layout: Iterable[Region], visible_codes: set[str], code: str, title: str = ""
) -> TileMap:
    """A locator map: one region in the accent colour, the others neutral (still
    links where the user may see them). No metric, so no legend."""
    tiles: list[Tile] = []
    max_row = max_col = 1
    for region in layout:
        if region.grid_row is None or region.grid_col is None:
            continue
        max_row, max_col = max(max_row, region.grid_row), max(max_col, region.grid_col)
        is_visible = region.code in visible_codes
        fill = HIGHLIGHT_FILL if region.code == code else NEUTRAL_FILL
        tiles.append(
            Tile(
                code=region.code,
                label=region.short_name,
                name=region.name,
                x=_offset(region.grid_col),
                y=_offset(region.grid_row),
                fill=fill,
                text_colour=_text_colour(fill),
                value=None,
                value_text="",
                href=region.get_absolute_url() if is_visible else None,
            )
        )
    return TileMap(
        title=title,
        unit="",
        source="",
        tiles=tiles,
        width=_extent(max_col),
        height=_extent(max_row),
        legend=[],
        has_missing=False,
        unplaced=[],
    )
