"""Helpers of the tests of the public pages and the door: form data, the links
of an e-mail, and reading a QR code back from its SVG."""

from __future__ import annotations

import re
from datetime import date, time

import qrcode
from django.core.cache import cache

from creative_regions.programmes.models import Event, Venue
from tests.programmes.factories import EventFactory, SessionFactory, VenueFactory


def clear_rate_limits() -> None:
    """The rate limits count in the cache, shared by every test of the
    process: each test starts with a fresh budget."""
    cache.clear()


def form_data(**changes) -> dict:
    data = {
        "surname": "Соколова",
        "first_name": "Мария",
        "patronymic": "Андреевна",
        "email": "sokolova@example.org",
        "phone": "+7 912 345-67-89",
        "region": "",
        "position": "Дизайнер интерьеров, студия «Онего»",
        "consent": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def venue(name: str, **fields) -> Venue:
    return Venue.objects.filter(name=name).first() or VenueFactory(name=name, **fields)


def study_tour(**fields) -> Event:
    """A study tour in Moscow with two sessions at «Винзавод» and «Artplay»."""
    values = {
        "title": "Study tour: Moscow creative spaces",
        "starts_on": date(2027, 7, 7),
        "ends_on": date(2027, 7, 8),
        "capacity": 50,
        **fields,
    }
    event = EventFactory(**values)
    winzavod = venue("Винзавод", address="4-й Сыромятнический пер., 1")
    artplay = venue("Artplay")
    SessionFactory(
        event=event,
        day=event.starts_on,
        starts_at=time(10, 0),
        ends_at=time(11, 30),
        venue=winzavod,
        topic="Visit to Winzavod",
    )
    SessionFactory(
        event=event,
        day=event.ends_on,
        starts_at=time(12, 0),
        ends_at=time(13, 30),
        venue=artplay,
        topic="Visit to Artplay",
    )
    return event


LINK = re.compile(r"https?://[^\s\"<>]+")


def links_in(text: str) -> list[str]:
    return LINK.findall(text)


def path_of(url: str, site_url: str) -> str:
    assert url.startswith(site_url), url
    return url[len(site_url) :]


MODULE = re.compile(r"M(\d+),(\d+)H\d+V\d+H\d+z")


def qr_modules_of_svg(svg: str) -> set[tuple[int, int]]:
    """The dark modules of a QR code drawn by qrcode's SvgPathImage, as
    (row, column)."""
    path = re.search(r'<path d="([^"]+)"', svg)
    assert path, "no QR path in the SVG"
    return {(int(y), int(x)) for x, y in MODULE.findall(path[1])}


def qr_modules_of(data: str, border: int = 4) -> set[tuple[int, int]]:
    """The dark modules of ``data`` encoded afresh: equal sets mean the code
    holds exactly ``data``."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, border=border
    )
    code.add_data(data)
    code.make(fit=True)
    return {
        (row, column)
        for row, line in enumerate(code.get_matrix())
        for column, dark in enumerate(line)
        if dark
    }
