"""Meetings of an outreach visit: recorded as interactions of the community's
dialogue with the event's region, people met created in the community, their
follow-ups listed as the event's outcomes; who records and who reads them."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from creative_regions.community.models import FollowUp, Interaction, Person
from creative_regions.programmes.models import Event, Outcome
from tests.community.factories import OrganisationFactory, PersonFactory, region
from tests.community.pages import sign_in
from tests.programmes.factories import EventFactory
from tests.programmes.people import partner_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(regions):
    return EventFactory(
        format=Event.Format.OUTREACH_VISIT,
        title="Outreach visit to Kazan",
        region=region("16"),
        city="Казань",
        starts_on=date(2027, 10, 5),
        ends_on=date(2027, 10, 6),
        registration_open=False,
    )


def formsets(people: int = 1, follow_ups: int = 1) -> dict:
    data = {}
    for prefix, total in (("new", people), ("follow_ups", follow_ups)):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(total),
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data


def create_url(visit) -> str:
    return reverse("programmes:meeting-create", args=[visit.pk])


def list_url(visit) -> str:
    return reverse("programmes:meeting-list", args=[visit.pk])


def test_anonymous_user_is_sent_to_sign_in(client, visit):
    for url in (list_url(visit), create_url(visit)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("core:login"))


def test_staff_record_a_meeting_written_back_to_the_community(client, manager, visit):
    minister = PersonFactory(surname="Сафин", first_name="Ильдар", region=region("16"))
    cluster = OrganisationFactory(full_name="Креативный кластер «Штаб»")
    sign_in(client, manager)
    response = client.post(
        create_url(visit),
        {
            "occurred_on": "2027-10-05",
            "topic": "Креативный кластер в Казани",
            "summary": "Обсудили площадку и команду",
            "decisions": "Готовить соглашение о сотрудничестве",
            "people": [minister.pk],
            "organisations": [cluster.pk],
            **formsets(people=1, follow_ups=1),
            "new-0-surname": "Галиева",
            "new-0-first_name": "Лейла",
            "new-0-position": "Директор «Штаба»",
            "new-0-email": "leila@example.org",
            "follow_ups-0-description": "Прислать проект соглашения",
            "follow_ups-0-owner": manager.pk,
            "follow_ups-0-due_on": "2027-10-20",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == list_url(visit)
    meeting = Interaction.objects.get()
    assert (meeting.region, meeting.kind, meeting.occurred_on) == (
        region("16"),
        Interaction.Kind.MEETING,
        date(2027, 10, 5),
    )
    assert list(visit.interactions.all()) == [meeting]
    leila = Person.objects.get(surname="Галиева")
    assert (leila.region, leila.position) == (region("16"), "Директор «Штаба»")
    assert set(meeting.people.all()) == {minister, leila}
    assert list(meeting.organisations.all()) == [cluster]
    assert list(meeting.staff.all()) == [manager]
    follow_up = FollowUp.objects.get()
    outcome = Outcome.objects.get(event=visit)
    assert (outcome.kind, outcome.follow_up, outcome.summary) == (
        Outcome.Kind.FOLLOW_UP,
        follow_up,
        "Прислать проект соглашения",
    )
    page = response.content.decode()
    assert "The meeting “Креативный кластер в Казани” is recorded" in page
    assert reverse("community:interaction-detail", args=[meeting.pk]) in page
    assert "Галиева Лейла" in page
    assert "Прислать проект соглашения" in page


def test_the_events_page_lists_the_meetings_held(client, manager, visit):
    meeting = Interaction.objects.create(
        kind=Interaction.Kind.MEETING,
        occurred_on=date(2027, 10, 6),
        region=region("16"),
        topic="Встреча с министерством культуры",
    )
    visit.interactions.add(meeting)
    sign_in(client, manager)
    response = client.get(reverse("programmes:event-detail", args=[visit.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    section = page.split('data-testid="people-meetings"')[1]
    assert "Встреча с министерством культуры" in section
    assert reverse("community:interaction-detail", args=[meeting.pk]) in section
    assert create_url(visit) in section


def test_a_date_outside_the_visit_is_refused_and_nobody_is_recorded(
    client, manager, visit
):
    sign_in(client, manager)
    response = client.post(
        create_url(visit),
        {
            "occurred_on": "2027-10-09",
            "topic": "Встреча после визита",
            **formsets(people=1, follow_ups=1),
            "new-0-surname": "Галиева",
            "new-0-first_name": "Лейла",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["occurred_on"] == [
        "The event runs from 05/10/2027 to 06/10/2027."
    ]
    assert 'data-testid="error-occurred_on"' in response.content.decode()
    assert not Interaction.objects.exists()
    assert not Person.objects.filter(surname="Галиева").exists()


def test_a_follow_up_needs_an_owner_of_the_region(client, manager, visit):
    outsider = partner_of("10")
    sign_in(client, manager)
    response = client.post(
        create_url(visit),
        {
            "occurred_on": "2027-10-05",
            "topic": "Встреча",
            **formsets(people=1, follow_ups=1),
            "follow_ups-0-description": "Позвонить",
            "follow_ups-0-owner": outsider.pk,
            "follow_ups-0-due_on": "2027-10-20",
        },
    )
    assert response.status_code == 400
    row = response.context["follow_ups"].forms[0]
    assert "owner" in row.errors
    assert not Interaction.objects.exists()


def test_another_row_of_follow_ups_comes_with_the_new_count(client, manager, visit):
    sign_in(client, manager)
    response = client.get(
        reverse("programmes:people-form-row", args=[visit.pk, "follow_up"]),
        {"follow_ups-TOTAL_FORMS": "1"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert 'name="follow_ups-1-description"' in page
    assert 'name="follow_ups-TOTAL_FORMS" value="2"' in page
    assert 'hx-swap-oob="true"' in page


def test_expert_and_partner_read_meetings_but_cannot_record_them(
    client, expert, partner_tatarstan, visit
):
    for user in (expert, partner_tatarstan):
        sign_in(client, user)
        assert client.get(list_url(visit)).status_code == 200
        assert client.get(create_url(visit)).status_code == 403
        response = client.post(
            create_url(visit),
            {"occurred_on": "2027-10-05", "topic": "Захвачено", **formsets(0, 0)},
        )
        assert response.status_code == 403
    assert not Interaction.objects.exists()


def test_partner_of_another_region_cannot_see_the_visit(client, partner_karelia, visit):
    sign_in(client, partner_karelia)
    assert client.get(list_url(visit)).status_code == 404
