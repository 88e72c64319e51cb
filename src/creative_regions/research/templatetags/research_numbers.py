"""Template filters over ``research.formatting``, so pages print research figures
the same way the passport does: ``{{ value|number:1 }}``, ``{{ share|percent:1 }}``."""

from django import template

from creative_regions.research.formatting import format_number, format_percent

register = template.Library()


@register.filter
def number(value: float | None, places: int = 0) -> str:
    return format_number(value, int(places))


@register.filter
def percent(fraction: float | None, places: int = 0) -> str:
    return format_percent(fraction, int(places))


@register.filter
def signed_percent(fraction: float | None, places: int = 0) -> str:
    return format_percent(fraction, int(places), signed=True)


@register.filter
def signed_number(value: float | None, places: int = 0) -> str:
    return format_number(value, int(places), signed=True)
