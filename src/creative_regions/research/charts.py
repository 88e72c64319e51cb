"""Charts of the region passport, drawn by the server as SVG (no JavaScript, no
network), like the tile map.

Each builder turns figures into a ``Chart``: a list of plain shapes (rectangles,
lines, circles, texts) with their attributes already as strings, which one
template (``research/partials/_chart.html``) writes out. Attribute values are
strings on purpose: the template engine would print a float with the locale's
decimal comma, which SVG does not read.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from creative_regions.research.formatting import (
    format_number,
    format_percent,
    format_points,
)
from creative_regions.research.models import GrowthClass
from creative_regions.research.passport import SectorLine

ACCENT = "#1f4e8c"
NATIONAL = "#9aa5b1"
TEXT = "#1f2933"
MUTED = "#5b6670"
GRID = "#e4e7eb"
CLASS_COLOURS = {
    GrowthClass.STAR: "#1f4e8c",
    GrowthClass.EMERGING: "#1b7a5a",
    GrowthClass.MATURE: "#b45309",
    GrowthClass.LAGGING: "#6b7280",
    GrowthClass.TOO_SMALL: "#9aa5b1",
}
# Shift-share components: blue, orange, dark teal are told apart by colour-blind
# readers (Okabe-Ito hues, darkened for contrast on white).
COMPONENT_COLOURS = {
    "national": "#9aa5b1",
    "industry_mix": "#e69f00",
    "regional": "#0b5f8a",
}
WIDTH = 960
LABEL_WIDTH = 290
LABEL_CHARACTERS = 40
FONT = "12"


@dataclass(frozen=True)
class Shape:
    """One SVG element: ``kind`` is rect, line, circle or text."""

    kind: str
    attributes: tuple[tuple[str, str], ...]
    text: str = ""
    title: str = ""

    def svg(self) -> str:
        """The element as markup, every value escaped. Written here rather than
        in a template loop: a passport has hundreds of shapes, and a template
        takes ten times longer over them."""
        attributes = "".join(
            f' {name}="{escape(value)}"' for name, value in self.attributes
        )
        title = f"<title>{escape(self.title)}</title>" if self.title else ""
        return f"<{self.kind}{attributes}>{title}{escape(self.text)}</{self.kind}>"


@dataclass(frozen=True)
class LegendItem:
    label: str
    colour: str
    is_line: bool = False
    is_hollow: bool = False


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    description: str
    width: int
    height: int
    shapes: list[Shape]
    legend: list[LegendItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def svg_shapes(self) -> SafeString:
        # Safe: every attribute, title and text is escaped by Shape.svg.
        return mark_safe("\n".join(shape.svg() for shape in self.shapes))

    @property
    def view_box(self) -> str:
        # A string, so the template does not group thousands ("1 000").
        return f"0 0 {self.width} {self.height}"


def _number(value: float) -> str:
    """An SVG coordinate: at most one decimal, a dot as separator."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _shape(kind: str, text: str = "", title: str = "", **attributes: object) -> Shape:
    pairs = tuple(
        (
            name.replace("_", "-"),
            _number(value) if isinstance(value, float | int) else str(value),
        )
        for name, value in attributes.items()
        if value is not None
    )
    return Shape(kind=kind, attributes=pairs, text=text, title=title)


def _text(x: float, y: float, text: str, **attributes: object) -> Shape:
    attributes.setdefault("font_size", FONT)
    attributes.setdefault("fill", TEXT)
    return _shape("text", text=text, x=x, y=y, **attributes)


def wrap_label(text: str, width: int = LABEL_CHARACTERS, lines: int = 2) -> list[str]:
    """Splits a sector name into at most ``lines`` lines at spaces; SVG text does
    not wrap by itself. The last line ends with an ellipsis when cut."""
    words = text.split()
    result: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width or not current:
            current = candidate
        else:
            result.append(current)
            current = word
    result.append(current)
    if len(result) > lines:
        result = result[:lines]
        result[-1] = result[-1][: width - 1].rstrip() + "…"
    return [line if len(line) <= width else line[: width - 1] + "…" for line in result]


