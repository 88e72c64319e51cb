"""The community's rules, through the services every door uses."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from creative_regions.community import services
from creative_regions.community.models import (
    Affiliation,
    CommunityMembership,
    Consent,
    FollowUp,
    Organisation,
    Person,
)
from creative_regions.community.selectors import (
    follow_up_list_for_owner,
    record_history,
)
from tests.community.factories import (
    CommunityFactory,
    FollowUpFactory,
    InteractionFactory,
    OrganisationFactory,
    PersonFactory,
    company_inn,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("english", "media_in_tmp"),
]

VALID_INN = "7707083893"  # Sberbank: a real, well-formed INN
VALID_OGRN = "1027700132195"


def errors_of(raised: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return raised.value.message_dict


def create_organisation(user, regions, **overrides):
    values = {
        "user": user,
        "full_name": "ООО «Дизайн-бюро»",
        "kind": Organisation.Kind.COMPANY,
        "region": regions["16"],
    }
    values.update(overrides)
    return services.organisation_create(**values)


# Identifiers and contacts -------------------------------------------------------------


def test_an_inn_with_a_wrong_check_digit_is_refused_naming_the_field(manager, regions):
    with pytest.raises(ValidationError) as raised:
        create_organisation(manager, regions, inn="7707083894")

    assert errors_of(raised) == {"inn": ["INN failed its checksum: check the digits."]}
    assert Organisation.objects.count() == 0


def test_an_inn_of_the_wrong_length_says_how_long_it_must_be(manager, regions):
    with pytest.raises(ValidationError) as raised:
        create_organisation(manager, regions, inn="12345")

    assert errors_of(raised)["inn"] == [
        "INN must be 10 digits for an organisation or 12 digits for a sole trader "
        "or a person."
    ]


def test_a_bad_ogrn_is_refused_with_its_own_message(manager, regions):
    with pytest.raises(ValidationError) as raised:
        create_organisation(manager, regions, ogrn="1027700132196")

    assert errors_of(raised) == {
        "ogrn": [
            "OGRN failed its checksum: check the digits (the first digit is 1 or 5 "
            "for an organisation, 3 for a sole trader)."
        ]
    }


def test_an_ogrnip_next_to_a_company_inn_is_flagged(manager, regions):
    with pytest.raises(ValidationError) as raised:
        create_organisation(manager, regions, inn=VALID_INN, ogrn="304500116000157")

    assert errors_of(raised) == {
        "ogrn": [
            "An organisation with a 10-digit INN has a 13-digit OGRN, not an OGRNIP."
        ]
    }


def test_identifiers_are_stored_without_spaces_and_links_normalised(manager, regions):
    organisation = create_organisation(
        manager,
        regions,
        inn=" 7707 083 893 ",
        ogrn="1027700132195",
        telegram="https://t.me/design_bureau",
        vk="vk.com/design_bureau",
        website="design-bureau.ru",
    )

    organisation.refresh_from_db()
    assert organisation.inn == VALID_INN
    assert organisation.telegram == "@design_bureau"
    assert organisation.vk == "https://vk.com/design_bureau"
    assert organisation.website == "https://design-bureau.ru"


def test_a_duplicate_inn_is_refused_and_an_empty_one_is_not(manager, regions):
    create_organisation(manager, regions, inn=VALID_INN)
    create_organisation(manager, regions, inn="")
    create_organisation(manager, regions, inn=None)

    with pytest.raises(ValidationError) as raised:
        create_organisation(manager, regions, inn="7707-083-893")

    assert errors_of(raised) == {"inn": ["Another organisation already has this INN."]}
    assert Organisation.objects.filter(inn__isnull=True).count() == 2


def test_several_bad_fields_are_reported_together(manager, regions):
    with pytest.raises(ValidationError) as raised:
        create_organisation(
            manager,
            regions,
            full_name="",
            inn="7707083894",
            telegram="@x",
            sectors=["Кулинария"],
        )

    assert set(errors_of(raised)) == {"full_name", "inn", "telegram", "sectors"}
    assert errors_of(raised)["sectors"] == [
        "Unknown creative sector: “Кулинария”. Choose sectors of the classifications."
    ]


def test_a_phone_is_stored_in_e164_and_a_bad_one_is_explained(manager, regions):
    person = services.person_create(
        user=manager,
        surname="Петрова",
        first_name="Анна",
        region=regions["16"],
        phone="8 (912) 345-67-89",
        email="Anna@Example.ORG",
        roles=["designer", "mentor"],
    )

    assert person.phone == "+79123456789"
    assert person.email == "Anna@example.org"
    assert sorted(person.roles.values_list("code", flat=True)) == [
        "designer",
        "mentor",
    ]
    with pytest.raises(ValidationError) as raised:
        services.person_update(user=manager, person=person, phone="12345")
    assert errors_of(raised) == {
        "phone": [
            "This is not a phone number we can dial: enter it with the area code, "
            "e.g. +7 912 345-67-89."
        ]
    }
    person.refresh_from_db()
    assert person.phone == "+79123456789"


def test_a_bad_email_and_an_unknown_role_are_refused(manager, regions):
    with pytest.raises(ValidationError) as raised:
        services.person_create(
            user=manager,
            surname="Петрова",
            first_name="Анна",
            region=regions["16"],
            email="anna@",
            roles=["astronaut"],
        )

    assert errors_of(raised) == {
        "email": ["Enter a valid email address."],
        "roles": ["Unknown role: “astronaut”."],
    }


# Roles and regions -------------------------------------------------------------------


def test_an_expert_may_not_write(expert, regions):
    with pytest.raises(PermissionDenied):
        create_organisation(expert, regions)

    assert Organisation.objects.count() == 0


def test_a_partner_writes_only_in_their_regions(partner_tatarstan, regions):
    create_organisation(partner_tatarstan, regions)

    with pytest.raises(ValidationError) as raised:
        create_organisation(partner_tatarstan, regions, region=regions["10"])

    assert errors_of(raised) == {
        "region": ["You can only add or change records of your own regions."]
    }
    assert Organisation.objects.count() == 1


def test_a_partner_cannot_move_a_record_out_of_their_region(partner_tatarstan, regions):
    organisation = create_organisation(partner_tatarstan, regions)

    with pytest.raises(ValidationError):
        services.organisation_update(
            user=partner_tatarstan, organisation=organisation, region=regions["10"]
        )

    organisation.refresh_from_db()
    assert organisation.region.code == "16"


# History -----------------------------------------------------------------------------


def test_an_update_is_recorded_in_the_history_with_its_author(
    manager, analyst, regions, classifications
):
    organisation = create_organisation(manager, regions, sectors=["Дизайн"])

    services.organisation_update(
        user=analyst,
        organisation=organisation,
        full_name="ООО «Дизайн-бюро Казань»",
        sectors=["Дизайн", "Мода"],
        tags=["якорная"],
    )

    history = record_history(record=organisation, user=analyst)
    assert [(entry.kind, entry.user) for entry in history] == [
        ("~", analyst),
        ("+", manager),
    ]
    changes = {change.field: (change.old, change.new) for change in history[0].changes}
    assert changes["full_name"] == ("ООО «Дизайн-бюро»", "ООО «Дизайн-бюро Казань»")
    assert changes["sectors"] == ("Design", "Design, Fashion")
    assert changes["tags"] == ("—", "якорная")


def test_saving_without_changes_adds_no_history(manager, regions):
    organisation = create_organisation(manager, regions)

    services.organisation_update(
        user=manager, organisation=organisation, full_name=organisation.full_name
    )

    assert organisation.history.count() == 1


# Affiliations ------------------------------------------------------------------------


def test_a_change_of_employer_ends_the_old_affiliation(manager, regions):
    person = PersonFactory()
    old_employer, new_employer = OrganisationFactory(), OrganisationFactory()
    services.affiliation_add(
        user=manager,
        person=person,
        organisation=old_employer,
        role="дизайнер",
        started_on=date(2020, 1, 1),
    )

    services.affiliation_add(
        user=manager,
        person=person,
        organisation=new_employer,
        role="арт-директор",
        started_on=date(2024, 9, 1),
        end_current=True,
    )

    rows = Affiliation.objects.filter(person=person).order_by("started_on")
    assert [(row.organisation, row.ended_on) for row in rows] == [
        (old_employer, date(2024, 9, 1)),
        (new_employer, None),
    ]


def test_an_affiliation_cannot_end_before_it_starts(manager, regions):
    with pytest.raises(ValidationError) as raised:
        services.affiliation_add(
            user=manager,
            person=PersonFactory(),
            organisation=OrganisationFactory(),
            started_on=date(2024, 9, 1),
            ended_on=date(2024, 1, 1),
        )

    assert errors_of(raised) == {
        "ended_on": ["The end date must not be before the start date."]
    }


# Consents ----------------------------------------------------------------------------


def test_a_consent_cannot_be_recorded_twice_for_one_purpose(manager, regions):
    person = PersonFactory()
    services.consent_record(
        user=manager,
        person=person,
        purpose=Consent.Purpose.MAILING,
        given_on=date(2025, 1, 10),
        channel=Consent.Channel.PAPER,
    )

    with pytest.raises(ValidationError) as raised:
        services.consent_record(
            user=manager,
            person=person,
            purpose=Consent.Purpose.MAILING,
            given_on=date(2025, 2, 10),
            channel=Consent.Channel.EMAIL,
        )

    assert raised.value.messages == [
        "This person already has a consent for this purpose that has not been "
        "withdrawn."
    ]


def test_a_withdrawn_consent_can_be_given_again_as_a_new_record(manager, regions):
    person = PersonFactory()
    consent = services.consent_record(
        user=manager,
        person=person,
        purpose=Consent.Purpose.MAILING,
        given_on=date(2025, 1, 10),
        channel=Consent.Channel.PAPER,
    )
    services.consent_withdraw(
        user=manager, consent=consent, withdrawn_on=date(2025, 3, 1)
    )

    again = services.consent_record(
        user=manager,
        person=person,
        purpose=Consent.Purpose.MAILING,
        given_on=date(2025, 4, 1),
        channel=Consent.Channel.WEB_FORM,
    )

    assert again.pk != consent.pk
    with pytest.raises(ValidationError) as raised:
        services.consent_update(
            user=manager, consent=consent, withdrawn_on=date(2025, 5, 1)
        )
    assert errors_of(raised)["withdrawn_on"] == [
        "A withdrawal cannot be changed; record a new consent if the person gives "
        "it again."
    ]


def test_a_consent_cannot_be_withdrawn_before_it_was_given(manager, regions):
    consent = services.consent_record(
        user=manager,
        person=PersonFactory(),
        purpose=Consent.Purpose.EVENTS,
        given_on=date(2025, 1, 10),
        channel=Consent.Channel.PAPER,
    )

    with pytest.raises(ValidationError) as raised:
        services.consent_withdraw(
            user=manager, consent=consent, withdrawn_on=date(2024, 12, 31)
        )

    assert errors_of(raised)["withdrawn_on"] == [
        "A consent cannot be withdrawn before the day it was given."
    ]


# Communities -------------------------------------------------------------------------


def test_a_member_is_a_person_or_an_organisation_never_both(manager, regions):
    community = CommunityFactory()
    person, organisation = PersonFactory(), OrganisationFactory()

    for member in ({"person": person, "organisation": organisation}, {}):
        with pytest.raises(ValidationError) as raised:
            services.membership_add(user=manager, community=community, **member)
        assert raised.value.messages == [
            "A member is either a person or an organisation: choose exactly one of "
            "them."
        ]

    services.membership_add(user=manager, community=community, person=person)
    services.membership_add(
        user=manager, community=community, organisation=organisation
    )
    assert community.memberships.count() == 2


def test_the_database_refuses_a_membership_with_two_members(regions):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        CommunityMembership.objects.create(
            community=CommunityFactory(),
            person=PersonFactory(),
            organisation=OrganisationFactory(),
            joined_on=date(2025, 1, 1),
        )


def test_a_member_who_left_stays_on_record_and_may_come_back(manager, regions):
    community = CommunityFactory()
    person = PersonFactory()
    membership = services.membership_add(
        user=manager, community=community, person=person, joined_on=date(2024, 1, 1)
    )

    services.membership_remove(
        user=manager, membership=membership, left_on=date(2024, 6, 1)
    )
    membership.refresh_from_db()
    assert (membership.status, membership.left_on) == ("left", date(2024, 6, 1))

    back = services.membership_add(
        user=manager, community=community, person=person, joined_on=date(2025, 1, 1)
    )
    assert back.pk == membership.pk
    assert (back.status, back.left_on, back.joined_on) == (
        "active",
        None,
        date(2025, 1, 1),
    )
    with pytest.raises(ValidationError) as raised:
        services.membership_add(user=manager, community=community, person=person)
    assert errors_of(raised) == {"person": ["Already a member of this community."]}


def test_a_partner_may_not_add_another_region_to_a_community(
    partner_tatarstan, regions
):
    community = services.community_create(
        user=partner_tatarstan, name="Клуб продюсеров", regions=[regions["16"]]
    )

    with pytest.raises(ValidationError) as raised:
        services.community_update(
            user=partner_tatarstan,
            community=community,
            regions=[regions["16"], regions["10"]],
        )

    assert errors_of(raised) == {
        "regions": ["You can only add or remove your own regions of a community."]
    }
    assert list(community.regions.values_list("code", flat=True)) == ["16"]


# Interactions and follow-ups ---------------------------------------------------------


def test_an_interaction_is_recorded_with_participants_and_follow_ups(
    manager, analyst, regions
):
    ministry = OrganisationFactory(kind=Organisation.Kind.REGIONAL_AUTHORITY)
    minister = PersonFactory()

    interaction = services.interaction_record(
        user=manager,
        kind="council_meeting",
        occurred_on=date(2025, 3, 5),
        region=regions["16"],
        topic="Совет по креативным индустриям",
        decisions="Подготовить реестр креативных индустрий",
        people=[minister],
        organisations=[ministry],
        staff=[analyst],
        follow_ups=[
            services.FollowUpInput(
                description="Прислать методику реестра",
                owner=analyst,
                due_on=date(2025, 3, 20),
            )
        ],
    )

    assert list(interaction.people.all()) == [minister]
    assert list(interaction.organisations.all()) == [ministry]
    assert list(interaction.staff.all()) == [analyst]
    follow_up = interaction.follow_ups.get()
    assert (follow_up.owner, follow_up.status) == (analyst, "open")
    assert interaction.history.get().history_user == manager


def test_a_bad_follow_up_is_reported_under_its_position(manager, regions):
    with pytest.raises(ValidationError) as raised:
        services.interaction_record(
            user=manager,
            kind="call",
            occurred_on=date(2025, 3, 5),
            region=regions["16"],
            topic="Звонок",
            follow_ups=[
                services.FollowUpInput(
                    description="", owner=manager, due_on=date(2025, 3, 20)
                )
            ],
        )

    assert errors_of(raised) == {
        "follow_ups.0.description": ["This field cannot be blank."]
    }


def test_a_partner_cannot_list_another_regions_person_as_participant(
    partner_tatarstan, regions
):
    stranger = PersonFactory(region=regions["10"])

    with pytest.raises(ValidationError) as raised:
        services.interaction_record(
            user=partner_tatarstan,
            kind="meeting",
            occurred_on=date(2025, 3, 5),
            region=regions["16"],
            topic="Встреча",
            people=[stranger],
        )

    assert errors_of(raised) == {"people": ["No such record in your regions."]}


def test_a_follow_up_is_overdue_only_while_open_and_past_its_due_date(manager, regions):
    today = timezone.localdate()
    overdue = FollowUpFactory(owner=manager, due_on=today - timedelta(days=1))
    due_today = FollowUpFactory(owner=manager, due_on=today)
    done_late = FollowUpFactory(owner=manager, due_on=today - timedelta(days=5))
    services.follow_up_set_status(user=manager, follow_up=done_late, status="done")

    assert overdue.is_overdue and not due_today.is_overdue
    done_late.refresh_from_db()
    assert not done_late.is_overdue and done_late.closed_on == today
    mine = follow_up_list_for_owner(user=manager)
    assert [(row, row.overdue) for row in mine] == [
        (overdue, True),
        (due_today, False),
    ]


def test_reopening_a_follow_up_clears_its_closing_date(manager, regions):
    follow_up = FollowUpFactory(owner=manager)
    services.follow_up_set_status(user=manager, follow_up=follow_up, status="done")

    services.follow_up_set_status(user=manager, follow_up=follow_up, status="open")

    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.closed_on) == (FollowUp.Status.OPEN, None)


def test_a_follow_up_owned_by_a_partner_of_another_region_is_refused(
    manager, partner_karelia, regions
):
    interaction = InteractionFactory()

    with pytest.raises(ValidationError) as raised:
        services.follow_up_add(
            user=manager,
            interaction=interaction,
            description="Созвониться",
            owner=partner_karelia,
            due_on=date(2025, 4, 1),
        )

    assert errors_of(raised) == {
        "owner": ["This regional partner does not work in the interaction's region."]
    }


def test_deleting_a_person_keeps_who_did_it_in_the_history(manager, regions):
    person = PersonFactory()

    services.person_delete(user=manager, person=person)

    assert not Person.objects.exists()
    deleted = Person.history.filter(history_type="-").get()
    assert deleted.history_user == manager


def test_the_factory_inns_are_valid():
    from creative_regions.registry.identifiers import is_valid_inn

    assert all(is_valid_inn(company_inn(number)) for number in range(50))


def test_a_partner_editing_participants_keeps_those_they_cannot_see(
    manager, partner_tatarstan, regions
):
    local, visitor = PersonFactory(), PersonFactory(region=regions["77"])
    interaction = InteractionFactory()
    interaction.people.set([visitor])

    services.interaction_update(
        user=partner_tatarstan, interaction=interaction, people=[local]
    )

    assert set(interaction.people.all()) == {local, visitor}


def test_a_people_export_leaves_out_those_without_consent_and_is_logged(
    partner_tatarstan, regions
):
    from creative_regions.community.selectors import person_list
    from creative_regions.core.models import PersonalDataExport
    from tests.community.factories import ConsentFactory

    consenting = PersonFactory(surname="Андреева", phone="+79123456789")
    ConsentFactory(person=consenting, purpose="mailing")
    withdrawn = PersonFactory(surname="Борисов")
    ConsentFactory(person=withdrawn, purpose="mailing", withdrawn_on=date(2025, 2, 1))
    ConsentFactory(person=PersonFactory(surname="Волков"), purpose="events")
    PersonFactory(surname="Карельский", region=regions["10"])

    export = services.person_export(
        user=partner_tatarstan,
        people=person_list(user=partner_tatarstan),
        purpose="mailing",
        query="region=16",
    )

    assert [row[0] for row in export.rows] == ["Андреева"]
    assert export.rows[0][5] == "+79123456789"
    assert export.headers[:3] == ["surname", "first name", "patronymic"]
    assert export.excluded == 2
    entry = PersonalDataExport.objects.get()
    assert (entry.user, entry.dataset, entry.query, entry.row_count, entry.purpose) == (
        partner_tatarstan,
        "community.person",
        "region=16",
        1,
        "mailing",
    )


# A consent after a withdrawal, a follow-up's closing date, who exports --------------


def record_mailing_consent(user, person, given_on):
    return services.consent_record(
        user=user,
        person=person,
        purpose=Consent.Purpose.MAILING,
        given_on=given_on,
        channel=Consent.Channel.PAPER,
    )


def test_a_consent_dated_before_the_last_withdrawal_is_refused(manager, regions):
    from creative_regions.community.selectors import consent_is_valid

    person = PersonFactory()
    first = record_mailing_consent(manager, person, date(2024, 6, 1))
    services.consent_withdraw(
        user=manager, consent=first, withdrawn_on=date(2024, 9, 1)
    )
    second = record_mailing_consent(manager, person, date(2024, 10, 1))
    services.consent_withdraw(
        user=manager, consent=second, withdrawn_on=date(2025, 3, 1)
    )

    with pytest.raises(ValidationError) as raised:
        record_mailing_consent(manager, person, date(2025, 2, 1))

    assert errors_of(raised) == {
        "given_on": [
            "The consent for this purpose was withdrawn on 1 March 2025: a new "
            "consent must be dated on or after that day."
        ]
    }
    assert Consent.objects.filter(person=person).count() == 2
    assert not consent_is_valid(
        person=person, purpose=Consent.Purpose.MAILING, on=date(2025, 3, 15)
    )


def test_a_consent_may_be_given_again_on_the_day_of_the_withdrawal(manager, regions):
    person = PersonFactory()
    first = record_mailing_consent(manager, person, date(2025, 1, 10))
    services.consent_withdraw(
        user=manager, consent=first, withdrawn_on=date(2025, 3, 1)
    )
    # Another purpose's withdrawal plays no part.
    events = services.consent_record(
        user=manager,
        person=person,
        purpose=Consent.Purpose.EVENTS,
        given_on=date(2025, 1, 10),
        channel=Consent.Channel.PAPER,
    )
    services.consent_withdraw(
        user=manager, consent=events, withdrawn_on=date(2025, 4, 1)
    )

    again = record_mailing_consent(manager, person, date(2025, 3, 1))

    assert again.is_valid_on(date(2025, 3, 1))


def test_a_consents_date_cannot_be_moved_back_across_a_withdrawal(manager, regions):
    person = PersonFactory()
    first = record_mailing_consent(manager, person, date(2024, 6, 1))
    services.consent_withdraw(
        user=manager, consent=first, withdrawn_on=date(2024, 9, 1)
    )
    second = record_mailing_consent(manager, person, date(2024, 10, 1))

    with pytest.raises(ValidationError) as raised:
        services.consent_update(
            user=manager, consent=second, given_on=date(2024, 8, 15)
        )
    # A correction that stays after the withdrawal, or of the older consent
    # within its own time, is fine.
    services.consent_update(user=manager, consent=second, given_on=date(2024, 9, 1))
    services.consent_update(user=manager, consent=first, given_on=date(2024, 5, 20))

    assert errors_of(raised) == {
        "given_on": [
            "The consent for this purpose was withdrawn on 1 September 2024: this "
            "consent's date cannot be moved before that day."
        ]
    }
    second.refresh_from_db()
    first.refresh_from_db()
    assert (first.given_on, second.given_on) == (date(2024, 5, 20), date(2024, 9, 1))


def test_a_follow_up_cannot_be_closed_on_a_future_date(manager, regions):
    follow_up = FollowUpFactory(owner=manager)
    tomorrow = timezone.localdate() + timedelta(days=1)

    with pytest.raises(ValidationError) as raised:
        services.follow_up_update(
            user=manager, follow_up=follow_up, status="done", closed_on=tomorrow
        )
    follow_up.refresh_from_db()
    with pytest.raises(ValidationError) as through_status:
        services.follow_up_set_status(
            user=manager, follow_up=follow_up, status="cancelled", closed_on=tomorrow
        )

    assert errors_of(raised) == {"closed_on": ["This date is in the future."]}
    assert errors_of(through_status) == {"closed_on": ["This date is in the future."]}
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.closed_on) == (FollowUp.Status.OPEN, None)


def test_a_follow_up_may_be_closed_today_or_on_a_past_date(manager, regions):
    today = timezone.localdate()
    done_today = FollowUpFactory(owner=manager)
    done_earlier = FollowUpFactory(owner=manager)

    services.follow_up_update(
        user=manager, follow_up=done_today, status="done", closed_on=today
    )
    services.follow_up_update(
        user=manager,
        follow_up=done_earlier,
        status="done",
        closed_on=today - timedelta(days=3),
    )

    done_today.refresh_from_db()
    done_earlier.refresh_from_db()
    assert done_today.closed_on == today
    assert done_earlier.closed_on == today - timedelta(days=3)


def test_an_expert_may_not_export_peoples_personal_data(expert, regions):
    from creative_regions.community.selectors import person_list
    from creative_regions.core.models import PersonalDataExport
    from tests.community.factories import ConsentFactory

    ConsentFactory(person=PersonFactory(surname="Андреева"), purpose="mailing")

    with pytest.raises(PermissionDenied) as raised:
        services.person_export(
            user=expert, people=person_list(user=expert), purpose="mailing"
        )

    assert str(raised.value) == (
        "Your role does not allow exporting people's personal data."
    )
    assert not PersonalDataExport.objects.exists()


@pytest.mark.parametrize(
    "account", ["admin_user", "manager", "analyst", "partner_tatarstan"]
)
def test_staff_and_partners_export_peoples_personal_data(request, regions, account):
    from creative_regions.community.selectors import person_list
    from creative_regions.core.models import PersonalDataExport
    from tests.community.factories import ConsentFactory

    user = request.getfixturevalue(account)
    ConsentFactory(person=PersonFactory(surname="Андреева"), purpose="mailing")

    export = services.person_export(
        user=user, people=person_list(user=user), purpose="mailing"
    )

    assert [row[0] for row in export.rows] == ["Андреева"]
    assert PersonalDataExport.objects.get().user == user
