"""The delegations of an event: who sees which, who registers and edits them,
and what the page says when a rule refuses."""

from __future__ import annotations

import pytest
from django.urls import reverse

from creative_regions.programmes.models import Delegation, Event
from tests.community.factories import OrganisationFactory, PersonFactory, region
from tests.community.pages import sign_in
from tests.programmes.people import partner_of, study_tour

pytestmark = pytest.mark.django_db


@pytest.fixture
def tour(regions):
    return study_tour()


def test_anonymous_user_is_sent_to_sign_in(client, tour):
    for url in (
        reverse("programmes:delegation-list", args=[tour.event.pk]),
        reverse("programmes:delegation-detail", args=[tour.karelia.pk]),
        reverse("programmes:delegation-create", args=[tour.event.pk]),
        reverse("programmes:delegation-edit", args=[tour.karelia.pk]),
        reverse("programmes:delegation-members", args=[tour.karelia.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("core:login"))


def test_staff_see_every_delegation_with_its_members(client, manager, tour):
    sign_in(client, manager)
    response = client.get(reverse("programmes:delegation-list", args=[tour.event.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Karelia" in page
    assert "Tatarstan" in page
    assert "2 delegations" in page
    assert "2 members registered" in page
    assert reverse("programmes:delegation-create", args=[tour.event.pk]) in page


def test_partner_sees_only_their_regions_delegation(client, partner_karelia, tour):
    sign_in(client, partner_karelia)
    response = client.get(reverse("programmes:delegation-list", args=[tour.event.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Karelia" in page
    assert "Tatarstan" not in page
    assert "1 delegation" in page
    other = client.get(
        reverse("programmes:delegation-detail", args=[tour.tatarstan.pk])
    )
    assert other.status_code == 404


def test_partner_of_a_region_sending_nobody_cannot_see_a_closed_event(client, tour):
    tour.event.registration_open = False
    tour.event.save()
    sign_in(client, partner_of("63"))
    for url in (
        reverse("programmes:delegation-list", args=[tour.event.pk]),
        reverse("programmes:delegation-create", args=[tour.event.pk]),
        reverse("programmes:delegation-detail", args=[tour.karelia.pk]),
        reverse("programmes:delegation-members", args=[tour.karelia.pk]),
    ):
        assert client.get(url).status_code == 404


def test_expert_reads_delegations_but_cannot_register_one(client, expert, tour):
    sign_in(client, expert)
    page = client.get(reverse("programmes:delegation-list", args=[tour.event.pk]))
    assert page.status_code == 200
    assert "Tatarstan" in page.content.decode()
    assert reverse("programmes:delegation-create", args=[tour.event.pk]) not in (
        page.content.decode()
    )
    detail = client.get(reverse("programmes:delegation-detail", args=[tour.karelia.pk]))
    assert detail.status_code == 200
    assert "Лампинен Айно" in detail.content.decode()
    for url in (
        reverse("programmes:delegation-create", args=[tour.event.pk]),
        reverse("programmes:delegation-edit", args=[tour.karelia.pk]),
        reverse("programmes:delegation-members", args=[tour.karelia.pk]),
    ):
        assert client.get(url).status_code == 403
    response = client.post(
        reverse("programmes:delegation-create", args=[tour.event.pk]),
        {"region": region("63").pk},
    )
    assert response.status_code == 403
    assert Delegation.objects.count() == 2


def test_staff_register_a_delegation_with_organisation_and_head(client, manager, tour):
    organisation = OrganisationFactory(
        full_name="Фонд «Активный бизнес»", region=region("42")
    )
    head = PersonFactory(surname="Кузнецов", first_name="Олег", region=region("42"))
    sign_in(client, manager)
    response = client.post(
        reverse("programmes:delegation-create", args=[tour.event.pk]),
        {
            "region": region("42").pk,
            "organisation": organisation.pk,
            "head": head.pk,
            "logistics": "Поезд прибывает 6 июля в 7:40",
        },
    )
    delegation = Delegation.objects.get(region__code="42")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "programmes:delegation-members", args=[delegation.pk]
    )
    assert (delegation.organisation, delegation.head, delegation.created_by) == (
        organisation,
        head,
        manager,
    )
    detail = client.get(reverse("programmes:delegation-detail", args=[delegation.pk]))
    page = detail.content.decode()
    assert "Фонд «Активный бизнес»" in page
    assert "Кузнецов Олег" in page
    assert "Поезд прибывает 6 июля в 7:40" in page


def test_partner_is_offered_only_their_regions_and_registers_one(
    client, partner_tatarstan, tour
):
    sign_in(client, partner_tatarstan)
    url = reverse("programmes:delegation-create", args=[tour.event.pk])
    form = client.get(url)
    assert form.status_code == 200
    regions_offered = list(form.context["form"].fields["region"].queryset)
    assert regions_offered == [region("16")]
    response = client.post(
        url, {"region": region("16").pk, "logistics": "Второй состав"}
    )
    assert response.status_code == 302
    assert Delegation.objects.filter(region__code="16").count() == 2


def test_partner_registers_their_regions_first_delegation_to_an_open_tour(client, tour):
    """Samara sends nobody yet: the open study tour in Moscow is on the
    partner's calendar, and its page lets them register Samara's delegation,
    while the other regions' delegations stay hidden."""
    sign_in(client, partner_of("63"))
    event_page = client.get(reverse("programmes:event-detail", args=[tour.event.pk]))
    calendar = client.get(reverse("programmes:calendar"), {"view": "list"})
    listed = client.get(reverse("programmes:delegation-list", args=[tour.event.pk]))
    url = reverse("programmes:delegation-create", args=[tour.event.pk])

    response = client.post(url, {"region": region("63").pk, "logistics": "Поезд"})

    assert "Study tour of regional delegations" in calendar.content.decode()
    assert event_page.status_code == 200
    assert f'href="{url}" data-testid="delegation-create"' in listed.content.decode()
    assert "Karelia" not in listed.content.decode()
    assert "0 delegations" in listed.content.decode()
    assert response.status_code == 302
    assert Delegation.objects.filter(event=tour.event, region__code="63").count() == 1


def test_partner_cannot_register_another_regions_delegation(
    client, partner_tatarstan, tour
):
    sign_in(client, partner_tatarstan)
    response = client.post(
        reverse("programmes:delegation-create", args=[tour.event.pk]),
        {"region": region("10").pk},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert Delegation.objects.filter(region__code="10").count() == 1


def test_partner_cannot_name_another_regions_organisation(
    client, partner_tatarstan, tour
):
    elsewhere = OrganisationFactory(region=region("10"))
    sign_in(client, partner_tatarstan)
    response = client.post(
        reverse("programmes:delegation-create", args=[tour.event.pk]),
        {"region": region("16").pk, "organisation": elsewhere.pk},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["organisation"] == [
        "No such organisation in your regions."
    ]
    assert "No such organisation in your regions." in response.content.decode()


def test_no_delegation_for_a_cancelled_event(client, manager, tour):
    Event.objects.filter(pk=tour.event.pk).update(status=Event.Status.CANCELLED)
    sign_in(client, manager)
    response = client.post(
        reverse("programmes:delegation-create", args=[tour.event.pk]),
        {"region": region("42").pk},
    )
    assert response.status_code == 400
    assert "This event is cancelled." in response.content.decode()
    assert not Delegation.objects.filter(region__code="42").exists()


def test_partner_edits_their_delegation_but_not_another_regions(
    client, partner_karelia, tour
):
    sign_in(client, partner_karelia)
    url = reverse("programmes:delegation-edit", args=[tour.karelia.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert form.context["form"].initial["region"] == region("10").pk
    response = client.post(
        url, {"region": region("10").pk, "logistics": "Гостиница «Космос», 12 номеров"}
    )
    assert response.status_code == 302
    tour.karelia.refresh_from_db()
    assert tour.karelia.logistics == "Гостиница «Космос», 12 номеров"
    other = client.post(
        reverse("programmes:delegation-edit", args=[tour.tatarstan.pk]),
        {"region": region("16").pk, "logistics": "Захвачено"},
    )
    assert other.status_code == 404
    tour.tatarstan.refresh_from_db()
    assert tour.tatarstan.logistics == ""


def test_picker_offers_only_people_the_user_may_see(client, partner_karelia, tour):
    PersonFactory(surname="Лампинен", first_name="Юха", region=region("16"))
    sign_in(client, partner_karelia)
    response = client.get(
        reverse("programmes:people-picker"),
        {"kind": "person", "field": "members", "multiple": "1", "picker_q": "Лампинен"},
    )
    page = response.content.decode()
    assert "Лампинен Айно" in page
    assert "Юха" not in page
    nothing = client.get(
        reverse("programmes:people-picker"),
        {"kind": "person", "field": "members", "picker_q": "Гарипова"},
    )
    assert "Nothing found for “Гарипова” in your regions." in nothing.content.decode()


def test_picker_of_members_offers_a_role_for_each_person(client, manager, tour):
    sign_in(client, manager)
    response = client.get(
        reverse("programmes:people-picker"),
        {
            "kind": "person",
            "field": "members",
            "multiple": "1",
            "roles": "1",
            "picker_q": "Гарипова",
        },
    )
    page = response.content.decode()
    assert f'name="role-{tour.tatar.person.pk}"' in page
    assert "Space manager" in page


def test_picker_refuses_an_unknown_kind(client, manager):
    sign_in(client, manager)
    response = client.get(
        reverse("programmes:people-picker"), {"kind": "user", "field": "x"}
    )
    assert response.status_code == 404
