"""Template filters of the calendar and event pages: date ranges as people write
them."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils.formats import date_format

register = template.Library()


@register.filter
def date_range(start: date | None, end: date | None = None) -> str:
    """«6–7 июля 2023 г.», «30 июня – 2 июля 2023 г.», «30 декабря 2023 г. –
    2 января 2024 г.»; one day reads as the day alone. The locale's long date
    format gives the year's part ("г." in Russian); "E" is the month's name as
    it follows a day number in both languages."""
    if start is None:
        return ""
    if end is None or end == start:
        return date_format(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{date_format(end)}"
    if start.year == end.year:
        return f"{date_format(start, 'j E')} – {date_format(end)}"
    return f"{date_format(start)} – {date_format(end)}"


@register.filter
def event_dates(event) -> str:
    """The event's days as a range (see ``date_range``)."""
    return date_range(event.starts_on, event.ends_on)
