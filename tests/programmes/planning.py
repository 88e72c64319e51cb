"""Records of the calendar, event, venue and programme pages: July 2023 as the
demo story tells it, with events in Moscow, Kazan and Karelia."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from creative_regions.programmes.models import Event, Programme, Venue
from tests.community.factories import region
from tests.programmes.factories import (
    DelegationFactory,
    EventFactory,
    ProgrammeFactory,
    SessionFactory,
    VenueFactory,
)


def sign_in(client, user):
    """Signs ``user`` in with English chosen, so texts are asserted in their
    source language whatever the Russian catalogue says."""
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def htmx(**headers) -> dict:
    """The headers of an HTMX request (not boosted)."""
    return {"HTTP_HX_REQUEST": "true", **headers}


@dataclass
class July:
    missions: Programme
    tours: Programme
    mission: Event
    tour: Event
    kazan_visit: Event
    karelia_seminar: Event
    winery: Venue
    artplay: Venue


def july_2023() -> July:
    """The business mission of Karelian designers (6–7 July, held), the study
    tour with a Karelian delegation (7–8 July, confirmed), an outreach visit to
    Kazan (20–21 July, planned) and a seminar in Petrozavodsk that runs into
    August (31 July – 2 August, cancelled)."""
    missions = ProgrammeFactory(
        name="Business missions 2023", format=Event.Format.BUSINESS_MISSION, year=2023
    )
    tours = ProgrammeFactory(
        name="Study tours 2023", format=Event.Format.STUDY_TOUR, year=2023
    )
    mission = EventFactory(
        title="Business mission of Karelian designers",
        format=Event.Format.BUSINESS_MISSION,
        programme=missions,
        starts_on=date(2023, 7, 6),
        ends_on=date(2023, 7, 7),
        status=Event.Status.HELD,
        goals="Interior-design trends and working with clients.",
    )
    tour = EventFactory(
        title="Study tour of regional delegations",
        programme=tours,
        starts_on=date(2023, 7, 7),
        ends_on=date(2023, 7, 8),
        status=Event.Status.CONFIRMED,
    )
    DelegationFactory(event=tour, region=region("10"))
    kazan_visit = EventFactory(
        title="Outreach visit to Kazan",
        format=Event.Format.OUTREACH_VISIT,
        region=region("16"),
        city="Казань",
        starts_on=date(2023, 7, 20),
        ends_on=date(2023, 7, 21),
        status=Event.Status.PLANNED,
    )
    karelia_seminar = EventFactory(
        title="Seminar in Petrozavodsk",
        format=Event.Format.SEMINAR,
        region=region("10"),
        city="Петрозаводск",
        starts_on=date(2023, 7, 31),
        ends_on=date(2023, 8, 2),
        status=Event.Status.CANCELLED,
    )
    winery = VenueFactory(name="Винзавод", city="Москва")
    artplay = VenueFactory(name="Artplay", city="Москва", kind=Venue.Kind.DESIGN_CENTRE)
    return July(
        missions=missions,
        tours=tours,
        mission=mission,
        tour=tour,
        kazan_visit=kazan_visit,
        karelia_seminar=karelia_seminar,
        winery=winery,
        artplay=artplay,
    )


def session(
    event: Event, *, venue=None, day=None, start="10:00", end="11:30", topic="Visit"
):
    hours, minutes = (int(part) for part in start.split(":"))
    end_hours, end_minutes = (int(part) for part in end.split(":"))
    return SessionFactory(
        event=event,
        venue=venue,
        day=day or event.starts_on,
        starts_at=time(hours, minutes),
        ends_at=time(end_hours, end_minutes),
        topic=topic,
    )
