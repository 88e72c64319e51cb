"""Figures of research results in templates: numbers in the user's language, the
passport's charts, and the "how is this computed" links to the methodology page."""

from __future__ import annotations

from functools import cache
from urllib.parse import urlencode

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from creative_regions.research.charts import Chart
from creative_regions.research.formatting import (
    format_number,
    format_percent,
    format_points,
)
from creative_regions.research.methodology import METRICS

register = template.Library()


@register.filter
def number(value: float | None, places: int = 0) -> str:
    """``{{ value|number:1 }}``: 12 345,6 in Russian, 12,345.6 in English."""
    return format_number(value, int(places))


@register.filter
def signed_number(value: float | None, places: int = 0) -> str:
    return format_number(value, int(places), signed=True)


@register.filter
def percent(value: float | None, places: int = 0) -> str:
    """``{{ 0.342|percent }}`` → 34 %."""
    return format_percent(value, int(places))


@register.filter
def signed_percent(value: float | None, places: int = 0) -> str:
    return format_percent(value, int(places), signed=True)


@register.filter
def points(value: float | None, places: int = 0) -> str:
    return format_points(value, int(places))


@cache
def _methodology_path(script_prefix: str) -> str:
    # Reversed once per prefix (reverse reads it): a passport has hundreds of links.
    return reverse("research:methodology")


@register.simple_tag
def methodology_url(
    run: object = None,
    region: str = "",
    metric: str = "",
    sector: str = "",
    inn: str = "",
) -> str:
    """The methodology page at the formula of ``metric``, carrying the figure's
    run, region and sector so that the page works the figure out."""
    url = _methodology_path(get_script_prefix())
    if metric not in METRICS:
        return url
    anchor = METRICS[metric].anchor
    if METRICS[metric].needs_sector and not sector:
        # A heading about every sector: the formula, without a figure to work out.
        return f"{url}#{anchor}"
    query = {
        "run": getattr(run, "pk", run) or "",
        "region": region,
        "sector": sector,
        "metric": metric,
    }
    if inn:
        query["inn"] = inn
    return f"{url}?{urlencode(query)}#{anchor}"


@register.simple_tag
def how(
    run: object,
    region: str,
    metric: str,
    sector: str = "",
    inn: str = "",
    text: str = "",
) -> SafeString:
    """A small "how is this computed" link to the figure's formula and inputs.

    Written with ``format_html`` rather than an inclusion template: a passport
    carries a few hundred of these links."""
    url = methodology_url(run, region, metric, sector, inn)
    label = _("How is this computed?")
    if metric in METRICS:
        label = f"{label} {METRICS[metric].title}"
    if text:
        return format_html(
            '<a class="how-link" href="{}" title="{}" data-testid="how-link">{}</a>',
            url,
            label,
            text,
        )
    return format_html(
        '<a class="how-link" href="{}" title="{}" data-testid="how-link">'
        '<span aria-hidden="true">?</span><span class="visually-hidden">{}</span></a>',
        url,
        label,
        label,
    )


@register.inclusion_tag("research/partials/_chart.html")
def chart(chart: Chart, how_url: str = "") -> dict:
    """Writes out a chart of ``research.charts`` as inline SVG with its legend."""
    return {"chart": chart, "how_url": how_url}