def _label(x: float, y: float, text: str, **attributes: object) -> list[Shape]:
    """A sector label of one or two lines, vertically centred on ``y``."""
    lines = wrap_label(text)
    first = y - (len(lines) - 1) * 7 + 4
    return [
        _text(x, first + index * 14, line, title=text, **attributes)
        for index, line in enumerate(lines)
    ]


def nice_step(span: float, count: int = 5) -> float:
    """A round step (1, 2 or 5 times a power of ten) for about ``count`` ticks."""
    if span <= 0:
        return 1.0
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if raw <= multiple * power:
            return multiple * power
    return 10 * power


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    step = nice_step(high - low, count)
    first = math.ceil(low / step) * step
    ticks = []
    value = first
    while value <= high + step / 1000:
        ticks.append(0.0 if abs(value) < step / 1000 else value)
        value += step
    return ticks


# Sector structure -------------------------------------------------------------------


def sector_structure_chart(
    lines: Sequence[SectorLine], *, region_name: str, source: str
) -> Chart:
    """Horizontal bars: each sector's share of the region's creative employees
    (with the count), and under it the sector's share of Russia's."""
    rows = [line for line in lines if line.employees or line.national_share]
    row_height = 38
    top = 8
    plot_left = LABEL_WIDTH + 10
    # Room after the longest bar for its label, «33,6 % · 1 542 employees».
    plot_width = WIDTH - plot_left - 190
    largest = max(
        [line.share or 0 for line in rows] + [line.national_share or 0 for line in rows]
        or [0]
    )
    scale = plot_width / largest if largest else 0
    shapes: list[Shape] = []
    for index, line in enumerate(rows):
        y = top + index * row_height
        middle = y + row_height / 2
        shapes += _label(LABEL_WIDTH, middle, line.name, text_anchor="end")
        region_width = (line.share or 0) * scale
        national_width = (line.national_share or 0) * scale
        region_text = ngettext(
            "%(share)s · %(employees)s employee",
            "%(share)s · %(employees)s employees",
            line.employees,
        ) % {
            "share": format_percent(line.share, 1),
            "employees": format_number(line.employees),
        }
        national_text = _("Russia %(share)s") % {
            "share": format_percent(line.national_share, 1)
        }
        shapes.append(
            _shape(
                "rect",
                title=f"{line.name}: {region_text}",
                x=plot_left,
                y=y + 7,
                width=max(region_width, 1),
                height=13,
                fill=ACCENT,
            )
        )
        shapes.append(_text(plot_left + region_width + 6, y + 18, region_text))
        shapes.append(
            _shape(
                "rect",
                title=f"{line.name}: {national_text}",
                x=plot_left,
                y=y + 23,
                width=max(national_width, 1),
                height=7,
                fill=NATIONAL,
            )
        )
        shapes.append(
            _text(
                plot_left + national_width + 6,
                y + 30,
                national_text,
                fill=MUTED,
                font_size="11",
            )
        )
    height = top * 2 + len(rows) * row_height
    shapes.insert(
        0,
        _shape(
            "line",
            x1=plot_left,
            y1=top,
            x2=plot_left,
            y2=height - top,
            stroke=MUTED,
        ),
    )
    return Chart(
        key="structure",
        title=_("Creative employment by sector"),
        description=_(
            "Share of the region's creative employees in each sector, with the "
            "sector's share of Russia's creative employees below it."
        ),
        width=WIDTH,
        height=max(height, 40),
        shapes=shapes,
        legend=[
            LegendItem(
                _("%(region)s, share of its creative employees")
                % {"region": region_name},
                ACCENT,
            ),
            LegendItem(_("Russia, share of its creative employees"), NATIONAL),
        ],
        notes=[source],
    )


