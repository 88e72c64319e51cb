"""Programme records for tests."""

from datetime import date, time

import factory
from django.utils import timezone

from creative_regions.programmes.models import (
    Delegation,
    Event,
    Programme,
    Registration,
    Session,
    Venue,
)
from tests.community.factories import PersonFactory, region


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Площадка {n}")
    kind = Venue.Kind.CREATIVE_CLUSTER
    region = factory.LazyFunction(lambda: region("77"))
    city = "Москва"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Study tours {n}")
    format = Event.Format.STUDY_TOUR
    year = 2027


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    format = Event.Format.STUDY_TOUR
    title = factory.Sequence(lambda n: f"Study tour {n}")
    starts_on = date(2027, 7, 7)
    ends_on = date(2027, 7, 8)
    region = factory.LazyFunction(lambda: region("77"))
    city = "Москва"
    status = Event.Status.CONFIRMED
    registration_open = True


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    day = factory.LazyAttribute(lambda session: session.event.starts_on)
    starts_at = time(10, 0)
    ends_at = time(11, 30)
    topic = factory.Sequence(lambda n: f"Visit {n}")


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation

    event = factory.SubFactory(EventFactory)
    region = factory.LazyFunction(lambda: region("10"))


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(PersonFactory)
    status = Registration.Status.CONFIRMED
    source = Registration.Source.STAFF
    queued_at = factory.LazyFunction(timezone.now)
