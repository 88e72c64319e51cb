"""Registering a delegation's members at once: people of the community with a
role each, new people recorded in the community on the way, and what became of
each (registered, waitlisted, already registered)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from creative_regions.community.models import Person, PersonRole
from creative_regions.programmes.models import Event, Registration
from tests.community.factories import PersonFactory, region
from tests.community.pages import sign_in
from tests.programmes.people import study_tour

pytestmark = pytest.mark.django_db


def management(prefix: str = "new", total: int = 1) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


@pytest.fixture
def tour(regions):
    # Three of four places are taken by the Karelian, the Tatar and the Muscovite.
    return study_tour(capacity=4)


def test_members_from_the_community_and_new_people_are_registered_with_fates(
    client, partner_karelia, tour
):
    designer = PersonRole.objects.get(code="designer")
    official = PersonRole.objects.get(code="official")
    first = PersonFactory(surname="Виролайнен", first_name="Анна", region=region("10"))
    second = PersonFactory(surname="Ранта", first_name="Олли", region=region("10"))
    sign_in(client, partner_karelia)
    response = client.post(
        reverse("programmes:delegation-members", args=[tour.karelia.pk]),
        {
            "members": [first.pk, second.pk, tour.karelian.person.pk],
            f"role-{first.pk}": designer.pk,
            f"role-{second.pk}": official.pk,
            **management(total=1),
            "new-0-surname": "Мäкинен",
            "new-0-first_name": "Ээва",
            "new-0-email": "eeva@example.org",
            "new-0-phone": "+7 921 111-22-33",
            "new-0-role": designer.pk,
        },
    )
    assert response.status_code == 200
    results = {result.person.surname: result for result in response.context["results"]}
    # One place left: the first picked takes it, the others queue.
    assert results["Виролайнен"].registration.status == "confirmed"
    assert results["Виролайнен"].message == "Registered, the place is confirmed."
    assert results["Ранта"].registration.status == "waitlisted"
    assert results["Ранта"].message == "On the waitlist, number 1 in the queue."
    assert results["Лампинен"].registration is None
    assert results["Лампинен"].message == (
        "This person is already registered for this event."
    )
    assert results["Мäкинен"].is_new
    assert results["Мäкинен"].message == "On the waitlist, number 2 in the queue."
    page = response.content.decode()
    assert "3 members registered" in page
    assert "Confirmed places: 1 · on the waitlist: 2 · not registered: 1" in page
    assert "new in the community" in page
    eeva = Person.objects.get(surname="Мäкинен")
    assert (eeva.region, eeva.phone, list(eeva.roles.all())) == (
        region("10"),
        "+79211112233",
        [designer],
    )
    registration = Registration.objects.get(person=first)
    assert (registration.delegation, registration.role, registration.source) == (
        tour.karelia,
        designer,
        Registration.Source.DELEGATION,
    )


def test_a_new_person_whose_email_the_community_knows_is_not_duplicated(
    client, manager, tour
):
    known = PersonFactory(
        surname="Лампинен",
        first_name="Вейкко",
        region=region("10"),
        email="veikko@example.org",
    )
    sign_in(client, manager)
    response = client.post(
        reverse("programmes:delegation-members", args=[tour.karelia.pk]),
        {
            **management(total=1),
            "new-0-surname": "Лампинен",
            "new-0-first_name": "Вейкко",
            "new-0-email": "Veikko@Example.org",
        },
    )
    assert response.status_code == 200
    [result] = response.context["results"]
    assert result.person == known
    assert result.is_matched
    assert "found in the community by e-mail" in response.content.decode()
    assert Person.objects.filter(surname="Лампинен", first_name="Вейкко").count() == 1


def test_a_bad_new_person_stops_the_form_and_records_nobody(client, manager, tour):
    sign_in(client, manager)
    response = client.post(
        reverse("programmes:delegation-members", args=[tour.karelia.pk]),
        {
            **management(total=2),
            "new-0-surname": "Хейккинен",
            "new-0-first_name": "Мика",
            "new-1-surname": "Нieminen",
            "new-1-first_name": "Тапио",
            "new-1-phone": "12",
        },
    )
    assert response.status_code == 400
    formset = response.context["formset"]
    assert formset.forms[0].errors == {}
    assert "phone" in formset.forms[1].errors
    assert "Nothing was saved" in response.content.decode()
    assert not Person.objects.filter(surname="Хейккинен").exists()
    assert tour.karelia.registrations.count() == 1


def test_an_empty_form_says_what_to_do(client, manager, tour):
    sign_in(client, manager)
    response = client.post(
        reverse("programmes:delegation-members", args=[tour.karelia.pk]),
        management(total=1),
    )
    assert response.status_code == 400
    assert "Pick people from the community or add new people first." in (
        response.content.decode()
    )


def test_a_new_person_needs_a_surname_and_a_first_name(client, manager, tour):
    sign_in(client, manager)
    response = client.post(
        reverse("programmes:delegation-members", args=[tour.karelia.pk]),
        {**management(total=1), "new-0-email": "someone@example.org"},
    )
    assert response.status_code == 400
    row = response.context["formset"].forms[0]
    assert row.errors["surname"] == ["This field is required."]
    assert row.errors["first_name"] == ["This field is required."]
    page = response.content.decode()
    assert 'data-testid="error-new-0-surname"' in page


def test_partner_cannot_add_members_to_another_regions_delegation(
    client, partner_karelia, tour
):
    stranger = PersonFactory(region=region("10"))
    sign_in(client, partner_karelia)
    response = client.post(
        reverse("programmes:delegation-members", args=[tour.tatarstan.pk]),
        {"members": [stranger.pk], **management(total=0)},
    )
    assert response.status_code == 404
    assert not Registration.objects.filter(person=stranger).exists()


def test_partner_cannot_register_another_regions_person(client, partner_karelia, tour):
    sign_in(client, partner_karelia)
    response = client.post(
        reverse("programmes:delegation-members", args=[tour.karelia.pk]),
        {"members": [tour.muscovite.person.pk], **management(total=0)},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["members"] == [
        "No such person in your regions."
    ]
    assert tour.karelia.registrations.count() == 1


def test_an_unknown_role_is_refused(client, manager, tour):
    person = PersonFactory(region=region("10"))
    sign_in(client, manager)
    response = client.post(
        reverse("programmes:delegation-members", args=[tour.karelia.pk]),
        {"members": [person.pk], f"role-{person.pk}": "999999", **management(total=0)},
    )
    assert response.status_code == 400
    assert "Choose a role from the list." in response.content.decode()
    assert not Registration.objects.filter(person=person).exists()


def test_the_delegation_page_lists_members_and_lets_its_partner_cancel(
    client, partner_karelia, tour
):
    sign_in(client, partner_karelia)
    detail = client.get(reverse("programmes:delegation-detail", args=[tour.karelia.pk]))
    page = detail.content.decode()
    assert "Лампинен Айно" in page
    assert "Official" in page
    cancel = reverse("programmes:registration-cancel", args=[tour.karelian.pk])
    assert cancel in page
    response = client.post(cancel)
    assert response.status_code == 302
    tour.karelian.refresh_from_db()
    assert tour.karelian.status == Registration.Status.CANCELLED


def test_no_members_join_an_event_that_is_over(client, manager, tour):
    tour.event.status = Event.Status.HELD
    tour.event.save()
    sign_in(client, manager)
    url = reverse("programmes:delegation-members", args=[tour.karelia.pk])
    page = client.get(url).content.decode()
    assert "The event is over or cancelled: nobody can join." in page
    assert 'data-testid="members-form"' not in page
    response = client.post(
        url,
        {
            **management(total=1),
            "new-0-surname": "Хейккинен",
            "new-0-first_name": "Мика",
        },
    )
    assert response.status_code == 400
    assert "The event is over or cancelled: nobody can join." in (
        response.content.decode()
    )
    assert not Person.objects.filter(surname="Хейккинен").exists()
