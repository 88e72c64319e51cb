"""What the community's reads give the pages: search, consents, the dialogue with
the authorities, timelines, and the register's facts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation

from creative_regions.community import selectors, services
from creative_regions.community.models import (
    CommunityMembership,
    Consent,
    Organisation,
)
from creative_regions.registry.importer import run_import
from creative_regions.registry.services import registry_store
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
from tests.registry.builders import document, member_name, register_file, write_zip
from tests.registry.test_firm_history import write_records

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("english", "media_in_tmp"),
]


# Search ------------------------------------------------------------------------------


def names(results) -> list[str]:
    return [str(item) for item in results]


def test_search_ignores_case_and_reads_yo_as_ye(manager, regions):
    OrganisationFactory(full_name="Творческое объединение «Ёлка»")
    OrganisationFactory(full_name="Студия «Берёста»", city="Казань")
    PersonFactory(surname="Сёмина", first_name="Алёна")
    PersonFactory(surname="Петров")

    results = selectors.community_search(user=manager, text="ЕЛКА")
    by_city = selectors.community_search(user=manager, text="береста казань")
    people = selectors.community_search(user=manager, text="семина алена")

    assert names(results.organisations) == ["Творческое объединение «Ёлка»"]
    assert names(by_city.organisations) == ["Студия «Берёста»"]
    assert [person.surname for person in people.people] == ["Сёмина"]


def test_search_finds_an_organisation_by_its_inn(manager, regions):
    OrganisationFactory(full_name="Дизайн-бюро", inn="7707083893")
    OrganisationFactory(full_name="Другое")

    results = selectors.community_search(user=manager, text="7707083893")

    assert names(results.organisations) == ["Дизайн-бюро"]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram matching is PostgreSQL's"
)
def test_search_on_postgresql_forgives_a_typo_and_ranks_the_best_first(
    manager, regions
):
    PersonFactory(surname="Иванов", first_name="Пётр")
    PersonFactory(surname="Иванова", first_name="Мария")
    PersonFactory(surname="Смирнов", first_name="Олег", patronymic="Петрович")

    results = selectors.community_search(user=manager, text="Иванв")

    assert [person.surname for person in results.people][:2] == [
        "Иванов",
        "Иванова",
    ]
    assert "Смирнов" not in [person.surname for person in results.people]


@pytest.mark.skipif(
    connection.vendor == "postgresql", reason="the plain match is SQLite's"
)
def test_search_on_sqlite_needs_every_word_to_occur(manager, regions):
    PersonFactory(surname="Иванов", first_name="Пётр")

    assert selectors.community_search(user=manager, text="Иванв").is_empty
    assert not selectors.community_search(user=manager, text="иванов петр").is_empty


def test_a_partner_finds_only_their_regions_records(partner_karelia, regions):
    OrganisationFactory(full_name="Студия Казань", region=regions["16"])
    OrganisationFactory(full_name="Студия Петрозаводск", region=regions["10"])

    results = selectors.community_search(user=partner_karelia, text="студия")

    assert names(results.organisations) == ["Студия Петрозаводск"]


# Consents ----------------------------------------------------------------------------

DAY = date(2025, 6, 1)


def test_withdrawn_consent_excludes_the_person_from_that_purpose_only(manager, regions):
    anna = PersonFactory(surname="Анна")
    boris = PersonFactory(surname="Борис")
    vera = PersonFactory(surname="Вера")
    ConsentFactory(person=anna, purpose=Consent.Purpose.MAILING)
    ConsentFactory(
        person=boris,
        purpose=Consent.Purpose.MAILING,
        withdrawn_on=date(2025, 5, 1),
    )
    ConsentFactory(person=boris, purpose=Consent.Purpose.EVENTS)
    ConsentFactory(person=vera, purpose=Consent.Purpose.EVENTS)

    mailing = selectors.person_consent_eligibility(
        user=manager, purpose=Consent.Purpose.MAILING, on=DAY
    )
    events = selectors.person_consent_eligibility(
        user=manager, purpose=Consent.Purpose.EVENTS, on=DAY
    )

    assert [person.surname for person in mailing.eligible] == ["Анна"]
    assert [
        (person.surname, person.exclusion_reason, person.consent_withdrawn_on)
        for person in mailing.excluded
    ] == [
        ("Борис", "withdrawn", date(2025, 5, 1)),
        ("Вера", "no_consent", None),
    ]
    assert [person.surname for person in events.eligible] == ["Борис", "Вера"]
    assert selectors.ExclusionReason("withdrawn").label == (
        "The consent for this purpose was withdrawn."
    )


def test_consent_is_valid_from_the_day_given_until_the_day_withdrawn(regions):
    consent = ConsentFactory(given_on=date(2025, 1, 10), withdrawn_on=date(2025, 3, 1))
    person = consent.person

    assert [
        selectors.consent_is_valid(person=person, purpose="mailing", on=day)
        for day in (
            date(2025, 1, 9),
            date(2025, 1, 10),
            date(2025, 2, 28),
            date(2025, 3, 1),
        )
    ] == [False, True, True, False]
    assert not selectors.consent_is_valid(
        person=person, purpose="events", on=date(2025, 2, 1)
    )


def test_a_consent_given_after_the_day_is_explained(manager, regions):
    ConsentFactory(given_on=date(2025, 7, 1))

    eligibility = selectors.person_consent_eligibility(
        user=manager, purpose="mailing", on=DAY
    )

    assert [person.exclusion_reason for person in eligibility.excluded] == ["not_yet"]


# The dialogue --------------------------------------------------------------------------


def test_the_dialogue_with_authorities_lists_their_interactions_and_open_follow_ups(
    manager, regions
):
    ministry = OrganisationFactory(kind=Organisation.Kind.REGIONAL_AUTHORITY)
    studio = OrganisationFactory()
    council = InteractionFactory(
        topic="Совет", decisions="Создать реестр", occurred_on=date(2025, 3, 1)
    )
    council.organisations.set([ministry])
    call = InteractionFactory(
        topic="Звонок в министерство", occurred_on=date(2025, 4, 1)
    )
    call.organisations.set([ministry, studio])
    business = InteractionFactory(topic="Встреча со студией")
    business.organisations.set([studio])
    elsewhere = InteractionFactory(topic="Карелия", region=regions["10"])
    elsewhere.organisations.set(
        [
            OrganisationFactory(
                region=regions["10"], kind=Organisation.Kind.MUNICIPAL_AUTHORITY
            )
        ]
    )
    today = timezone.localdate()
    late = FollowUpFactory(interaction=council, due_on=today - timedelta(days=3))
    soon = FollowUpFactory(interaction=call, due_on=today + timedelta(days=3))
    FollowUpFactory(interaction=call, status="done")
    FollowUpFactory(interaction=business)

    dialogue = selectors.authority_dialogue(user=manager, region=regions["16"])

    assert [item.topic for item in dialogue.interactions] == [
        "Звонок в министерство",
        "Совет",
    ]
    assert [item.topic for item in dialogue.decisions] == ["Совет"]
    assert [(item, item.overdue) for item in dialogue.open_follow_ups] == [
        (late, True),
        (soon, False),
    ]


def test_timelines_list_an_organisations_and_a_persons_interactions(manager, regions):
    studio = OrganisationFactory()
    founder = PersonFactory()
    first = InteractionFactory(occurred_on=date(2025, 1, 1))
    second = InteractionFactory(occurred_on=date(2025, 2, 1))
    InteractionFactory()
    first.organisations.set([studio])
    second.organisations.set([studio])
    second.people.set([founder])

    assert list(selectors.organisation_timeline(user=manager, organisation=studio)) == [
        second,
        first,
    ]
    assert list(selectors.person_timeline(user=manager, person=founder)) == [second]


def test_communities_are_grouped_by_each_of_their_regions(partner_tatarstan, regions):
    shared = CommunityFactory(
        name="Клуб Поволжья", regions=[regions["16"], regions["02"]]
    )
    CommunityFactory(name="Клуб Казани", regions=[regions["16"]])
    CommunityFactory(name="Клуб Карелии", regions=[regions["10"]])

    groups = selectors.community_list_by_region(user=partner_tatarstan)

    assert [(group.region.code, names(group.communities)) for group in groups] == [
        ("16", ["Клуб Казани", "Клуб Поволжья"])
    ]
    assert shared in selectors.community_list(user=partner_tatarstan)


def test_a_partner_sees_only_members_from_their_regions(partner_tatarstan, regions):
    community = CommunityFactory(regions=[regions["16"], regions["10"]])
    local = services.membership_add(
        user=partner_tatarstan, community=community, person=PersonFactory()
    )
    CommunityMembership.objects.create(
        community=community,
        person=PersonFactory(region=regions["10"]),
        joined_on=date(2025, 1, 1),
    )

    assert list(selectors.membership_list(user=partner_tatarstan)) == [local]


def test_a_communitys_member_count_counts_only_the_members_a_partner_sees(
    manager, partner_tatarstan, regions
):
    community = CommunityFactory(regions=[regions["16"], regions["10"]])
    MembershipFactory(community=community, person=PersonFactory())
    MembershipFactory(
        community=community,
        person=PersonFactory(),
        status=CommunityMembership.Status.LEFT,
        left_on=date(2025, 3, 1),
    )
    MembershipFactory(community=community, person=PersonFactory(region=regions["10"]))
    MembershipFactory(
        community=community,
        person=None,
        organisation=OrganisationFactory(region=regions["10"]),
    )

    partner_view = selectors.community_get_for_user(
        user=partner_tatarstan, pk=community.pk
    )
    staff_view = selectors.community_get_for_user(user=manager, pk=community.pk)

    shown = selectors.membership_list(user=partner_tatarstan, community=community)
    assert partner_view.active_member_count == shown.active().count() == 1
    assert staff_view.active_member_count == 3


def test_a_community_without_active_members_counts_none(manager, regions):
    community = CommunityFactory()

    assert (
        selectors.community_get_for_user(
            user=manager, pk=community.pk
        ).active_member_count
        == 0
    )


def test_a_partner_does_not_see_another_regions_coordinator(
    manager, partner_tatarstan, regions
):
    karelian = PersonFactory(surname="Онегина", region=regions["10"])
    community = CommunityFactory(regions=[regions["16"], regions["10"]])
    community.coordinator = karelian
    community.save()

    partner_view = selectors.community_get_for_user(
        user=partner_tatarstan, pk=community.pk
    )
    staff_view = selectors.community_get_for_user(user=manager, pk=community.pk)

    assert partner_view.coordinator is None
    assert staff_view.coordinator == karelian


# Creative sectors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "language,labels",
    [
        ("en", {"Архитектура": "Architecture (ru-minec-16)"}),
        ("ru", {"Архитектура": "Архитектура (ru-minec-16)"}),
    ],
)
def test_sector_choices_say_which_classification_each_belongs_to(
    classifications, language, labels
):
    with translation.override(language):
        choices = selectors.sector_choices()

    by_name = dict(choices)
    assert by_name["Архитектура"] == labels["Архитектура"]
    assert by_name["Architecture"] == "Architecture (uk-dcms)"
    assert len({label for _name, label in choices}) == len(choices)
    # The choices of one classification come together.
    keys = [label.rsplit(" (", 1)[1] for _name, label in choices]
    assert keys == sorted(keys)


# History ---------------------------------------------------------------------------------


def changes_of(entry) -> dict[str, tuple[str, str]]:
    return {change.field: (change.old, change.new) for change in entry.changes}


def test_history_names_other_regions_participants_only_to_who_may_see_them(
    manager, partner_tatarstan, regions
):
    local = PersonFactory(surname="Казанцева", first_name="Анна", patronymic="")
    guest = PersonFactory(
        surname="Москвичёва", first_name="Ольга", patronymic="", region=regions["77"]
    )
    ministry = OrganisationFactory(full_name="Минкультуры РТ")
    fund = OrganisationFactory(full_name="Фонд Москвы", region=regions["77"])
    interaction = services.interaction_record(
        user=manager,
        kind="meeting",
        occurred_on=date(2025, 3, 5),
        region=regions["16"],
        topic="Совет",
        people=[local],
        organisations=[ministry],
    )
    services.interaction_update(
        user=manager,
        interaction=interaction,
        people=[local, guest],
        organisations=[ministry, fund],
    )

    partner_view = selectors.record_history(record=interaction, user=partner_tatarstan)
    staff_view = selectors.record_history(record=interaction, user=manager)

    assert changes_of(partner_view[0]) == {
        "people": ("Казанцева Анна", "Казанцева Анна, 1 person from another region"),
        "organisations": (
            "Минкультуры РТ",
            "Минкультуры РТ, 1 organisation from another region",
        ),
    }
    assert changes_of(staff_view[0]) == {
        "people": ("Казанцева Анна", "Казанцева Анна, Москвичёва Ольга"),
        "organisations": ("Минкультуры РТ", "Минкультуры РТ, Фонд Москвы"),
    }


def test_history_hides_a_coordinator_from_another_region_from_a_partner(
    manager, partner_tatarstan, regions
):
    local = PersonFactory(surname="Казанцева", first_name="Анна", patronymic="")
    karelian = PersonFactory(
        surname="Онегина", first_name="Вера", patronymic="", region=regions["10"]
    )
    community = services.community_create(
        user=manager,
        name="Клуб дизайнеров",
        regions=[regions["16"], regions["10"]],
        coordinator=local,
    )
    services.community_update(user=manager, community=community, coordinator=karelian)

    partner_view = selectors.record_history(record=community, user=partner_tatarstan)
    staff_view = selectors.record_history(record=community, user=manager)

    assert changes_of(partner_view[0]) == {
        "coordinator": ("Казанцева Анна", "a person from another region")
    }
    assert changes_of(staff_view[0]) == {
        "coordinator": ("Казанцева Анна", "Онегина Вера")
    }


def test_history_leaves_out_a_change_a_partner_cannot_tell_apart(
    manager, partner_tatarstan, regions
):
    local = PersonFactory(surname="Казанцева", first_name="Анна", patronymic="")
    first, second = PersonFactory.create_batch(2, region=regions["77"])
    interaction = services.interaction_record(
        user=manager,
        kind="meeting",
        occurred_on=date(2025, 3, 5),
        region=regions["16"],
        topic="Совет",
        people=[local, first],
    )
    services.interaction_update(
        user=manager, interaction=interaction, people=[local, second]
    )
    services.interaction_update(
        user=manager, interaction=interaction, topic="Совет (итоги)"
    )

    partner_view = selectors.record_history(record=interaction, user=partner_tatarstan)
    staff_view = selectors.record_history(record=interaction, user=manager)

    assert [(entry.kind, changes_of(entry)) for entry in partner_view] == [
        ("~", {"topic": ("Совет", "Совет (итоги)")}),
        ("+", {}),
    ]
    assert [entry.kind for entry in staff_view] == ["~", "~", "+"]


def test_history_with_several_hidden_people_counts_them(
    manager, partner_tatarstan, regions
):
    interaction = services.interaction_record(
        user=manager,
        kind="meeting",
        occurred_on=date(2025, 3, 5),
        region=regions["16"],
        topic="Совет",
    )
    services.interaction_update(
        user=manager,
        interaction=interaction,
        people=PersonFactory.create_batch(3, region=regions["77"]),
    )

    history = selectors.record_history(record=interaction, user=partner_tatarstan)

    assert changes_of(history[0]) == {"people": ("—", "3 people from other regions")}


def test_history_without_a_user_is_deprecated(manager, regions):
    community = services.community_create(
        user=manager, name="Клуб", regions=[regions["16"]]
    )

    with pytest.warns(DeprecationWarning, match="user="):
        selectors.record_history(record=community)


# The register ----------------------------------------------------------------------------

STUDIO_INN = company_inn(1, region="16")


@pytest.fixture
def register(settings, tmp_path, regions, classifications):
    """A store of two snapshots imported by the registry's own importer: a Kazan
    design studio growing from 4 to 9 employees, and a Moscow firm."""
    archives = []
    for index, (snapshot, headcount) in enumerate(
        (("10.01.2024", "4"), ("10.01.2025", "9"))
    ):
        documents = [
            document(
                doc_id=f"studio-{index}",
                inn=STUDIO_INN,
                ogrn=None,
                region="16",
                snapshot=snapshot,
                included="01.08.2019",
                headcount=headcount,
                okved="74.10",
                name='ООО "СТУДИЯ ДИЗАЙНА"',
            ),
            document(
                doc_id=f"moscow-{index}",
                inn=company_inn(2),
                ogrn=None,
                region="77",
                snapshot=snapshot,
                okved="62.01",
                name='ООО "КОД"',
            ),
        ]
        archives.append(
            write_zip(
                tmp_path / f"register-{index}.zip",
                {member_name(index): register_file(documents, file_id=f"f{index}")},
            )
        )
    store = registry_store()
    summary = run_import(archives, store=store, workers=1)
    assert summary.quarantined == 0
    return store


def test_an_organisation_is_created_from_the_register_by_inn(manager, register):
    link = services.organisation_from_register(
        user=manager, inn=STUDIO_INN, sectors=["Дизайн"]
    )

    organisation = link.organisation
    assert link.created and link.snapshot == date(2025, 1, 10)
    assert (organisation.full_name, organisation.kind, organisation.region.code) == (
        'ООО "СТУДИЯ ДИЗАЙНА"',
        Organisation.Kind.COMPANY,
        "16",
    )
    assert [sector.name for sector in organisation.sectors.all()] == ["Дизайн"]


def test_the_same_inn_links_to_the_organisation_already_recorded(manager, register):
    first = services.organisation_from_register(user=manager, inn=STUDIO_INN)

    again = services.organisation_from_register(
        user=manager, inn=STUDIO_INN, tags=["лидер"]
    )

    assert not again.created and again.organisation.pk == first.organisation.pk
    assert Organisation.objects.count() == 1
    assert [tag.name for tag in again.organisation.tags.all()] == ["лидер"]


def test_an_inn_the_register_lacks_needs_a_name(manager, regions, register):
    unknown = company_inn(99, region="16")

    with pytest.raises(ValidationError) as raised:
        services.organisation_from_register(user=manager, inn=unknown)
    link = services.organisation_from_register(
        user=manager, inn=unknown, name="Арт-кластер", region=regions["16"]
    )

    assert raised.value.message_dict == {
        "inn": [
            "The register store has no firm with this INN; give its name and region "
            "to add it by hand."
        ]
    }
    assert link.created and link.organisation.full_name == "Арт-кластер"


def test_a_partner_cannot_link_another_regions_firm(partner_karelia, register):
    with pytest.raises(ValidationError) as raised:
        services.organisation_from_register(user=partner_karelia, inn=company_inn(2))

    assert "inn" in raised.value.message_dict
    assert not Organisation.objects.exists()


OUTSIDE_REGIONS = (
    "A firm with this INN cannot be added to your regions' community. If it works "
    "in your region, ask the agency to add it."
)


def test_a_partner_cannot_add_a_firm_outside_their_regions_and_learns_no_more(
    manager, partner_tatarstan, partner_karelia, regions, register
):
    # The agency recorded the Moscow firm; the Kazan studio is in no community.
    moscow = services.organisation_from_register(
        user=manager, inn=company_inn(2)
    ).organisation
    attempts = [
        (partner_tatarstan, {"inn": company_inn(2)}),
        (partner_karelia, {"inn": STUDIO_INN}),
        # Not as a "branch" in their region either, with a name of their own.
        (
            partner_karelia,
            {"inn": STUDIO_INN, "name": "Студия", "region": regions["10"]},
        ),
        (partner_tatarstan, {"inn": company_inn(2), "region": regions["16"]}),
    ]

    messages = []
    for user, arguments in attempts:
        with pytest.raises(ValidationError) as raised:
            services.organisation_from_register(user=user, **arguments)
        messages.append(raised.value.message_dict)

    assert messages == [{"inn": [OUTSIDE_REGIONS]}] * len(attempts)
    assert list(Organisation.objects.all()) == [moscow]


def test_a_partner_adds_firms_of_their_region_and_unlisted_ones_by_hand(
    partner_tatarstan, regions, register
):
    studio = services.organisation_from_register(user=partner_tatarstan, inn=STUDIO_INN)
    by_hand = services.organisation_from_register(
        user=partner_tatarstan,
        inn=company_inn(99, region="16"),
        name="Арт-кластер",
        region=regions["16"],
    )

    assert studio.created and studio.organisation.full_name == 'ООО "СТУДИЯ ДИЗАЙНА"'
    assert by_hand.created and by_hand.organisation.region == regions["16"]


def test_an_organisations_register_facts_follow_the_snapshots(manager, register):
    organisation = services.organisation_from_register(
        user=manager, inn=STUDIO_INN
    ).organisation

    facts = selectors.organisation_register_facts(
        user=manager, organisation=organisation
    )

    assert facts.first_seen == date(2024, 1, 10)
    assert facts.employees == [(date(2024, 1, 10), 4), (date(2025, 1, 10), 9)]
    assert (facts.category_label, facts.main_activity) == ("micro", "74.10")
    assert "Design" in facts.main_activity_sectors
    assert facts.latest.included_date == date(2019, 8, 1)


def test_an_organisation_without_inn_has_no_register_facts(manager, register):
    organisation = OrganisationFactory(inn=None)

    assert (
        selectors.organisation_register_facts(user=manager, organisation=organisation)
        is None
    )


def test_an_organisation_from_the_register_gets_its_ogrn_and_city(
    settings, tmp_path, manager, regions, classifications
):
    settings.DATA_DIR = tmp_path
    valid, flawed = company_inn(3, region="16"), company_inn(4, region="16")
    write_records(
        tmp_path / "registry",
        [
            {
                "snapshot_date": date(2025, 1, 10),
                "inn": valid,
                "ogrn": "1021600000003",
                "name": 'ООО "ГОНЧАРНАЯ МАСТЕРСКАЯ"',
                "region_code": "16",
                "city": " НАБЕРЕЖНЫЕ  ЧЕЛНЫ ",
            },
            {
                "snapshot_date": date(2025, 1, 10),
                "inn": flawed,
                "ogrn": "1021600000004",
                "name": 'ООО "ТКАЦКАЯ"',
                "region_code": "16",
            },
        ],
    )

    organisation = services.organisation_from_register(
        user=manager, inn=valid
    ).organisation
    with_flawed_ogrn = services.organisation_from_register(
        user=manager, inn=flawed
    ).organisation

    organisation.refresh_from_db()
    assert (organisation.ogrn, organisation.city) == (
        "1021600000003",
        "НАБЕРЕЖНЫЕ ЧЕЛНЫ",
    )
    # A checksum the register got wrong leaves the OGRN to be typed in.
    with_flawed_ogrn.refresh_from_db()
    assert (with_flawed_ogrn.ogrn, with_flawed_ogrn.city) == ("", "")
    assert selectors.community_search(user=manager, text="челны").organisations == [
        organisation
    ]
