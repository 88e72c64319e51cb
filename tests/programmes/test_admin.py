"""The admin lists every programmes record with its history, and cancels a
registration through the service, so the waitlist moves up."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from creative_regions.programmes.models import (
    Attendance,
    Feedback,
    InternshipPlacement,
    Outcome,
    Registration,
    VenuePhoto,
)
from tests.community.factories import OrganisationFactory, PersonFactory
from tests.programmes.factories import (
    DelegationFactory,
    EventFactory,
    ProgrammeFactory,
    RegistrationFactory,
    SessionFactory,
    VenueFactory,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("english", "media_in_tmp"),
]


@pytest.fixture
def one_of_each(regions):
    venue = VenueFactory(name="Винзавод")
    VenuePhoto.objects.create(venue=venue, image="programmes/venues/1/a.jpg")
    event = EventFactory(title="Ознакомительный визит", programme=ProgrammeFactory())
    session = SessionFactory(event=event, venue=venue)
    delegation = DelegationFactory(event=event)
    registration = RegistrationFactory(event=event, delegation=delegation)
    Attendance.objects.create(session=session, registration=registration, method="qr")
    Feedback.objects.create(registration=registration, rating=5, recommend=10)
    internship = EventFactory(format="internship", title="Стажировка")
    InternshipPlacement.objects.create(
        event=internship,
        participant=registration.person,
        host=OrganisationFactory(),
        starts_on=event.starts_on,
        ends_on=event.ends_on,
    )
    Outcome.objects.create(event=event, kind="agreement", summary="Соглашение")
    return event


@pytest.mark.parametrize(
    "model",
    [
        "venue",
        "venuephoto",
        "programme",
        "event",
        "session",
        "delegation",
        "registration",
        "attendance",
        "feedback",
        "internshipplacement",
        "outcome",
    ],
)
def test_every_programmes_list_and_record_opens_in_the_admin(
    client, admin_user, one_of_each, model
):
    client.force_login(admin_user)

    listed = client.get(f"/admin/programmes/{model}/")
    model_class = listed.context["cl"].model
    record = model_class.objects.order_by("pk").first()
    opened = client.get(f"/admin/programmes/{model}/{record.pk}/change/")

    assert listed.status_code == 200
    assert listed.context["cl"].result_count >= 1
    assert opened.status_code == 200


@pytest.mark.parametrize(
    "model,search,expected",
    [
        ("event", "визит", 1),
        ("venue", "Винзавод", 1),
        ("registration", "Ознакомительный", 1),
        ("outcome", "Соглашение", 1),
    ],
)
def test_the_admin_searches_the_records(
    client, admin_user, one_of_each, model, search, expected
):
    client.force_login(admin_user)

    response = client.get(f"/admin/programmes/{model}/", {"q": search})

    assert response.context["cl"].result_count == expected


def test_an_events_history_page_lists_its_changes(client, admin_user, regions):
    from creative_regions.programmes import services

    event = EventFactory(title="Бизнес-миссия")
    services.event_update(user=admin_user, event=event, title="Бизнес-миссия Карелии")
    client.force_login(admin_user)

    response = client.get(f"/admin/programmes/event/{event.pk}/history/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Бизнес-миссия Карелии" in content
    assert admin_user.username in content


def test_cancelling_in_the_admin_promotes_the_waitlist(client, admin_user, regions):
    event = EventFactory(capacity=1)
    confirmed = RegistrationFactory(event=event)
    waiting = RegistrationFactory(
        event=event,
        status=Registration.Status.WAITLISTED,
        queued_at=timezone.now(),
    )
    client.force_login(admin_user)
    client.cookies["django_language"] = "en"

    response = client.post(
        "/admin/programmes/registration/",
        {
            "action": "cancel_registrations",
            "_selected_action": [confirmed.pk],
        },
        follow=True,
    )

    assert response.status_code == 200
    assert "1 registration cancelled; the waitlist moved up." in (
        response.content.decode()
    )
    confirmed.refresh_from_db()
    waiting.refresh_from_db()
    assert (confirmed.status, waiting.status) == ("cancelled", "confirmed")


def test_the_admin_adds_no_registration_past_the_services(client, admin_user, regions):
    client.force_login(admin_user)

    response = client.get("/admin/programmes/registration/add/")

    assert response.status_code == 403


def test_the_admin_checks_a_sessions_times(client, admin_user, regions):
    event = EventFactory()
    client.force_login(admin_user)

    response = client.post(
        "/admin/programmes/session/add/",
        {
            "event": event.pk,
            "day": event.starts_on.isoformat(),
            "starts_at": "12:00",
            "ends_at": "11:00",
            "topic": "Наоборот",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "__all__": ["Сессия должна заканчиваться позже, чем начинается."]
    }
    assert not event.sessions.exists()


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (
            lambda: EventFactory.build(
                starts_on=date(2027, 7, 8), ends_on=date(2027, 7, 7)
            ),
            "An event cannot end before it starts.",
        ),
        (
            lambda: InternshipPlacement(
                event=EventFactory(),
                participant=PersonFactory(),
                host=OrganisationFactory(),
                starts_on=date(2027, 7, 8),
                ends_on=date(2027, 7, 7),
            ),
            "A placement cannot end before it starts.",
        ),
    ],
)
def test_a_broken_rule_is_told_in_words_wherever_the_record_is_checked(
    regions, english, record, message
):
    """The admin, the services and the API check records with ``full_clean``:
    the database rule's name never reaches a user."""
    with pytest.raises(ValidationError) as raised:
        record().full_clean()

    assert raised.value.message_dict["__all__"] == [message]