# LQ x growth bubbles -----------------------------------------------------------------

BUBBLE_HEIGHT = 520
BUBBLE_MARGIN = {"left": 64, "right": 24, "top": 24, "bottom": 52}
MAX_RADIUS = 30.0
MIN_RADIUS = 3.5
# Growth differences beyond ±300 percentage points (a sector that went from 1 to
# 20 employees) would squash every other bubble; they are drawn at the edge.
MAX_DIFFERENCE = 3.0
# Average width of a character of the 11 px labels, to keep labels apart.
LABEL_CHARACTER_WIDTH = 6.0


def _overlaps(
    first: tuple[float, float, float, float], second: tuple[float, float, float, float]
) -> bool:
    return not (
        first[2] <= second[0]
        or second[2] <= first[0]
        or first[3] <= second[1]
        or second[3] <= first[1]
    )


def lq_growth_chart(
    lines: Sequence[SectorLine], *, region_name: str, source: str
) -> Chart:
    """The quadrant chart: LQ of employees (log scale,
    LQ = 1 in the middle) against the sector's growth minus Russia's growth of
    the same sector, so the zero line is Russia's growth and the quadrants are
    exactly the growth classes. Bubble area ∝ employees."""
    plotted = [
        line
        for line in lines
        if line.cell is not None
        and line.cell.lq_employees
        and line.growth_difference is not None
    ]
    left, right = BUBBLE_MARGIN["left"], WIDTH - BUBBLE_MARGIN["right"]
    top, bottom = BUBBLE_MARGIN["top"], BUBBLE_HEIGHT - BUBBLE_MARGIN["bottom"]
    # The axes fit the classified sectors: a sector of three firms can have an
    # LQ of 16 or grow 500 %, and would squash the others into a corner. Those
    # beyond the axes are drawn at the edge (their tooltip has the numbers).
    classified = [
        line for line in plotted if line.cell.growth_class != GrowthClass.TOO_SMALL
    ]
    basis = classified if len(classified) >= 3 else plotted
    x_extent = max([abs(math.log2(line.cell.lq_employees)) for line in basis] + [1.0])
    x_extent = math.ceil(x_extent * 1.15 * 2) / 2
    y_extent = max(
        [min(abs(line.growth_difference), MAX_DIFFERENCE) for line in basis] + [0.1]
    )
    # A round bound a little above the largest difference: 0.5, 1, 2…
    y_extent = nice_step(y_extent * 1.15, 1)

    def x_of(lq: float) -> float:
        clamped = max(-x_extent, min(x_extent, math.log2(lq)))
        return left + (clamped + x_extent) / (2 * x_extent) * (right - left)

    def y_of(difference: float) -> float:
        clamped = max(-y_extent, min(y_extent, difference))
        return bottom - (clamped + y_extent) / (2 * y_extent) * (bottom - top)

    middle_x, middle_y = x_of(1.0), y_of(0.0)
    shapes: list[Shape] = []
    # Quadrant tints and names, in the colour of their class.
    quadrants = (
        (GrowthClass.EMERGING, left, top, middle_x, middle_y, "start"),
        (GrowthClass.STAR, middle_x, top, right, middle_y, "end"),
        (GrowthClass.LAGGING, left, middle_y, middle_x, bottom, "start"),
        (GrowthClass.MATURE, middle_x, middle_y, right, bottom, "end"),
    )
    labels = dict(GrowthClass.choices)
    quadrant_boxes = []
    for growth_class, x1, y1, x2, y2, anchor in quadrants:
        shapes.append(
            _shape(
                "rect",
                x=x1,
                y=y1,
                width=x2 - x1,
                height=y2 - y1,
                fill=CLASS_COLOURS[growth_class],
                fill_opacity="0.05",
            )
        )
        is_top = y1 == top
        name = str(labels[growth_class]).capitalize()
        name_x = x1 + 8 if anchor == "start" else x2 - 8
        name_y = y1 + 18 if is_top else y2 - 10
        name_width = 9 * len(name)
        quadrant_boxes.append(
            (
                name_x if anchor == "start" else name_x - name_width,
                name_y - 14,
                name_x + name_width if anchor == "start" else name_x,
                name_y + 3,
            )
        )
        shapes.append(
            _text(
                name_x,
                name_y,
                name,
                text_anchor=anchor,
                font_size="14",
                font_weight="600",
                fill=CLASS_COLOURS[growth_class],
            )
        )
    # Axes with ticks: powers of two for LQ, round steps for growth.
    power = -math.floor(x_extent)
    while power <= x_extent:
        lq = 2.0**power
        x = x_of(lq)
        shapes.append(_shape("line", x1=x, y1=top, x2=x, y2=bottom, stroke=GRID))
        shapes.append(
            _text(
                x,
                bottom + 16,
                format_number(lq, 2 if lq < 0.5 else 1 if lq < 1 else 0),
                text_anchor="middle",
                fill=MUTED,
                font_size="11",
            )
        )
        power += 1
    for tick in _ticks(-y_extent, y_extent, 4):
        y = y_of(tick)
        shapes.append(_shape("line", x1=left, y1=y, x2=right, y2=y, stroke=GRID))
        shapes.append(
            _text(
                left - 6,
                y + 4,
                format_points(tick),
                text_anchor="end",
                fill=MUTED,
                font_size="11",
            )
        )
    shapes.append(
        _shape(
            "line",
            x1=middle_x,
            y1=top,
            x2=middle_x,
            y2=bottom,
            stroke=TEXT,
            stroke_dasharray="5 4",
        )
    )
    shapes.append(
        _text(middle_x + 5, bottom - 6, _("LQ = 1"), fill=TEXT, font_size="11")
    )
    shapes.append(
        _shape("line", x1=left, y1=middle_y, x2=right, y2=middle_y, stroke=TEXT)
    )
    russia_label = _("Russia's growth in the sector")
    shapes.append(
        _text(left + 8, middle_y - 6, russia_label, fill=TEXT, font_size="11")
    )
    russia_label_box = (
        left + 8,
        middle_y - 16,
        left + 8 + LABEL_CHARACTER_WIDTH * len(russia_label),
        middle_y - 4,
    )
    shapes.append(
        _text(
            (left + right) / 2,
            BUBBLE_HEIGHT - 10,
            _("Location quotient of employees (LQ), logarithmic scale"),
            text_anchor="middle",
            fill=MUTED,
        )
    )
    shapes.append(
        _text(
            14,
            (top + bottom) / 2,
            _("Growth of employment minus Russia's, percentage points"),
            text_anchor="middle",
            fill=MUTED,
            transform=f"rotate(-90 14 {_number((top + bottom) / 2)})",
        )
    )
    largest = max([line.employees for line in plotted] + [1])
    bubbles = []
    for line in sorted(plotted, key=lambda line: -line.employees):
        cell = line.cell
        radius = max(MIN_RADIUS, MAX_RADIUS * math.sqrt(line.employees / largest))
        x, y = x_of(cell.lq_employees), y_of(line.growth_difference)
        is_small = cell.growth_class == GrowthClass.TOO_SMALL
        colour = CLASS_COLOURS.get(cell.growth_class, NATIONAL)
        title = _(
            "%(sector)s: %(employees)s employees, LQ %(lq)s, growth %(growth)s "
            "against %(national)s in Russia (%(class)s)"
        ) % {
            "sector": line.name,
            "employees": format_number(line.employees),
            "lq": format_number(cell.lq_employees, 2),
            "growth": format_percent(line.growth, signed=True),
            "national": format_percent(line.national_growth, signed=True),
            "class": cell.get_growth_class_display(),
        }
        bubbles.append((line, x, y, radius, is_small, title))
        shapes.append(
            _shape(
                "circle",
                title=title,
                cx=x,
                cy=y,
                r=radius,
                fill="#ffffff" if is_small else colour,
                fill_opacity="0.55" if is_small else "0.7",
                stroke=colour,
                stroke_width="1.5",
                stroke_dasharray="3 2" if is_small else None,
            )
        )
    # Labels after every bubble, so none hides under a bubble; each takes the
    # first free place of right, left, above, below (the largest sectors first).
    taken = [(x - r, y - r, x + r, y + r) for _line, x, y, r, _small, _title in bubbles]
    taken += [russia_label_box, *quadrant_boxes]
    for line, x, y, radius, is_small, title in bubbles:
        text = wrap_label(line.name, 22, 1)[0]
        width = LABEL_CHARACTER_WIDTH * len(text)
        candidates = (
            (x + radius + 3, y + 4, "start", x + radius + 3, x + radius + 3 + width),
            (x - radius - 3, y + 4, "end", x - radius - 3 - width, x - radius - 3),
            (x, y - radius - 4, "middle", x - width / 2, x + width / 2),
            (x, y + radius + 12, "middle", x - width / 2, x + width / 2),
        )
        chosen = None
        for text_x, text_y, anchor, x0, x1 in candidates:
            box = (x0, text_y - 10, x1, text_y + 2)
            inside = x0 >= left + 2 and x1 <= right - 2 and box[1] >= top
            own = (x - radius, y - radius, x + radius, y + radius)
            if inside and not any(
                _overlaps(box, other) for other in taken if other != own
            ):
                chosen = (text_x, text_y, anchor, box)
                break
        if chosen is None:
            # Nowhere free: inside the plot on whichever side has room.
            fits_right = x + radius + 3 + width <= right
            text_x, text_y, anchor, x0, x1 = candidates[0 if fits_right else 1]
            chosen = (text_x, text_y, anchor, (x0, text_y - 10, x1, text_y + 2))
        text_x, text_y, anchor, box = chosen
        taken.append(box)
        shapes.append(
            _text(
                text_x,
                text_y,
                text,
                text_anchor=anchor,
                fill=MUTED if is_small else TEXT,
                font_size="11",
                title=title,
            )
        )
    missing = [
        line.name
        for line in lines
        if line.cell is not None and line not in plotted and line.employees
    ]
    beyond = [
        line.name
        for line in plotted
        if abs(math.log2(line.cell.lq_employees)) > x_extent
        or abs(line.growth_difference) > y_extent
    ]
    notes = []
    if beyond:
        notes.append(
            _("Beyond the axes, drawn at the edge: %(names)s.")
            % {"names": ", ".join(beyond)}
        )
    if missing:
        notes.append(
            _(
                "Not on the chart (no employees at the base, so no growth rate): "
                "%(names)s."
            )
            % {"names": ", ".join(missing)}
        )
    notes.append(source)
    legend = [
        LegendItem(str(labels[value]).capitalize(), CLASS_COLOURS[value])
        for value in (
            GrowthClass.STAR,
            GrowthClass.EMERGING,
            GrowthClass.MATURE,
            GrowthClass.LAGGING,
        )
    ]
    legend.append(
        LegendItem(
            str(labels[GrowthClass.TOO_SMALL]).capitalize(),
            CLASS_COLOURS[GrowthClass.TOO_SMALL],
            is_hollow=True,
        )
    )
    return Chart(
        key="quadrants",
        title=_("Specialisation and growth of the sectors"),
        description=_(
            "Each bubble is a sector of %(region)s: across, its location quotient; "
            "up, how much faster its employment grew than the same sector in "
            "Russia; the area, its employees."
        )
        % {"region": region_name},
        width=WIDTH,
        height=BUBBLE_HEIGHT,
        shapes=shapes,
        legend=legend,
        notes=notes,
    )


