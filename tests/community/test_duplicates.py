"""Likely duplicates among organisations and people, and the merge of two
records: every relation moves, both histories stay, partners stay in their
regions."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from creative_regions.community import services
from creative_regions.community.duplicates import (
    LEGAL_FORM_PHRASES,
    organisation_duplicate_groups,
    organisation_merge,
    organisation_name_key,
    person_duplicate_groups,
    person_merge,
    person_name_key,
)
from creative_regions.community.models import (
    Affiliation,
    Community,
    CommunityMembership,
    Consent,
    FollowUp,
    Interaction,
    Organisation,
    Person,
)
from tests.community.factories import (
    CommunityFactory,
    ConsentFactory,
    FollowUpFactory,
    InteractionFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    company_inn,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

# Names ----------------------------------------------------------------------------

WORDS = st.text(
    alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяABCdefxyz0123456789",
    min_size=1,
    max_size=12,
)
NAMES = st.lists(WORDS, min_size=1, max_size=5).map(" ".join)
DECORATIONS = st.sampled_from(
    [
        "ООО «{}»",
        '"{}"',
        "{}, ООО",
        "Общество с ограниченной ответственностью {}",
        "  {}  ",
        "ИП {}",
        "АО “{}”",
        "{}",
    ]
)


@given(NAMES)
def test_the_name_key_of_a_key_is_the_key_itself(name):
    key = organisation_name_key(name)

    assert organisation_name_key(key) == key


@given(NAMES, DECORATIONS)
def test_legal_forms_quotes_case_and_yo_do_not_change_the_name_key(name, decoration):
    key = organisation_name_key(name)
    decorated = decoration.format(name.upper().replace("Е", "Ё"))

    assert organisation_name_key(decorated) == key


@given(NAMES)
def test_a_name_key_holds_no_legal_form_and_no_punctuation(name):
    words = organisation_name_key(name).split()

    assert all(word.isalnum() for word in words)
    assert not any((word,) in LEGAL_FORM_PHRASES for word in words)


def test_name_keys_read_names_as_people_do():
    assert organisation_name_key("ООО «Арт-кластер „Штаб“»") == "арт кластер штаб"
    assert organisation_name_key("Штаб, арт кластер") == "штаб арт кластер"
    assert organisation_name_key("ООО") == ""
    assert person_name_key("Семёнов", " Пётр", "ИЛЬИЧ") == "семенов петр ильич"


# Finding duplicates ---------------------------------------------------------------


def group_ids(groups) -> list[tuple[list[int], list[tuple[str, str]]]]:
    return [
        (
            [record.pk for record in group.records],
            [(reason.rule, str(reason.value)) for reason in group.reasons],
        )
        for group in groups
    ]


def test_organisations_with_one_ogrn_or_one_name_in_a_region_are_grouped(
    manager, regions
):
    first = OrganisationFactory(full_name="ООО «Звук»", ogrn="1177746123455")
    second = OrganisationFactory(full_name="Звук", inn=None)
    third = OrganisationFactory(full_name="ПАО Свет", ogrn="1177746123455")
    OrganisationFactory(full_name="ООО «Звук»", region=regions["10"], inn=None)
    OrganisationFactory(full_name="ООО «Тишина»")
    # Written before INNs were normalised: the same INN with a space.
    fourth = OrganisationFactory(full_name="А", inn="7707083893")
    fifth = OrganisationFactory(full_name="Б", inn="7707 083893")

    groups = organisation_duplicate_groups(user=manager)

    assert group_ids(groups) == [
        ([fourth.pk, fifth.pk], [("inn", "7707083893")]),
        (
            [first.pk, second.pk, third.pk],
            [("ogrn", "1177746123455"), ("name", "Tatarstan")],
        ),
    ]
    assert [reason.label for reason in groups[1].reasons] == [
        "Same OGRN",
        "Same name in the region",
    ]


def test_people_with_one_email_phone_or_full_name_in_a_region_are_grouped(
    manager, regions
):
    by_email = [
        PersonFactory(email="Vera@Example.org"),
        PersonFactory(email="vera@example.org"),
    ]
    by_phone = [
        PersonFactory(phone="+79123456789"),
        PersonFactory(phone="+79123456789"),
    ]
    by_name = [
        PersonFactory(surname="Орлов", first_name="Пётр", patronymic=""),
        PersonFactory(surname="ОРЛОВ", first_name="петр", patronymic=""),
    ]
    PersonFactory(
        surname="Орлов", first_name="Пётр", patronymic="", region=regions["10"]
    )

    groups = person_duplicate_groups(user=manager)

    assert sorted(group_ids(groups)) == sorted(
        [
            ([person.pk for person in by_email], [("email", "vera@example.org")]),
            ([person.pk for person in by_phone], [("phone", "+79123456789")]),
            (
                [person.pk for person in by_name],
                [("full_name", "Tatarstan")],
            ),
        ]
    )


def test_a_partner_finds_duplicates_only_in_their_regions(
    partner_tatarstan, partner_karelia, regions
):
    PersonFactory(email="a@example.org")
    PersonFactory(email="a@example.org", region=regions["10"])
    PersonFactory(email="b@example.org", region=regions["10"])
    karelian = PersonFactory(email="b@example.org", region=regions["10"])

    assert person_duplicate_groups(user=partner_tatarstan) == []
    assert [
        group.records[-1].pk for group in person_duplicate_groups(user=partner_karelia)
    ] == [karelian.pk]


# Merging organisations ------------------------------------------------------------


def organisation_relations(organisation) -> dict[str, int]:
    interactions = Interaction.objects.filter(organisations=organisation)
    return {
        "affiliations": organisation.affiliations.count(),
        "memberships": organisation.memberships.count(),
        "interactions": interactions.count(),
        "follow-ups": FollowUp.objects.filter(interaction__in=interactions).count(),
        "sectors": organisation.sectors.count(),
        "tags": organisation.tags.count(),
    }


def add(total: dict[str, int], part: dict[str, int]) -> dict[str, int]:
    return {name: total.get(name, 0) + count for name, count in part.items()}


def test_a_merge_moves_every_relation_and_keeps_both_histories(
    manager, analyst, regions, classifications
):
    survivor = services.organisation_create(
        user=manager,
        full_name="ООО «Звук»",
        kind="company",
        region=regions["16"],
        sectors=["Музыка"],
        tags=["якорная"],
    )
    other = services.organisation_create(
        user=manager,
        full_name="Звук",
        kind="company",
        region=regions["16"],
        inn=company_inn(5, "16"),
        city="Казань",
        sectors=["Дизайн", "Музыка"],
        tags=["экспорт"],
    )
    person = PersonFactory()
    Affiliation.objects.create(person=person, organisation=other, role="Директор")
    Affiliation.objects.create(person=PersonFactory(), organisation=survivor)
    shared_community = CommunityFactory()
    MembershipFactory(
        community=shared_community,
        person=None,
        organisation=survivor,
        status="left",
        left_on=date(2025, 3, 1),
        joined_on=date(2025, 2, 1),
    )
    MembershipFactory(
        community=shared_community,
        person=None,
        organisation=other,
        joined_on=date(2024, 1, 1),
    )
    MembershipFactory(person=None, organisation=other)
    meeting = InteractionFactory()
    meeting.organisations.add(other)
    FollowUpFactory(interaction=meeting)
    joint = InteractionFactory()
    joint.organisations.add(other, survivor)
    expected = add(organisation_relations(survivor), organisation_relations(other))
    other_history = list(other.history.values_list("history_id", flat=True))
    survivor_history = list(survivor.history.values_list("history_id", flat=True))

    outcome = organisation_merge(
        user=analyst,
        survivor=survivor,
        other=other,
        fields_from_other=["inn", "city"],
    )

    survivor.refresh_from_db()
    assert not Organisation.objects.filter(pk=other.pk).exists()
    assert (survivor.full_name, survivor.inn, survivor.city) == (
        "ООО «Звук»",
        company_inn(5, "16"),
        "Казань",
    )
    # The shared community and the shared interaction are held once.
    assert organisation_relations(survivor) == {
        **expected,
        "memberships": expected["memberships"] - 1,
        "interactions": expected["interactions"] - 1,
        "sectors": 2,
    }
    combined = survivor.memberships.get(community=shared_community)
    assert (combined.joined_on, combined.status, combined.left_on) == (
        date(2024, 1, 1),
        "active",
        None,
    )
    assert Affiliation.objects.get(person=person).organisation == survivor
    assert sorted(tag.name for tag in survivor.tags.all()) == ["экспорт", "якорная"]
    assert outcome.merged_id == other.pk
    assert outcome.moved == {"affiliations": 1, "memberships": 1, "interactions": 1}
    assert outcome.dropped == {"memberships": 1, "interactions": 1}
    # Both histories remain; each side records the merge and who made it.
    assert set(other_history) < set(
        Organisation.history.filter(id=other.pk).values_list("history_id", flat=True)
    )
    deleted = Organisation.history.filter(id=other.pk).latest("history_id")
    assert (deleted.history_type, deleted.history_user) == ("-", analyst)
    assert deleted.history_change_reason == f"Merged into #{survivor.pk} ООО «Звук»"
    latest = survivor.history.latest("history_id")
    assert set(survivor_history) < set(
        survivor.history.values_list("history_id", flat=True)
    )
    assert (latest.history_type, latest.history_user) == ("~", analyst)
    assert latest.history_change_reason == f"Merged with #{other.pk} Звук"
    assert sorted(latest.tags.values_list("tag__name", flat=True)) == [
        "экспорт",
        "якорная",
    ]
    joint_history = joint.history.latest("history_id")
    assert joint_history.history_change_reason == f"Merged with #{other.pk} Звук"


def test_an_invalid_value_taken_over_stops_the_merge_and_changes_nothing(
    manager, regions
):
    survivor = OrganisationFactory(inn=company_inn(1, "16"))
    other = OrganisationFactory(inn=company_inn(2, "16"), ogrn="123")
    other.affiliations.create(person=PersonFactory())

    with pytest.raises(ValidationError) as raised:
        organisation_merge(
            user=manager, survivor=survivor, other=other, fields_from_other=["ogrn"]
        )

    assert "ogrn" in raised.value.message_dict
    assert Organisation.objects.count() == 2
    assert other.affiliations.count() == 1


# Merging people -------------------------------------------------------------------


def person_relations(person) -> dict[str, int]:
    interactions = Interaction.objects.filter(people=person)
    return {
        "affiliations": person.affiliations.count(),
        "consents": person.consents.count(),
        "memberships": person.memberships.count(),
        "interactions": interactions.count(),
        "follow-ups": FollowUp.objects.filter(interaction__in=interactions).count(),
        "coordinated": Community.objects.filter(coordinator=person).count(),
        "roles": person.roles.count(),
    }


def test_a_person_merge_moves_consents_memberships_and_communities(manager, regions):
    survivor = services.person_create(
        user=manager,
        surname="Орлова",
        first_name="Вера",
        region=regions["16"],
        roles=["designer"],
    )
    other = services.person_create(
        user=manager,
        surname="Орлова",
        first_name="Вера",
        patronymic="Павловна",
        email="vera@example.org",
        region=regions["16"],
        roles=["mentor"],
    )
    later = ConsentFactory(
        person=survivor, purpose="mailing", given_on=date(2025, 2, 1)
    )
    earlier = ConsentFactory(person=other, purpose="mailing", given_on=date(2024, 5, 1))
    ConsentFactory(person=other, purpose="events")
    Affiliation.objects.create(person=other, organisation=OrganisationFactory())
    MembershipFactory(person=other)
    community = CommunityFactory(coordinator=other)
    meeting = InteractionFactory()
    meeting.people.add(other)
    FollowUpFactory(interaction=meeting)
    expected = add(person_relations(survivor), person_relations(other))

    outcome = person_merge(
        user=manager,
        survivor=survivor,
        other=other,
        fields_from_other=["patronymic", "email"],
    )

    survivor.refresh_from_db()
    assert (survivor.full_name, survivor.email) == (
        "Орлова Вера Павловна",
        "vera@example.org",
    )
    assert not Person.objects.filter(pk=other.pk).exists()
    # Two consents to mailings in force cannot both stay: the earlier one does.
    assert person_relations(survivor) == {
        **expected,
        "consents": expected["consents"] - 1,
    }
    assert list(survivor.consents.filter(purpose="mailing")) == [earlier]
    assert not Consent.objects.filter(pk=later.pk).exists()
    assert Consent.history.filter(id=later.pk, history_type="-").exists()
    community.refresh_from_db()
    assert community.coordinator == survivor
    assert sorted(survivor.roles.values_list("code", flat=True)) == [
        "designer",
        "mentor",
    ]
    assert outcome.dropped == {"consents": 1}


# Who may merge --------------------------------------------------------------------


def test_a_partner_merges_only_records_of_their_regions(partner_tatarstan, regions):
    own = PersonFactory(email="a@example.org")
    other_region = PersonFactory(email="a@example.org", region=regions["10"])

    with pytest.raises(ValidationError) as raised:
        person_merge(user=partner_tatarstan, survivor=own, other=other_region)

    assert raised.value.message_dict == {"other": ["No such record in your regions."]}
    assert Person.objects.count() == 2


def test_a_partner_merges_within_their_region(partner_tatarstan, regions):
    own = PersonFactory(email="a@example.org")
    twin = PersonFactory(email="a@example.org")

    person_merge(user=partner_tatarstan, survivor=own, other=twin)

    assert list(Person.objects.all()) == [own]


def test_an_expert_may_not_merge(expert, regions):
    first, second = OrganisationFactory(), OrganisationFactory()

    with pytest.raises(PermissionDenied):
        organisation_merge(user=expert, survivor=first, other=second)

    assert Organisation.objects.count() == 2


def test_a_record_is_not_merged_with_itself(manager, regions):
    organisation = OrganisationFactory()

    with pytest.raises(ValidationError) as raised:
        organisation_merge(user=manager, survivor=organisation, other=organisation)

    assert raised.value.message_dict == {
        "other": ["A record cannot be merged with itself."]
    }


def test_membership_of_the_same_community_is_combined_once(manager, regions):
    survivor, other = PersonFactory(), PersonFactory()
    membership = MembershipFactory(person=survivor, status="candidate")
    MembershipFactory(community=membership.community, person=other, role="Координатор")

    person_merge(user=manager, survivor=survivor, other=other)

    membership.refresh_from_db()
    assert CommunityMembership.objects.count() == 1
    assert (membership.status, membership.role) == ("active", "Координатор")
