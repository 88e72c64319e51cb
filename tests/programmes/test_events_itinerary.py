"""Sessions of an itinerary added, changed and deleted in place (HTMX answers with
the itinerary section; without JavaScript the same URLs answer with pages), with
the service's refusals next to their fields, and only by staff."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.urls import reverse

from creative_regions.programmes.models import Session
from tests.programmes.planning import htmx, july_2023, session, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def july(regions):
    return july_2023()


def session_data(prefix="session", **changes) -> dict:
    values = {
        "day": "2023-07-07",
        "starts_at": "10:00",
        "ends_at": "11:30",
        "venue": "",
        "topic": "Contemporary art centre",
        "speakers": "",
        "capacity": "",
    }
    values.update(changes)
    return {f"{prefix}-{name}": value for name, value in values.items()}


def create_url(event) -> str:
    return reverse("programmes:session-create", args=[event.pk])


def edit_url(item) -> str:
    return reverse("programmes:session-edit", args=[item.event_id, item.pk])


def delete_url(item) -> str:
    return reverse("programmes:session-delete", args=[item.event_id, item.pk])


# Adding ---------------------------------------------------------------------------


def test_adding_a_session_in_place_answers_with_the_itinerary(client, manager, july):
    sign_in(client, manager)

    response = client.post(
        create_url(july.tour),
        session_data(venue=july.winery.pk, speakers="Kulikova A.", capacity="25"),
        **htmx(),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="mb-4" id="itinerary"')
    assert "The session “Contemporary art centre” is added." in html
    assert "10:00–11:30" in html
    assert "Kulikova A." in html
    added = Session.objects.get(event=july.tour)
    assert (added.day, added.starts_at, added.venue, added.capacity) == (
        date(2023, 7, 7),
        time(10, 0),
        july.winery,
        25,
    )
    # The history records who added it.
    assert added.history.first().history_user == manager


def test_a_day_outside_the_event_is_refused_at_the_day_in_place(client, manager, july):
    sign_in(client, manager)

    response = client.post(
        create_url(july.tour), session_data(day="2023-07-10"), **htmx()
    )

    html = response.content.decode()
    assert response.status_code == 200  # swapped in, with the message
    assert 'data-testid="error-day"' in html
    assert "The event runs from 07/07/2023 to 08/07/2023." in html
    assert "<details" in html and " open" in html
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_at": "09:00"}, "ends_at", "A session ends after it starts."),
        ({"ends_at": "10:00"}, "ends_at", "A session ends after it starts."),
        ({"topic": ""}, "topic", "This field is required."),
        ({"starts_at": "25:00"}, "starts_at", "Enter a valid time."),
        (
            {"venue": "999999"},
            "venue",
            "Select a valid choice. That choice is not one of the available choices.",
        ),
    ],
)
def test_bad_sessions_are_refused_next_to_the_field(
    client, manager, july, changes, field, message
):
    sign_in(client, manager)

    response = client.post(create_url(july.tour), session_data(**changes), **htmx())

    form = response.context["add_form"]
    assert form.errors[field] == [message]
    assert f'data-testid="error-{field}"' in response.content.decode()
    assert not Session.objects.exists()


def test_without_javascript_adding_redirects_and_a_refusal_is_a_page(
    client, manager, july
):
    sign_in(client, manager)

    added = client.post(create_url(july.tour), session_data())
    refused = client.post(
        create_url(july.tour), session_data(day="2023-07-09", topic="Late")
    )

    assert added.status_code == 302
    assert (
        added["Location"]
        == reverse("programmes:event-detail", args=[july.tour.pk]) + "#itinerary"
    )
    assert refused.status_code == 400
    assert "<html" in refused.content.decode()
    assert "The event runs from 07/07/2023 to 08/07/2023." in refused.content.decode()
    assert list(Session.objects.values_list("topic", flat=True)) == [
        "Contemporary art centre"
    ]


def test_an_overlap_at_the_venue_is_kept_and_flagged(client, manager, july):
    session(
        july.mission,
        venue=july.winery,
        day=date(2023, 7, 7),
        start="11:00",
        end="12:00",
        topic="Meeting the residents",
    )
    sign_in(client, manager)

    response = client.post(
        create_url(july.tour), session_data(venue=july.winery.pk), **htmx()
    )

    html = response.content.decode()
    assert Session.objects.filter(event=july.tour).count() == 1
    assert 'data-testid="session-conflict"' in html
    assert (
        "of the event “Business mission of Karelian designers” at the same venue."
        in html
    )


# Editing --------------------------------------------------------------------------


def test_opening_the_edit_row_in_place(client, manager, july):
    item = session(july.tour, venue=july.winery, topic="Contemporary art centre")
    sign_in(client, manager)

    response = client.get(edit_url(item), **htmx())

    html = response.content.decode()
    assert 'data-testid="session-edit-row"' in html
    assert "Editing “Contemporary art centre”" in html
    assert f'name="session-{item.pk}-topic"' in html
    assert 'value="Contemporary art centre"' in html


def test_saving_an_edited_session_in_place(client, manager, july):
    item = session(july.tour, venue=july.winery, topic="Contemporary art centre")
    sign_in(client, manager)

    response = client.post(
        edit_url(item),
        session_data(
            prefix=f"session-{item.pk}",
            day="2023-07-08",
            starts_at="12:30",
            ends_at="14:00",
            venue=july.artplay.pk,
            topic="Design centre «Artplay»",
        ),
        **htmx(),
    )

    assert response.status_code == 200
    assert (
        "The session “Design centre «Artplay»” is saved." in response.content.decode()
    )
    item.refresh_from_db()
    assert (item.day, item.starts_at, item.venue, item.topic) == (
        date(2023, 7, 8),
        time(12, 30),
        july.artplay,
        "Design centre «Artplay»",
    )


def test_a_refused_edit_keeps_the_row_open_with_the_message(client, manager, july):
    item = session(july.tour, topic="Contemporary art centre")
    sign_in(client, manager)

    response = client.post(
        edit_url(item),
        session_data(prefix=f"session-{item.pk}", starts_at="12:00", ends_at="11:00"),
        **htmx(),
    )

    html = response.content.decode()
    assert 'data-testid="session-edit-row"' in html
    assert "A session ends after it starts." in html
    item.refresh_from_db()
    assert item.ends_at == time(11, 30)


def test_without_javascript_editing_is_a_page(client, manager, july):
    item = session(july.tour, topic="Contemporary art centre")
    sign_in(client, manager)

    page = client.get(edit_url(item))
    refused = client.post(
        edit_url(item), session_data(prefix=f"session-{item.pk}", topic="")
    )
    saved = client.post(
        edit_url(item), session_data(prefix=f"session-{item.pk}", topic="Renamed")
    )

    assert page.status_code == 200
    assert "<html" in page.content.decode()
    assert (
        "hx-post"
        not in page.content.decode().split('data-testid="session-form"')[0][-200:]
    )
    assert refused.status_code == 400
    assert refused.context["form"].errors["topic"] == ["This field is required."]
    assert saved.status_code == 302
    item.refresh_from_db()
    assert item.topic == "Renamed"


def test_a_session_of_another_event_is_not_found_here(client, manager, july):
    other = session(july.mission, topic="Meeting the residents")
    sign_in(client, manager)

    url = reverse("programmes:session-edit", args=[july.tour.pk, other.pk])
    response = client.post(
        url, session_data(prefix=f"session-{other.pk}", topic="Hijacked")
    )

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.topic == "Meeting the residents"


def test_closing_the_edit_row_brings_the_itinerary_back(client, manager, july):
    session(july.tour, topic="Contemporary art centre")
    sign_in(client, manager)
    url = reverse("programmes:event-itinerary", args=[july.tour.pk])

    partial = client.get(url, **htmx())
    plain = client.get(url)

    assert 'data-testid="session-edit-row"' not in partial.content.decode()
    assert "Contemporary art centre" in partial.content.decode()
    assert plain.status_code == 302


# Deleting -------------------------------------------------------------------------


def test_deleting_a_session_in_place(client, manager, july):
    item = session(july.tour, topic="Contemporary art centre")
    sign_in(client, manager)

    response = client.post(delete_url(item), **htmx())

    assert (
        "The session “Contemporary art centre” is deleted." in response.content.decode()
    )
    assert not Session.objects.filter(pk=item.pk).exists()
    assert (
        Session.history.filter(id=item.pk, history_type="-").get().history_user
        == manager
    )


# Who may ----------------------------------------------------------------------------


@pytest.mark.parametrize("user_fixture", ["expert", "partner_karelia"])
def test_readers_may_not_change_the_itinerary(client, request, july, user_fixture):
    item = session(july.tour, topic="Contemporary art centre")
    sign_in(client, request.getfixturevalue(user_fixture))

    added = client.post(create_url(july.tour), session_data(topic="Added"), **htmx())
    edited = client.post(
        edit_url(item),
        session_data(prefix=f"session-{item.pk}", topic="Edited"),
        **htmx(),
    )
    deleted = client.post(delete_url(item), **htmx())

    assert [added.status_code, edited.status_code, deleted.status_code] == [
        403,
        403,
        403,
    ]
    assert list(Session.objects.values_list("topic", flat=True)) == [
        "Contemporary art centre"
    ]


def test_anonymous_visitors_cannot_touch_the_itinerary(client, july):
    item = session(july.tour, topic="Contemporary art centre")

    response = client.post(delete_url(item))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert Session.objects.filter(pk=item.pk).exists()


# History ----------------------------------------------------------------------------


def test_the_events_history_tells_who_changed_the_itinerary(client, manager, july):
    sign_in(client, manager)
    client.post(create_url(july.tour), session_data(venue=july.winery.pk), **htmx())
    item = Session.objects.get(event=july.tour)
    client.post(
        edit_url(item),
        session_data(
            prefix=f"session-{item.pk}",
            starts_at="10:30",
            ends_at="12:00",
            venue=july.artplay.pk,
        ),
        **htmx(),
    )
    client.post(delete_url(item), **htmx())

    response = client.get(reverse("programmes:event-detail", args=[july.tour.pk]))

    entries = [
        (
            entry.subject,
            entry.kind_label,
            [(c.label, c.old, c.new) for c in entry.changes],
        )
        for entry in response.context["history"]
        if getattr(entry, "subject", "")
    ]
    assert entries == [
        ("Session “Contemporary art centre”", "Deleted", []),
        (
            "Session “Contemporary art centre”",
            "Changed",
            [
                ("starts at", "10:00", "10:30"),
                ("ends at", "11:30", "12:00"),
                ("venue", "Винзавод", "Artplay"),
            ],
        ),
        ("Session “Contemporary art centre”", "Created", []),
    ]
    assert all(
        entry.user == manager
        for entry in response.context["history"]
        if getattr(entry, "subject", "")
    )
    assert "Session “Contemporary art centre”:</span>" in response.content.decode()
