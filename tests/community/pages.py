"""Helpers of the page tests: a signed-in client reading the English source
text, and the records the pages show."""

from __future__ import annotations

from datetime import date

from creative_regions.community.models import Affiliation, Sector, Tag
from creative_regions.research.models import Classification


def sign_in(client, user):
    """Signs ``user`` in with English chosen, so messages are asserted in their
    source text whatever the Russian catalogue says."""
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def sector(name: str, name_en: str = "") -> Sector:
    classification = Classification.objects.get(key="ru-minec-16")
    found, _created = Sector.objects.get_or_create(
        classification=classification, name=name, defaults={"name_en": name_en}
    )
    return found


def tag(name: str) -> Tag:
    found = Tag.objects.filter(name=name).first()
    if found is None:
        found = Tag(name=name)
        found.save()
    return found


def affiliate(person, organisation, *, role="", started_on=None, ended_on=None):
    return Affiliation.objects.create(
        person=person,
        organisation=organisation,
        role=role,
        started_on=started_on or date(2024, 1, 1),
        ended_on=ended_on,
    )


def names(response, key="page") -> list[str]:
    """The names of the rows a list page shows, in order."""
    return [str(record) for record in response.context[key]]
