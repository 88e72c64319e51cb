"""Records of the pages about people at events: a Moscow study tour with the
delegations of Karelia and Tatarstan and a Muscovite who registered on the
public page, and a partner of a region that sends nobody."""

from __future__ import annotations

from dataclasses import dataclass

from creative_regions.community.models import PersonRole
from creative_regions.programmes.models import Delegation, Event, Registration
from tests.community.factories import PersonFactory, region
from tests.core.factories import UserFactory
from tests.programmes.factories import (
    DelegationFactory,
    EventFactory,
    RegistrationFactory,
)


@dataclass
class Tour:
    event: Event
    karelia: Delegation
    tatarstan: Delegation
    karelian: Registration
    tatar: Registration
    muscovite: Registration


def study_tour(*, capacity: int | None = 10, **fields) -> Tour:
    """A study tour in Moscow with one member from Karelia, one from Tatarstan
    and one Muscovite registered on the public page."""
    event = EventFactory(
        title="Study tour of regional delegations",
        capacity=capacity,
        **fields,
    )
    karelia = DelegationFactory(event=event, region=region("10"))
    tatarstan = DelegationFactory(event=event, region=region("16"))
    # get_or_create: a browser test's database is emptied between tests,
    # the roles of the migration with it.
    official, _created = PersonRole.objects.get_or_create(
        code="official",
        defaults={"name_ru": "Представитель власти", "name_en": "Official"},
    )
    karelian = RegistrationFactory(
        event=event,
        person=PersonFactory(
            surname="Лампинен",
            first_name="Айно",
            region=region("10"),
            email="aino@example.org",
        ),
        delegation=karelia,
        role=official,
        source=Registration.Source.DELEGATION,
    )
    tatar = RegistrationFactory(
        event=event,
        person=PersonFactory(
            surname="Гарипова",
            first_name="Алсу",
            region=region("16"),
            email="alsu@example.org",
        ),
        delegation=tatarstan,
        source=Registration.Source.DELEGATION,
    )
    muscovite = RegistrationFactory(
        event=event,
        person=PersonFactory(
            surname="Соколов",
            first_name="Пётр",
            region=region("77"),
            email="petr@example.org",
        ),
        source=Registration.Source.PUBLIC,
    )
    return Tour(event, karelia, tatarstan, karelian, tatar, muscovite)


def partner_of(code: str):
    """A regional partner of the region ``code``."""
    user = UserFactory(role="partner")
    user.regions.set([region(code)])
    return user