# Shift-share ------------------------------------------------------------------------


def shift_share_chart(lines: Sequence[SectorLine], *, source: str) -> Chart:
    """Per sector, the change of employees split into national growth, industry
    mix and regional shift as diverging stacked bars, with the total change."""
    rows = [line for line in lines if line.cell is not None]
    row_height = 34
    top = 28
    plot_left = LABEL_WIDTH + 10
    plot_right = WIDTH - 70
    components = []
    low = high = 0.0
    for line in rows:
        cell = line.cell
        parts = (
            ("national", cell.ss_national or 0.0),
            ("industry_mix", cell.ss_industry_mix or 0.0),
            ("regional", cell.ss_regional or 0.0),
        )
        components.append(parts)
        low = min(low, sum(value for _name, value in parts if value < 0), line.change)
        high = max(high, sum(value for _name, value in parts if value > 0), line.change)
    span = (high - low) or 1.0
    scale = (plot_right - plot_left) / span

    def x_of(value: float) -> float:
        return plot_left + (value - low) * scale

    names = {
        "national": _("National growth"),
        "industry_mix": _("Industry mix"),
        "regional": _("Regional shift"),
    }
    shapes: list[Shape] = []
    height = top + len(rows) * row_height + 10
    for tick in _ticks(low, high, 5):
        x = x_of(tick)
        shapes.append(
            _shape("line", x1=x, y1=top - 6, x2=x, y2=height - 6, stroke=GRID)
        )
        shapes.append(
            _text(
                x,
                top - 10,
                format_number(tick, 0, signed=True),
                text_anchor="middle",
                fill=MUTED,
                font_size="11",
            )
        )
    for index, (line, parts) in enumerate(zip(rows, components, strict=True)):
        y = top + index * row_height
        middle = y + row_height / 2
        shapes += _label(LABEL_WIDTH, middle, line.name, text_anchor="end")
        positive = negative = 0.0
        for name, value in parts:
            if value >= 0:
                start, positive = positive, positive + value
            else:
                start, negative = negative + value, negative + value
            width = abs(value) * scale
            if width < 0.5:
                continue
            shapes.append(
                _shape(
                    "rect",
                    title=f"{line.name}: {names[name]} "
                    f"{format_number(value, 1, signed=True)}",
                    x=x_of(start),
                    y=y + 8,
                    width=width,
                    height=18,
                    fill=COMPONENT_COLOURS[name],
                )
            )
        total_x = x_of(line.change)
        shapes.append(
            _shape(
                "rect",
                title=_("%(sector)s: total change %(change)s employees")
                % {
                    "sector": line.name,
                    "change": format_number(line.change, signed=True),
                },
                x=total_x - 2,
                y=y + 4,
                width=4,
                height=26,
                fill=TEXT,
            )
        )
        shapes.append(
            _text(
                WIDTH - 8,
                middle + 4,
                format_number(line.change, signed=True),
                text_anchor="end",
                font_weight="600",
            )
        )
    zero = x_of(0)
    shapes.append(
        _shape("line", x1=zero, y1=top - 6, x2=zero, y2=height - 6, stroke=TEXT)
    )
    shapes.append(
        _text(
            WIDTH - 8,
            top - 10,
            pgettext("shift-share chart column", "Change"),
            text_anchor="end",
            fill=MUTED,
            font_size="11",
        )
    )
    legend = [
        LegendItem(names[name], COMPONENT_COLOURS[name])
        for name in ("national", "industry_mix", "regional")
    ]
    legend.append(LegendItem(_("Total change"), TEXT, is_line=True))
    return Chart(
        key="shift-share",
        title=_("Shift-share: where the change of employment came from"),
        description=_(
            "For each sector, the change of employees between the snapshots split "
            "into Russia's overall growth, the sector's national trend (industry "
            "mix) and the region's own competitive shift."
        ),
        width=WIDTH,
        height=height,
        shapes=shapes,
        legend=legend,
        notes=[_("Employees, change between the snapshots."), source],
    )
