"""Numbers of research results as people read them, in the active language.

Django's ``number_format`` gives the separators of the locale (``12 345,6`` in
Russian, ``12,345.6`` in English, see ``creative_regions.formats``); these helpers
add what it does not: percentages with a no-break space (``34 %``), an explicit
sign for changes and the typographic minus. ``None`` (a value that divides by
zero) is a dash everywhere.
"""

from __future__ import annotations

from django.utils.formats import number_format

DASH = "—"
MINUS = "\u2212"
NO_BREAK_SPACE = "\u00a0"


def format_number(value: float | None, places: int = 0, *, signed: bool = False) -> str:
    """``value`` rounded to ``places`` decimals with the locale's separators."""
    if value is None:
        return DASH
    rounded = round(float(value), places)
    if rounded == 0:
        # round() keeps the sign of -0.0, which would print as "−0".
        rounded = 0.0
    text = number_format(
        abs(rounded) if places else int(abs(rounded)),
        places,
        use_l10n=True,
        force_grouping=True,
    )
    if rounded < 0:
        return MINUS + text
    return "+" + text if signed and rounded > 0 else text


def format_percent(
    fraction: float | None, places: int = 0, *, signed: bool = False
) -> str:
    """A fraction as a percentage: ``0.342`` → ``34 %`` (``+34 %`` when signed)."""
    if fraction is None:
        return DASH
    return format_number(fraction * 100, places, signed=signed) + NO_BREAK_SPACE + "%"


def format_points(difference: float | None, places: int = 0) -> str:
    """A difference of two fractions in percentage points, always signed."""
    if difference is None:
        return DASH
    return format_number(difference * 100, places, signed=True)
