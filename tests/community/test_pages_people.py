"""The people pages: the list with its filters, search, sorting and paging, the
person's page with affiliations and consents and their forms, and the forms that
create, change and delete people."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from creative_regions.community import services
from creative_regions.community.models import (
    Affiliation,
    CommunityMembership,
    Consent,
    Person,
    PersonRole,
)
from tests.community.factories import (
    CommunityFactory,
    ConsentFactory,
    InteractionFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)
from tests.community.pages import affiliate, names, sign_in

pytestmark = pytest.mark.django_db

LIST = reverse("community:person-list")


def role(code: str, name_en: str) -> PersonRole:
    found, _created = PersonRole.objects.get_or_create(
        code=code, defaults={"name_ru": name_en, "name_en": name_en}
    )
    return found


@pytest.fixture
def people(regions):
    """Four people who differ in each filtered field."""
    studio = OrganisationFactory(full_name="Студия «Берёста»")
    ministry = OrganisationFactory(full_name="Министерство культуры")
    semina = PersonFactory(
        surname="Сёмина",
        first_name="Алёна",
        patronymic="",
        email="semina@example.org",
    )
    semina.roles.add(role("entrepreneur", "Entrepreneur"))
    affiliate(semina, studio, role="Директор")
    ConsentFactory(person=semina, purpose=Consent.Purpose.MAILING)
    petrov = PersonFactory(surname="Петров", first_name="Олег", patronymic="")
    petrov.roles.add(role("official", "Official"))
    affiliate(petrov, ministry, role="Министр")
    # Worked at the studio before: not among its people now.
    affiliate(
        petrov,
        studio,
        started_on=date(2018, 1, 1),
        ended_on=date(2020, 1, 1),
    )
    ConsentFactory(
        person=petrov,
        purpose=Consent.Purpose.MAILING,
        withdrawn_on=date(2025, 2, 1),
    )
    karelian = PersonFactory(
        surname="Андреев", first_name="Илья", patronymic="", region=regions["10"]
    )
    ConsentFactory(person=karelian, purpose=Consent.Purpose.EVENTS)
    mentor = PersonFactory(surname="Яковлева", first_name="Вера", patronymic="")
    mentor.roles.add(role("mentor", "Mentor"))
    club = CommunityFactory(name="Клуб наставников")
    MembershipFactory(community=club, person=mentor)
    MembershipFactory(
        community=club, person=petrov, status=CommunityMembership.Status.LEFT
    )
    return {
        "semina": semina,
        "petrov": petrov,
        "karelian": karelian,
        "mentor": mentor,
        "studio": studio,
        "club": club,
    }


def test_the_list_shows_people_with_their_employers_roles_and_consents(
    client, manager, people
):
    sign_in(client, manager)

    response = client.get(LIST)

    content = response.content.decode()
    assert names(response) == [
        "Андреев Илья",
        "Петров Олег",
        "Сёмина Алёна",
        "Яковлева Вера",
    ]
    assert "4 people" in content
    assert "Студия «Берёста»" in content and "Директор" in content
    assert "Entrepreneur" in content
    assert "News and mailings" in content


@pytest.mark.parametrize(
    "query,expected",
    [
        ({"region": "10"}, ["Андреев Илья"]),
        ({"role": "mentor"}, ["Яковлева Вера"]),
        ({"consent": "mailing"}, ["Сёмина Алёна"]),
        ({"consent": "events"}, ["Андреев Илья"]),
        ({"q": "семина алена"}, ["Сёмина Алёна"]),
        ({"q": "SEMINA@example"}, ["Сёмина Алёна"]),
        ({"region": "16", "role": "official"}, ["Петров Олег"]),
    ],
)
def test_each_filter_narrows_the_list(client, manager, people, query, expected):
    sign_in(client, manager)

    response = client.get(LIST, query)

    assert names(response) == expected


def test_the_organisation_filter_keeps_those_who_work_there_now(
    client, manager, people
):
    sign_in(client, manager)

    response = client.get(LIST, {"organisation": people["studio"].pk})

    assert names(response) == ["Сёмина Алёна"]
    content = response.content.decode()
    assert (
        f'<option value="{people["studio"].pk}" selected>Студия «Берёста»</option>'
        in content
    )


def test_the_community_filter_keeps_its_active_members(client, manager, people):
    sign_in(client, manager)

    response = client.get(LIST, {"community": people["club"].pk})

    assert names(response) == ["Яковлева Вера"]


@pytest.mark.parametrize(
    "sort,expected",
    [
        ("-surname", ["Яковлева Вера", "Сёмина Алёна", "Петров Олег", "Андреев Илья"]),
        ("region", ["Андреев Илья", "Петров Олег", "Сёмина Алёна", "Яковлева Вера"]),
    ],
)
def test_sorting_by_a_column(client, manager, people, sort, expected):
    sign_in(client, manager)

    response = client.get(LIST, {"sort": sort})

    assert names(response) == expected


def test_the_newest_come_first_when_sorted_by_date_added(client, manager, people):
    Person.objects.filter(pk=people["mentor"].pk).update(
        created_at=timezone.now() - timedelta(days=30)
    )
    newest = PersonFactory(surname="Новикова", first_name="Ольга", patronymic="")
    sign_in(client, manager)

    response = client.get(LIST, {"sort": "-created"})

    assert names(response)[0] == str(newest)
    assert names(response)[-1] == "Яковлева Вера"
    assert response.context["columns"]["created"].direction == "descending"


def test_an_htmx_request_gets_only_the_results(client, manager, people):
    sign_in(client, manager)

    response = client.get(LIST, {"region": "16"}, headers={"HX-Request": "true"})

    content = response.content.decode()
    assert "<html" not in content and "<form" not in content
    assert "3 people" in content
    assert "hx-swap-oob" in content


def test_the_organisation_picker_offers_matching_organisations(client, manager, people):
    sign_in(client, manager)

    response = client.get(
        reverse("community:organisation-choices"),
        {"organisation_search": "береста", "organisation": "", "empty": "any"},
    )

    content = response.content.decode()
    assert "Any organisation" in content
    assert f'<option value="{people["studio"].pk}">Студия «Берёста»</option>' in content
    assert "Министерство культуры" not in content


def test_the_picker_offers_a_partner_their_regions_organisations_only(
    client, partner_karelia, people, regions
):
    OrganisationFactory(full_name="Карельская студия", region=regions["10"])
    sign_in(client, partner_karelia)

    content = client.get(
        reverse("community:organisation-choices"), {"organisation_search": "студия"}
    ).content.decode()

    assert "Карельская студия" in content
    assert "Берёста" not in content


def test_the_list_costs_the_same_queries_for_thirty_rows(
    client, manager, regions, django_assert_max_num_queries
):
    organisation = OrganisationFactory()
    mentor, official = role("mentor", "Mentor"), role("official", "Official")
    for number in range(30):
        person = PersonFactory(surname=f"Иванов{number:02d}")
        person.roles.add(mentor, official)
        affiliate(person, organisation, role="Дизайнер")
        ConsentFactory(person=person)
    CommunityFactory()
    sign_in(client, manager)

    # Session and user; the count, the rows with their regions, roles, current
    # affiliations with their organisations, and consents (5); the filter bar's
    # regions, roles, communities and the picker's organisations (4).
    with django_assert_max_num_queries(11):
        page = client.get(LIST)
    with django_assert_max_num_queries(7):
        partial = client.get(LIST, headers={"HX-Request": "true"})

    assert len(page.context["page"]) == 30
    assert len(partial.context["page"]) == 30


def test_a_partners_list_and_search_hold_only_their_regions(
    client, partner_karelia, people
):
    sign_in(client, partner_karelia)

    everything = client.get(LIST)
    searched = client.get(LIST, {"q": "семина"})

    assert names(everything) == ["Андреев Илья"]
    assert names(searched) == []


# The person's page ------------------------------------------------------------------


def test_the_page_shows_contacts_roles_expertise_and_employers_past_and_present(
    client, manager, regions, people
):
    person = services.person_create(
        user=manager,
        surname="Лебедева",
        first_name="Анна",
        patronymic="Сергеевна",
        position="Арт-директор",
        phone="8 912 345-67-89",
        email="anna@example.org",
        telegram="anna_lebedeva",
        region=regions["16"],
        expertise="Айдентика музеев",
        roles=["mentor"],
    )
    old = OrganisationFactory(full_name="Старая студия")
    services.affiliation_add(
        user=manager,
        person=person,
        organisation=old,
        role="Дизайнер",
        started_on=date(2019, 5, 1),
    )
    services.affiliation_add(
        user=manager,
        person=person,
        organisation=people["studio"],
        role="Арт-директор",
        started_on=date(2024, 2, 1),
        end_current=True,
    )
    sign_in(client, manager)

    response = client.get(reverse("community:person-detail", args=[person.pk]))

    content = response.content.decode()
    for text in (
        "Лебедева Анна Сергеевна",
        "+7 912 345-67-89",
        'href="tel:+79123456789"',
        'href="mailto:anna@example.org"',
        'href="https://t.me/anna_lebedeva"',
        "Айдентика музеев",
        "Mentor",
        "Edit",
    ):
        assert text in content, text
    affiliations = response.context["affiliations"]
    assert [
        (item.organisation.full_name, item.started_on, item.ended_on, item.is_current)
        for item in affiliations
    ] == [
        ("Студия «Берёста»", date(2024, 2, 1), None, True),
        ("Старая студия", date(2019, 5, 1), date(2024, 2, 1), False),
    ]
    assert "1 February 2024" in content


def test_the_page_shows_consents_with_purpose_date_channel_and_withdrawal(
    client, manager, people
):
    sign_in(client, manager)

    response = client.get(
        reverse("community:person-detail", args=[people["petrov"].pk])
    )

    content = response.content.decode()
    consents = content[content.index('data-testid="consents"') :]
    assert "News and mailings" in consents
    assert "10 January 2025" in consents
    assert "Signed paper form" in consents
    assert "1 February 2025" in consents
    assert "withdrawn" in consents
    assert "Клуб наставников" in content


def test_the_page_shows_the_timeline_and_history(client, manager, regions):
    person = services.person_create(
        user=manager, surname="Лебедева", first_name="Анна", region=regions["16"]
    )
    services.person_update(user=manager, person=person, position="Куратор")
    meeting = InteractionFactory(topic="Встреча с министерством")
    meeting.people.add(person)
    sign_in(client, manager)

    response = client.get(reverse("community:person-detail", args=[person.pk]))

    content = response.content.decode()
    assert "Встреча с министерством" in content
    history = response.context["history"]
    assert [entry.kind for entry in history] == ["~", "+"]
    assert [(change.field, change.new) for change in history[0].changes] == [
        ("position", "Куратор")
    ]


def test_a_consent_is_recorded_from_the_page(client, manager, people):
    person = people["mentor"]
    sign_in(client, manager)

    response = client.post(
        reverse("community:consent-record", args=[person.pk]),
        {
            "consent-purpose": "events",
            "consent-given_on": "2025-03-01",
            "consent-channel": "web_form",
            "consent-evidence": "Анкета на сайте",
        },
    )

    assert response.status_code == 302
    assert response["Location"].endswith("#consents")
    consent = Consent.objects.get(person=person)
    assert (consent.purpose, consent.given_on, consent.channel) == (
        "events",
        date(2025, 3, 1),
        "web_form",
    )
    assert consent.recorded_by == manager


def test_a_consent_from_the_future_is_refused_next_to_its_date(client, manager, people):
    person = people["mentor"]
    tomorrow = timezone.localdate() + timedelta(days=1)
    sign_in(client, manager)

    response = client.post(
        reverse("community:consent-record", args=[person.pk]),
        {
            "consent-purpose": "events",
            "consent-given_on": tomorrow.isoformat(),
            "consent-channel": "paper",
        },
    )

    assert response.status_code == 400
    form = response.context["consent_form"]
    assert form.errors == {"given_on": ["This date is in the future."]}
    content = response.content.decode()
    assert 'id="id_consent-given_on_error"' in content
    assert '<details class="border rounded bg-white p-3" open>' in content
    assert not Consent.objects.filter(person=person).exists()


def test_a_consent_dated_before_the_withdrawal_is_refused_next_to_its_date(
    client, manager, people
):
    # Petrov withdrew his consent to mailings on 1 February 2025.
    person = people["petrov"]
    sign_in(client, manager)

    response = client.post(
        reverse("community:consent-record", args=[person.pk]),
        {
            "consent-purpose": "mailing",
            "consent-given_on": "2025-01-20",
            "consent-channel": "paper",
        },
    )

    message = (
        "The consent for this purpose was withdrawn on 1 February 2025: a new "
        "consent must be dated on or after that day."
    )
    assert response.status_code == 400
    assert response.context["consent_form"].errors == {"given_on": [message]}
    assert 'id="id_consent-given_on_error"' in response.content.decode()
    assert message in response.content.decode()
    assert Consent.objects.filter(person=person).count() == 1


def test_a_second_open_consent_for_a_purpose_is_refused(client, manager, people):
    person = people["semina"]
    sign_in(client, manager)

    response = client.post(
        reverse("community:consent-record", args=[person.pk]),
        {
            "consent-purpose": "mailing",
            "consent-given_on": "2025-03-01",
            "consent-channel": "paper",
        },
    )

    assert response.status_code == 400
    assert (
        "This person already has a consent for this purpose that has not been "
        "withdrawn." in response.content.decode()
    )
    assert Consent.objects.filter(person=person).count() == 1


def test_a_consent_is_withdrawn_from_the_page(client, manager, people):
    consent = Consent.objects.get(person=people["semina"])
    sign_in(client, manager)

    response = client.post(
        reverse("community:consent-withdraw", args=[people["semina"].pk, consent.pk]),
        {"withdraw-withdrawn_on": "2025-03-01"},
    )

    consent.refresh_from_db()
    assert response.status_code == 302
    assert consent.withdrawn_on == date(2025, 3, 1)


def test_a_withdrawal_before_the_consent_is_explained(client, manager, people):
    consent = Consent.objects.get(person=people["semina"])
    sign_in(client, manager)

    response = client.post(
        reverse("community:consent-withdraw", args=[people["semina"].pk, consent.pk]),
        {"withdraw-withdrawn_on": "2024-01-01"},
    )

    consent.refresh_from_db()
    assert response.status_code == 400
    assert response.context["failed_consent"] == consent.pk
    assert (
        "A consent cannot be withdrawn before the day it was given."
        in response.content.decode()
    )
    assert consent.withdrawn_on is None


def test_another_persons_consent_is_not_found_through_this_person(
    client, manager, people
):
    consent = Consent.objects.get(person=people["semina"])
    sign_in(client, manager)

    response = client.post(
        reverse("community:consent-withdraw", args=[people["mentor"].pk, consent.pk]),
        {"withdraw-withdrawn_on": "2025-03-01"},
    )

    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_a_change_of_employer_ends_the_current_affiliation(client, manager, people):
    person = people["semina"]
    new_employer = OrganisationFactory(full_name="Новая студия")
    sign_in(client, manager)

    response = client.post(
        reverse("community:affiliation-add", args=[person.pk]),
        {
            "affiliation-organisation": new_employer.pk,
            "affiliation-role": "Арт-директор",
            "affiliation-started_on": "2025-04-01",
            "affiliation-end_current": "on",
        },
    )

    assert response.status_code == 302
    assert [
        (item.organisation.full_name, item.ended_on)
        for item in Affiliation.objects.filter(person=person).order_by("started_on")
    ] == [
        ("Студия «Берёста»", date(2025, 4, 1)),
        ("Новая студия", None),
    ]


def test_an_affiliation_needs_an_organisation_the_user_may_see(
    client, partner_tatarstan, people, regions
):
    karelian = OrganisationFactory(full_name="Карельская студия", region=regions["10"])
    sign_in(client, partner_tatarstan)

    response = client.post(
        reverse("community:affiliation-add", args=[people["mentor"].pk]),
        {"affiliation-organisation": karelian.pk},
    )

    assert response.status_code == 400
    assert response.context["affiliation_form"].errors == {
        "organisation": ["Choose an organisation from the list."]
    }
    assert not Affiliation.objects.filter(person=people["mentor"]).exists()


def test_an_affiliation_is_ended_from_the_page(client, manager, people):
    affiliation = Affiliation.objects.get(person=people["semina"])
    sign_in(client, manager)

    response = client.post(
        reverse(
            "community:affiliation-end", args=[people["semina"].pk, affiliation.pk]
        ),
        {"end-ended_on": "2025-05-01"},
    )

    affiliation.refresh_from_db()
    assert response.status_code == 302
    assert affiliation.ended_on == date(2025, 5, 1)


# Forms ------------------------------------------------------------------------------


def person_data(regions, **changes) -> dict:
    data = {
        "surname": "Лебедева",
        "first_name": "Анна",
        "patronymic": "",
        "position": "",
        "region": regions["16"].pk,
        "phone": "",
        "email": "",
        "telegram": "",
        "expertise": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "changes,field,message",
    [
        (
            {"phone": "12345"},
            "phone",
            "This is not a phone number we can dial: enter it with the area code, "
            "e.g. +7 912 345-67-89.",
        ),
        ({"email": "anna@"}, "email", "Enter a valid email address."),
        ({"surname": ""}, "surname", "This field is required."),
    ],
)
def test_each_bad_field_of_a_person_gets_its_own_message(
    client, manager, regions, changes, field, message
):
    sign_in(client, manager)

    response = client.post(
        reverse("community:person-create"), person_data(regions, **changes)
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {field: [message]}
    assert message in response.content.decode()
    assert not Person.objects.exists()


def test_a_good_form_records_the_person_with_roles(client, manager, regions):
    role("mentor", "Mentor")
    sign_in(client, manager)

    response = client.post(
        reverse("community:person-create"),
        person_data(regions, phone="8 (912) 345-67-89", roles=["mentor"]),
    )

    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("community:person-detail", args=[person.pk])
    assert person.phone == "+79123456789"
    assert [item.code for item in person.roles.all()] == ["mentor"]


def test_the_edit_form_saves_through_the_service(client, manager, people, regions):
    person = people["mentor"]
    url = reverse("community:person-edit", args=[person.pk])
    sign_in(client, manager)

    initial = client.get(url).context["form"].initial
    response = client.post(
        url,
        person_data(
            regions, surname="Яковлева", first_name="Вера", position="Наставник"
        ),
    )

    person.refresh_from_db()
    assert initial["roles"] == ["mentor"]
    assert response.status_code == 302
    assert person.position == "Наставник"
    assert list(person.roles.all()) == []


def test_deleting_a_person_says_what_goes_with_them(client, manager, people):
    person = people["semina"]
    url = reverse("community:person-delete", args=[person.pk])
    sign_in(client, manager)

    question = client.get(url).content.decode()
    response = client.post(url)

    assert "1 affiliation" in question and "1 consent record" in question
    assert response.status_code == 302 and response["Location"] == LIST
    assert not Person.objects.filter(pk=person.pk).exists()


def test_ids_in_links_and_pickers_are_written_without_thousands_separators(
    client, manager, regions
):
    organisation = OrganisationFactory(pk=12345, full_name="Студия «Берёста»")
    person = PersonFactory(pk=23456)
    affiliate(person, organisation)
    ConsentFactory(pk=34567, person=person)
    sign_in(client, manager)
    client.cookies["django_language"] = "ru"

    people = client.get(LIST, {"organisation": "12345"}).content.decode()
    options = client.get(reverse("community:organisation-choices")).content.decode()
    organisation_page = client.get(
        reverse("community:organisation-detail", args=[organisation.pk])
    ).content.decode()
    person_page = client.get(
        reverse("community:person-detail", args=[person.pk])
    ).content.decode()

    assert '<option value="12345" selected>Студия «Берёста»</option>' in people
    assert '<option value="12345">Студия «Берёста»</option>' in options
    assert f"{LIST}?organisation=12345" in organisation_page
    assert 'id="id_withdraw-withdrawn_on-34567"' in person_page
    assert "12\u202f345" not in people + options + organisation_page
