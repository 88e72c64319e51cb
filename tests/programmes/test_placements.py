"""Internship placements: the list on an internship's page, adding and editing
them (staff), and who sees which."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from creative_regions.programmes.models import Event, InternshipPlacement
from tests.community.factories import OrganisationFactory, PersonFactory, region
from tests.community.pages import sign_in
from tests.programmes.factories import EventFactory
from tests.programmes.people import partner_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def internship(regions):
    event = EventFactory(
        format=Event.Format.INTERNSHIP,
        title="Internship of regional designers",
        region=region("77"),
        starts_on=date(2027, 9, 1),
        ends_on=date(2027, 9, 30),
    )
    studio = OrganisationFactory(
        full_name="Студия «Артемий Лебедев»", region=region("77")
    )
    karelian = PersonFactory(surname="Лампинен", first_name="Айно", region=region("10"))
    tatar = PersonFactory(surname="Гарипова", first_name="Алсу", region=region("16"))
    for person in (karelian, tatar):
        InternshipPlacement.objects.create(
            event=event,
            participant=person,
            host=studio,
            starts_on=date(2027, 9, 1),
            ends_on=date(2027, 9, 14),
            goals="Освоить работу с заказчиком",
        )
    return {"event": event, "studio": studio, "karelian": karelian, "tatar": tatar}


def list_url(internship) -> str:
    return reverse("programmes:placement-list", args=[internship["event"].pk])


def create_url(internship) -> str:
    return reverse("programmes:placement-create", args=[internship["event"].pk])


def test_anonymous_user_is_sent_to_sign_in(client, internship):
    for url in (list_url(internship), create_url(internship)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("core:login"))


def test_staff_see_every_placement(client, manager, internship):
    sign_in(client, manager)
    response = client.get(list_url(internship))
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 placements" in page
    assert "Лампинен Айно" in page and "Гарипова Алсу" in page
    assert "Студия «Артемий Лебедев»" in page
    assert "1–14 September 2027" in page
    assert create_url(internship) in page


def test_partner_sees_their_regions_interns_only(client, partner_karelia, internship):
    # The internship is in Moscow: a Karelian partner sees it once Karelia sends
    # someone, through a delegation.
    from tests.programmes.factories import DelegationFactory

    DelegationFactory(event=internship["event"], region=region("10"))
    sign_in(client, partner_karelia)
    response = client.get(list_url(internship))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Лампинен Айно" in page
    assert "Гарипова" not in page
    assert create_url(internship) not in page
    assert client.get(create_url(internship)).status_code == 403


def test_partner_of_a_region_sending_nobody_gets_404(client, internship):
    sign_in(client, partner_of("63"))
    assert client.get(list_url(internship)).status_code == 404


def test_staff_add_a_placement(client, manager, internship):
    intern = PersonFactory(surname="Ершова", first_name="Дарья", region=region("35"))
    sign_in(client, manager)
    response = client.post(
        create_url(internship),
        {
            "participant": intern.pk,
            "host": internship["studio"].pk,
            "starts_on": "2027-09-15",
            "ends_on": "2027-09-30",
            "goals": "Фирменный стиль для фабрики в Череповце",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == list_url(internship)
    assert (
        "The placement of Ершова Дарья Иванович at Студия «Артемий Лебедев» "
        "is recorded." in response.content.decode()
    )
    placement = InternshipPlacement.objects.get(participant=intern)
    assert (placement.starts_on, placement.ends_on) == (
        date(2027, 9, 15),
        date(2027, 9, 30),
    )


def test_a_placement_ending_before_it_starts_is_refused_next_to_the_date(
    client, manager, internship
):
    intern = PersonFactory(region=region("35"))
    sign_in(client, manager)
    response = client.post(
        create_url(internship),
        {
            "participant": intern.pk,
            "host": internship["studio"].pk,
            "starts_on": "2027-09-15",
            "ends_on": "2027-09-01",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["ends_on"] == [
        "The placement cannot end before it starts."
    ]
    assert 'data-testid="error-ends_on"' in response.content.decode()
    assert not InternshipPlacement.objects.filter(participant=intern).exists()


def test_participant_and_host_are_required(client, manager, internship):
    sign_in(client, manager)
    response = client.post(
        create_url(internship), {"starts_on": "2027-09-01", "ends_on": "2027-09-02"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose the participant." in page
    assert "Choose the host organisation." in page


def test_staff_edit_the_hosts_feedback(client, manager, internship):
    placement = InternshipPlacement.objects.get(participant=internship["karelian"])
    url = reverse(
        "programmes:placement-edit", args=[internship["event"].pk, placement.pk]
    )
    sign_in(client, manager)
    form = client.get(url)
    assert form.context["form"].initial["participant"] == internship["karelian"].pk
    assert "Лампинен Айно" in form.content.decode()
    response = client.post(
        url,
        {
            "participant": internship["karelian"].pk,
            "host": internship["studio"].pk,
            "starts_on": "2027-09-01",
            "ends_on": "2027-09-14",
            "goals": placement.goals,
            "host_feedback": "Готова к самостоятельным проектам",
        },
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.host_feedback == "Готова к самостоятельным проектам"
    page = client.get(list_url(internship)).content.decode()
    assert "Готова к самостоятельным проектам" in page


def test_expert_reads_placements_but_cannot_change_them(client, expert, internship):
    placement = InternshipPlacement.objects.get(participant=internship["karelian"])
    sign_in(client, expert)
    assert client.get(list_url(internship)).status_code == 200
    url = reverse(
        "programmes:placement-edit", args=[internship["event"].pk, placement.pk]
    )
    response = client.post(
        url,
        {
            "participant": internship["karelian"].pk,
            "host": internship["studio"].pk,
            "starts_on": "2027-09-01",
            "ends_on": "2027-09-14",
            "host_feedback": "Захвачено",
        },
    )
    assert response.status_code == 403
    placement.refresh_from_db()
    assert placement.host_feedback == ""


def test_placements_belong_to_internships_only(client, manager, regions):
    tour = EventFactory(format=Event.Format.STUDY_TOUR)
    sign_in(client, manager)
    assert (
        client.get(reverse("programmes:placement-list", args=[tour.pk])).status_code
        == 404
    )
