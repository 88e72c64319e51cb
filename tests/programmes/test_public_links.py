"""The signed links of a registration: the ticket with its QR code, the
cancellation that hands the place to the waitlist, the feedback form; and what
a tampered or expired link answers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import signing
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from creative_regions.programmes.models import Event, Feedback, Registration
from creative_regions.programmes.notifications import (
    check_in_url,
    link_signature,
)
from tests.community.factories import PersonFactory
from tests.programmes.factories import RegistrationFactory
from tests.programmes.public_pages import (
    clear_rate_limits,
    links_in,
    path_of,
    qr_modules_of,
    qr_modules_of_svg,
    study_tour,
)

pytestmark = pytest.mark.django_db

CONFIRMED = Registration.Status.CONFIRMED
WAITLISTED = Registration.Status.WAITLISTED
CANCELLED = Registration.Status.CANCELLED


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    clear_rate_limits()


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def tour(regions):
    return study_tour()


def person(surname: str, email: str):
    return PersonFactory(surname=surname, first_name="Анна", patronymic="", email=email)


def ticket_path(registration) -> str:
    return reverse(
        "programmes:public-ticket", args=[link_signature(registration, "ticket")]
    )


def cancel_path(registration) -> str:
    return reverse(
        "programmes:public-cancel", args=[link_signature(registration, "cancel")]
    )


def feedback_path(registration) -> str:
    return reverse(
        "programmes:public-feedback", args=[link_signature(registration, "feedback")]
    )


# Ticket -------------------------------------------------------------------------------


def test_ticket_shows_the_person_status_and_a_qr_code_of_the_check_in_page(
    client, english, tour, settings
):
    settings.SITE_URL = "https://regions.example.org"
    registration = RegistrationFactory(
        event=tour, person=person("Лебедева", "lebedeva@example.org")
    )

    response = client.get(ticket_path(registration))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Лебедева Анна" in content
    assert 'data-testid="ticket-status">Confirmed' in content
    expected = f"https://regions.example.org/programmes/check-in/{registration.token}/"
    assert check_in_url(registration) == expected
    svg = content[content.index("<svg") : content.index("</svg>") + 6]
    assert 'class="qr-code"' in svg and 'role="img"' in svg
    assert qr_modules_of_svg(svg) == qr_modules_of(expected)


def test_ticket_of_a_waitlisted_person_gives_their_place_in_the_queue(
    client, english, tour
):
    RegistrationFactory(event=tour, status=WAITLISTED)
    registration = RegistrationFactory(event=tour, status=WAITLISTED)

    content = client.get(ticket_path(registration)).content.decode()

    assert "Waitlisted · number 2 in the queue" in content


def test_cancelled_ticket_has_no_qr_code_and_no_cancel_button(client, english, tour):
    registration = RegistrationFactory(event=tour, status=CANCELLED)

    content = client.get(ticket_path(registration)).content.decode()

    assert "<svg" not in content
    assert 'data-testid="ticket-cancel"' not in content
    assert "This registration is cancelled." in content


def test_tampered_link_is_refused_with_a_clear_message(client, english, tour):
    registration = RegistrationFactory(event=tour)
    signature = link_signature(registration, "ticket")
    tampered = signature[:-1] + ("A" if signature[-1] != "A" else "B")

    response = client.get(reverse("programmes:public-ticket", args=[tampered]))

    assert response.status_code == 400
    assert "This link is damaged" in response.content.decode()
    assert "<svg" not in response.content.decode()


def test_link_made_for_the_ticket_does_not_cancel(client, english, tour):
    registration = RegistrationFactory(event=tour)
    ticket_signature = link_signature(registration, "ticket")

    response = client.post(reverse("programmes:public-cancel", args=[ticket_signature]))

    assert response.status_code == 400
    registration.refresh_from_db()
    assert registration.status == CONFIRMED


def test_expired_link_is_refused_with_a_clear_message(
    client, english, tour, settings, monkeypatch
):
    settings.PROGRAMMES_LINK_MAX_AGE_DAYS = 30
    registration = RegistrationFactory(event=tour)
    long_ago = timezone.now() - timedelta(days=31)
    monkeypatch.setattr(
        signing.TimestampSigner,
        "timestamp",
        lambda self: signing.b62_encode(int(long_ago.timestamp())),
    )
    signature = link_signature(registration, "cancel")
    monkeypatch.undo()

    response = client.post(reverse("programmes:public-cancel", args=[signature]))

    assert response.status_code == 410
    assert "This link has expired." in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == CONFIRMED


# Cancellation -------------------------------------------------------------------------


def test_cancel_link_asks_first_and_changes_nothing_until_confirmed(
    client, english, tour
):
    registration = RegistrationFactory(event=tour)

    response = client.get(cancel_path(registration))

    assert "Cancel the registration?" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == CONFIRMED


def test_cancel_gives_the_place_to_the_first_waitlisted_who_is_emailed(
    client, english, regions, mailoutbox, settings
):
    settings.SITE_URL = "https://regions.example.org"
    event = study_tour(capacity=1)
    leaving = RegistrationFactory(
        event=event, person=person("Орлова", "orlova@example.org")
    )
    first = RegistrationFactory(
        event=event, person=person("Волкова", "volkova@example.org"), status=WAITLISTED
    )
    second = RegistrationFactory(
        event=event,
        person=person("Зайцева", "zaitseva@example.org"),
        status=WAITLISTED,
        queued_at=first.queued_at + timedelta(seconds=1),
    )

    response = client.post(cancel_path(leaving))

    assert response.status_code == 302
    assert response.url == ticket_path(leaving)
    for registration in (leaving, first, second):
        registration.refresh_from_db()
    assert leaving.status == CANCELLED
    assert first.status == CONFIRMED and first.promoted_at is not None
    assert second.status == WAITLISTED
    assert [message.to for message in mailoutbox] == [["volkova@example.org"]]
    promotion = mailoutbox[0]
    # The language of the registration is not on record: Russian, then English.
    assert promotion.subject.endswith(
        " / A place is yours: Study tour: Moscow creative spaces"
    )
    assert "7–8 июля 2027 г." in promotion.body
    assert "7–8 July 2027" in promotion.body
    page = client.get(response.url).content.decode()
    assert "Your registration is cancelled." in page
    ticket = next(link for link in links_in(promotion.body) if "/tickets/" in link)
    promoted_ticket = client.get(path_of(ticket, settings.SITE_URL)).content.decode()
    assert "Волкова Анна" in promoted_ticket
    assert 'data-testid="ticket-status">Confirmed' in promoted_ticket


def test_cancelling_twice_changes_nothing_the_second_time(
    client, english, regions, mailoutbox
):
    event = study_tour(capacity=1)
    leaving = RegistrationFactory(event=event)
    RegistrationFactory(
        event=event,
        person=person("Волкова", "volkova@example.org"),
        status=WAITLISTED,
    )
    client.post(cancel_path(leaving))

    response = client.get(cancel_path(leaving))
    client.post(cancel_path(leaving))

    assert "This registration is already cancelled." in response.content.decode()
    assert len(mailoutbox) == 1
    assert event.registrations.filter(status=CONFIRMED).count() == 1


def test_after_the_event_the_cancel_link_says_so_and_keeps_the_place(
    client, english, tour
):
    registration = RegistrationFactory(event=tour)
    tour.status = Event.Status.HELD
    tour.save()

    page = client.get(cancel_path(registration)).content.decode()
    response = client.post(cancel_path(registration), follow=True)

    assert "This event is over: its places can no longer be cancelled." in page
    assert 'data-testid="cancel-confirm"' not in page
    assert "This event is over: its places can no longer be cancelled." in (
        response.content.decode()
    )
    registration.refresh_from_db()
    assert registration.status == CONFIRMED


def test_cancel_still_checks_csrf(tour):
    from django.test import Client

    registration = RegistrationFactory(event=tour)
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(cancel_path(registration))

    assert response.status_code == 403
    registration.refresh_from_db()
    assert registration.status == CONFIRMED


# Feedback -----------------------------------------------------------------------------


@pytest.fixture
def started_tour(regions):
    today = timezone.localdate()
    return study_tour(starts_on=today - timedelta(days=1), ends_on=today)


def test_feedback_is_recorded_and_can_be_changed(client, english, started_tour):
    registration = RegistrationFactory(event=started_tour)

    response = client.post(
        feedback_path(registration),
        {"rating": "5", "recommend": "9", "comment": "Очень полезно"},
    )
    client.post(
        feedback_path(registration), {"rating": "4", "recommend": "10", "comment": ""}
    )

    assert response.status_code == 302
    feedback = Feedback.objects.get(registration=registration)
    assert (feedback.rating, feedback.recommend, feedback.comment) == (4, 10, "")
    page = client.get(feedback_path(registration)).content.decode()
    assert "Thank you: your feedback is recorded." in page
    assert (
        'value="4" class="form-check-input" id="id_rating_3" required checked' in page
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"rating": "6", "recommend": "5"}, "rating"),
        ({"rating": "3", "recommend": "11"}, "recommend"),
        ({"rating": "3"}, "recommend"),
        ({"rating": "3", "recommend": "5", "comment": "x" * 5001}, "comment"),
    ],
)
def test_feedback_out_of_range_is_refused_next_to_the_field(
    client, english, started_tour, data, field
):
    registration = RegistrationFactory(event=started_tour)

    response = client.post(feedback_path(registration), data)

    assert response.status_code == 200
    assert f'data-testid="error-{field}"' in response.content.decode()
    assert Feedback.objects.count() == 0


def test_feedback_opens_when_the_event_starts(client, english, tour):
    registration = RegistrationFactory(event=tour)

    page = client.get(feedback_path(registration)).content.decode()
    response = client.post(
        feedback_path(registration), {"rating": "5", "recommend": "9"}
    )

    assert "Feedback opens when the event starts." in page
    assert "Feedback opens when the event starts." in response.content.decode()
    assert Feedback.objects.count() == 0


def test_waitlisted_person_cannot_leave_feedback(client, english, started_tour):
    registration = RegistrationFactory(event=started_tour, status=WAITLISTED)

    response = client.post(
        feedback_path(registration), {"rating": "5", "recommend": "9"}
    )

    assert "Only participants with a place can leave feedback." in (
        response.content.decode()
    )
    assert Feedback.objects.count() == 0


def test_ticket_offers_feedback_once_the_event_has_started(
    client, english, tour, started_tour
):
    before = RegistrationFactory(event=tour)
    after = RegistrationFactory(event=started_tour)

    assert 'data-testid="ticket-feedback"' not in (
        client.get(ticket_path(before)).content.decode()
    )
    assert 'data-testid="ticket-feedback"' in (
        client.get(ticket_path(after)).content.decode()
    )


def test_feedback_requests_go_to_confirmed_participants_of_yesterdays_events(
    client, english, regions, mailoutbox, settings
):
    settings.SITE_URL = "https://regions.example.org"
    today = timezone.localdate()
    ended = study_tour(starts_on=today - timedelta(days=2), ends_on=today)
    ended.ends_on = today - timedelta(days=1)
    ended.save()
    participant = RegistrationFactory(
        event=ended, person=person("Соболева", "soboleva@example.org")
    )
    RegistrationFactory(
        event=ended, person=person("Ежова", "ezhova@example.org"), status=WAITLISTED
    )
    RegistrationFactory(
        event=ended,
        person=person("Ласточкина", "lastochkina@example.org"),
        status=CANCELLED,
    )
    RegistrationFactory(
        event=study_tour(), person=person("Кротова", "krotova@example.org")
    )

    call_command("send_feedback_requests")

    assert [message.to for message in mailoutbox] == [["soboleva@example.org"]]
    link = next(link for link in links_in(mailoutbox[0].body) if "/feedback/" in link)
    client.post(path_of(link, settings.SITE_URL), {"rating": "5", "recommend": "10"})
    assert Feedback.objects.get().registration == participant


def test_feedback_is_asked_for_once_whatever_the_runs(
    client, english, regions, mailoutbox
):
    today = timezone.localdate()
    ended = study_tour(starts_on=today - timedelta(days=2), ends_on=today)
    ended.ends_on = today - timedelta(days=1)
    ended.save()
    asked = RegistrationFactory(
        event=ended, person=person("Соболева", "soboleva@example.org")
    )
    answered = RegistrationFactory(
        event=ended, person=person("Ежова", "ezhova@example.org")
    )
    Feedback.objects.create(registration=answered, rating=4, recommend=8)

    call_command("send_feedback_requests")
    call_command("send_feedback_requests", event=ended.pk)
    late = RegistrationFactory(
        event=ended, person=person("Кротова", "krotova@example.org")
    )
    call_command("send_feedback_requests")

    assert [message.to for message in mailoutbox] == [
        ["soboleva@example.org"],
        ["krotova@example.org"],
    ]
    asked.refresh_from_db()
    late.refresh_from_db()
    assert asked.feedback_requested_at is not None
    assert late.feedback_requested_at >= asked.feedback_requested_at
