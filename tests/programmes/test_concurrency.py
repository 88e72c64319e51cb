"""Registrations under real concurrency, on PostgreSQL: threads with their own
database connections, released together by a barrier, race for the places of
one event. The event's row lock (``services._lock``) must give every place
once and keep the queue in order.

PostgreSQL allows 100 connections on the test machines, shared by everyone, so
the 200 registrations run on 40 connections, five each, all released at once;
the contention on the lock is the same."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from creative_regions.community.models import Person
from creative_regions.geo.models import Region
from creative_regions.programmes import services
from creative_regions.programmes.models import Event, Registration

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite writes one transaction at a time: no race to test; run "
        "with DATABASE_URL=postgres://... to test the row lock",
    ),
    pytest.mark.usefixtures("english"),
]

WORKERS = 40

CONFIRMED = Registration.Status.CONFIRMED
WAITLISTED = Registration.Status.WAITLISTED


def run_together(jobs: list[Callable[[], Any]], workers: int = WORKERS) -> list:
    """Runs ``jobs`` on ``workers`` threads, each with its own connection, all
    released at the same instant; returns each job's result or the exception it
    raised, in the order of ``jobs``."""
    workers = min(workers, len(jobs))
    barrier = threading.Barrier(workers)
    shares = [jobs[index::workers] for index in range(workers)]

    def work(share: list[Callable[[], Any]]) -> list:
        outcomes = []
        try:
            # Messages in the language the test reads; connected before the
            # barrier, so that all start racing at once.
            translation.activate("en")
            connection.ensure_connection()
            barrier.wait(timeout=60)
            for job in share:
                try:
                    outcomes.append(job())
                except Exception as error:  # reported to the test
                    outcomes.append(error)
        finally:
            connection.close()
        return outcomes

    with ThreadPoolExecutor(max_workers=workers) as pool:
        per_worker = list(pool.map(work, shares))
    results: list = [None] * len(jobs)
    for index, outcomes in enumerate(per_worker):
        for position, outcome in enumerate(outcomes):
            results[index + position * workers] = outcome
    return results


@pytest.fixture
def moscow(transactional_db, regions) -> Region:
    return regions["77"]


def make_event(region: Region, capacity: int) -> Event:
    return Event.objects.create(
        format=Event.Format.STUDY_TOUR,
        title="Ознакомительный визит",
        starts_on=date(2027, 7, 7),
        ends_on=date(2027, 7, 8),
        region=region,
        city="Москва",
        status=Event.Status.CONFIRMED,
        capacity=capacity,
        registration_open=True,
    )


def make_people(region: Region, count: int, start: int = 0) -> list[Person]:
    return Person.objects.bulk_create(
        Person(
            surname=f"Участник{number}",
            first_name="Иван",
            region=region,
            email=f"p{number}@example.org",
        )
        for number in range(start, start + count)
    )


def register(event: Event, person: Person) -> Callable[[], Registration]:
    return lambda: services.registration_create(
        event=event, person=person, source=Registration.Source.STAFF
    )


def queue(event: Event) -> list[Registration]:
    return list(
        Registration.objects.filter(event=event)
        .exclude(status=Registration.Status.CANCELLED)
        .order_by("queued_at", "pk")
    )


def test_two_hundred_at_once_for_fifty_places_leave_fifty_confirmed(moscow):
    event = make_event(moscow, capacity=50)
    people = make_people(moscow, 200)

    results = run_together([register(event, person) for person in people])

    errors = [result for result in results if isinstance(result, Exception)]
    assert errors == []
    registrations = Registration.objects.filter(event=event)
    assert registrations.filter(status=CONFIRMED).count() == 50
    assert registrations.filter(status=WAITLISTED).count() == 150
    assert registrations.values("person").distinct().count() == 200
    # The queue's order is the order the places were given in: nobody
    # waitlisted is ahead of anybody confirmed, and the positions are 1…150.
    statuses = [registration.status for registration in queue(event)]
    assert statuses == [CONFIRMED] * 50 + [WAITLISTED] * 150
    from creative_regions.programmes.selectors import waitlist_position

    positions = sorted(
        waitlist_position(r) for r in registrations.filter(status=WAITLISTED)
    )
    assert positions == list(range(1, 151))


def test_the_same_person_many_times_at_once_is_registered_once(moscow):
    event = make_event(moscow, capacity=50)
    (person,) = make_people(moscow, 1)

    results = run_together([register(event, person) for _ in range(20)], workers=20)

    registered = [r for r in results if isinstance(r, Registration)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(registered) == 1 and len(refused) == 19
    assert {tuple(error.messages) for error in refused} == {
        ("This person is already registered for this event.",)
    }
    assert Registration.objects.filter(event=event).count() == 1


def test_cancellations_and_registrations_at_once_keep_the_count_right(moscow):
    event = make_event(moscow, capacity=50)
    for person in make_people(moscow, 80):
        services.registration_create(
            event=event, person=person, source=Registration.Source.STAFF
        )
    first_queue = queue(event)
    confirmed, waiting = first_queue[:50], first_queue[50:]
    newcomers = make_people(moscow, 25, start=1000)
    leaving = confirmed[::2][:25]

    jobs: list[Callable[[], Any]] = []
    for registration, person in zip(leaving, newcomers, strict=True):
        jobs.append(
            lambda registration=registration: services.registration_cancel(
                registration=registration
            )
        )
        jobs.append(register(event, person))
    results = run_together(jobs, workers=WORKERS)

    assert [r for r in results if isinstance(r, Exception)] == []
    registrations = Registration.objects.filter(event=event)
    assert registrations.filter(status=CONFIRMED).count() == 50
    assert registrations.filter(status=WAITLISTED).count() == 30
    assert registrations.filter(status=Registration.Status.CANCELLED).count() == 25
    # Each freed place went to the head of the queue: the first 25 waiting
    # were promoted, the last five of them and every newcomer wait.
    promoted = set(
        registrations.filter(status=CONFIRMED, promoted_at__isnull=False).values_list(
            "pk", flat=True
        )
    )
    assert promoted == {registration.pk for registration in waiting[:25]}
    assert set(
        registrations.filter(status=WAITLISTED).values_list("person", flat=True)
    ) == {r.person_id for r in waiting[25:]} | {person.pk for person in newcomers}


def test_one_new_person_sending_the_public_form_twice_at_once_is_one_person(
    moscow, mailoutbox
):
    event = make_event(moscow, capacity=50)

    def send_form() -> Registration:
        return services.public_register(
            event=event,
            surname="Петрова",
            first_name="Анна",
            email="anna.petrova@example.org",
            region=moscow,
            consent=True,
        )

    results = run_together([send_form for _ in range(10)], workers=10)

    registered = [r for r in results if isinstance(r, Registration)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(registered) == 1 and len(refused) == 9, results
    assert {tuple(error.message_dict["email"]) for error in refused} == {
        ("This person is already registered for this event.",)
    }
    assert Person.objects.filter(email="anna.petrova@example.org").count() == 1
    assert Registration.objects.filter(event=event).count() == 1
