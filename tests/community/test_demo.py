"""The demo community: loaded through the services, idempotent, telling the
agency's 2023 story with valid identifiers, consents and follow-ups."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

from creative_regions.community.demo import (
    CORE_REGIONS,
    demo_community_load,
    demo_inn,
    demo_ogrn,
)
from creative_regions.community.models import (
    Community,
    CommunityMembership,
    Consent,
    FollowUp,
    Interaction,
    Organisation,
    Person,
)
from creative_regions.community.selectors import (
    follow_up_list_for_owner,
    person_consent_eligibility,
)
from creative_regions.research.services import (
    research_run_create,
    research_run_execute,
)
from tests.community.factories import company_inn
from tests.research.test_engine import Firm, write_register

pytestmark = pytest.mark.django_db

TODAY = date(2025, 3, 1)


@pytest.fixture
def loaded(regions, classifications, admin_user):
    return demo_community_load(user=admin_user, today=TODAY)


def test_demo_identifiers_pass_their_checksums_and_never_change():
    assert demo_inn("76", 1) == "7699000019"
    assert demo_ogrn("76", 1, 2016) == "1167699000017"
    sole_trader_inn = demo_inn("10", 3, sole_trader=True)
    sole_trader_ogrn = demo_ogrn("10", 3, 2019, sole_trader=True)
    assert stdnum_inn.is_valid(sole_trader_inn) and len(sole_trader_inn) == 12
    assert stdnum_ogrn.is_valid(sole_trader_ogrn) and len(sole_trader_ogrn) == 15


def test_demo_tells_the_agreements_signed_after_the_july_2023_visit(loaded):
    agreements = {
        organisation.short_name: (
            organisation.kind,
            organisation.region.code,
            organisation.city,
        )
        for organisation in Organisation.objects.filter(
            tags__name="соглашение с АКИ"
        ).select_related("region")
    }

    assert agreements == {
        "Мега-Арт": (Organisation.Kind.CREATIVE_SPACE, "76", "Рыбинск"),
        "Мега-Пак": (Organisation.Kind.COMPANY, "35", "Череповец"),
        "Фонд «Активный бизнес»": (Organisation.Kind.FUND, "42", "Кемерово"),
    }
    signed = Interaction.objects.filter(topic__startswith="Подписание соглашения")
    assert sorted(signed.values_list("region__code", "occurred_on")) == [
        ("35", date(2023, 10, 12)),
        ("42", date(2023, 11, 16)),
        ("76", date(2023, 9, 14)),
    ]
    tour = Interaction.objects.filter(occurred_on=date(2023, 7, 7))
    assert tour.count() == 12
    assert set(
        Interaction.objects.get(occurred_on=date(2023, 7, 6)).people.values_list(
            "region__code", flat=True
        )
    ) == {"10"}


def test_demo_has_both_ministries_for_a_dozen_regions_and_a_community_each(loaded):
    for region in CORE_REGIONS:
        authorities = Organisation.objects.authorities().filter(
            region__code=region.code
        )
        names = sorted(authorities.values_list("full_name", flat=True))
        assert len(names) == 2, region.code
        assert any("культуры" in name for name in names), names
        assert any("эконом" in name for name in names), names
        assert Community.objects.in_regions([authorities[0].region_id]).exists()
    assert len(CORE_REGIONS) == 13


def test_every_demo_identifier_is_valid_and_unique(loaded):
    organisations = list(Organisation.objects.all())

    assert len(organisations) == 64
    assert all(stdnum_inn.is_valid(o.inn) for o in organisations)
    assert all(stdnum_ogrn.is_valid(o.ogrn) for o in organisations)
    assert len({o.inn for o in organisations}) == len(organisations)


def test_every_demo_person_consented_to_be_kept_on_record(loaded, admin_user):
    people = Person.objects.count()
    processing = Consent.objects.filter(purpose=Consent.Purpose.PROCESSING)

    assert people == 60
    assert processing.count() == people
    assert processing.filter(channel="", given_on__isnull=True).count() == 0
    withdrawn = Consent.objects.filter(withdrawn_on__isnull=False)
    assert withdrawn.count() >= 2
    assert set(withdrawn.values_list("purpose", flat=True)) == {"mailing"}
    mailing = person_consent_eligibility(
        user=admin_user, purpose=Consent.Purpose.MAILING, on=TODAY
    )
    assert 0 < mailing.excluded.count() < people
    assert set(mailing.excluded.values_list("exclusion_reason", flat=True)) == {
        "no_consent",
        "withdrawn",
    }


def test_demo_follow_ups_are_due_around_the_load_some_overdue(loaded, admin_user):
    mine = list(follow_up_list_for_owner(user=admin_user, today=TODAY))

    assert [(f.due_on, f.overdue) for f in mine] == [
        (date(2025, 2, 17), True),
        (date(2025, 2, 24), True),
        (date(2025, 3, 8), False),
        (date(2025, 3, 15), False),
        (date(2025, 3, 31), False),
    ]
    overdue = FollowUp.objects.overdue(TODAY)
    assert overdue.count() == 5
    assert overdue.exclude(owner=admin_user).count() == 3
    # The 2023–2024 story is closed.
    assert not FollowUp.objects.open().filter(due_on__year__lt=2025).exists()
    assert Interaction.objects.filter(occurred_on__gt=TODAY).count() == 0


def test_demo_colleagues_are_named_on_the_follow_ups_they_own(
    client, loaded, admin_user
):
    colleague_follow_up = FollowUp.objects.exclude(owner=admin_user).first()
    client.force_login(admin_user)

    page = client.get(
        reverse(
            "community:interaction-detail", args=[colleague_follow_up.interaction_id]
        )
    ).content.decode()

    owner = colleague_follow_up.owner
    assert owner.get_full_name() in {
        "Анна Морозова",
        "Дмитрий Соколов",
        "Елена Кузнецова",
    }
    assert owner.get_full_name() in page


def test_the_demo_is_written_by_the_loading_user(loaded, admin_user):
    mega_art = Organisation.objects.get(short_name="Мега-Арт")

    assert mega_art.history.get().history_user == admin_user
    assert Interaction.objects.exclude(created_by=admin_user).count() == 0


def test_loading_the_demo_again_adds_nothing(loaded, admin_user):
    counts = {
        model: model.objects.count()
        for model in (
            Organisation,
            Person,
            Consent,
            Interaction,
            FollowUp,
            Community,
            CommunityMembership,
        )
    }

    again = demo_community_load(user=admin_user, today=date(2025, 9, 1))

    assert not again.created
    assert {model: model.objects.count() for model in counts} == counts


def test_the_command_loads_once_and_says_so(
    regions, classifications, admin_user, capsys
):
    call_command("load_demo_community", user=admin_user.username)
    call_command("load_demo_community", user=admin_user.username)

    output = capsys.readouterr().out.splitlines()
    assert output[0].startswith("Demo community: added 60 affiliations, ")
    assert "64 organisations, 60 people, 3 users." in output[0]
    assert output[1] == "No research run has finished: industry leaders were not added."
    assert output[2] == "Demo community: already loaded, nothing to add."


def test_the_command_needs_its_user(regions, classifications):
    with pytest.raises(CommandError, match="No user 'nobody'"):
        call_command("load_demo_community", user="nobody")


def test_with_a_research_run_the_demo_adds_leaders_of_the_agreement_regions(
    settings, tmp_path, regions, classifications, admin_user
):
    settings.DATA_DIR = tmp_path
    firms = [
        Firm(company_inn(1, "76"), "76", "74.10", base=50, target=60, name="ООО «А»"),
        Firm(company_inn(2, "76"), "76", "74.10", base=20, target=30, name="ООО «Б»"),
        Firm(company_inn(3, "42"), "42", "90.01", base=10, target=12, name="ООО «В»"),
        Firm(company_inn(4, "16"), "16", "74.10", base=40, target=45, name="ООО «Г»"),
    ]
    write_register(tmp_path / "registry", firms)
    research_run_execute(
        run=research_run_create(
            classification=classifications["ru-minec-16"],
            parameters={"min_organisations": 1},
        )
    )

    summary = demo_community_load(user=admin_user, today=TODAY)

    assert summary.notes == []
    added = CommunityMembership.objects.filter(
        status=CommunityMembership.Status.CANDIDATE
    )
    # The first of each sector in Yaroslavl and Kuzbass; Tatarstan is not one of
    # the agreement regions.
    assert sorted(added.values_list("organisation__inn", "community__name")) == [
        (company_inn(3, "42"), "Креативные предприниматели Кузбасса"),
        (company_inn(1, "76"), "Креативные пространства Ярославской области"),
    ]
    assert Organisation.objects.get(inn=company_inn(1, "76")).full_name == "ООО «А»"
    # Loaded again, the leaders are linked, not added twice.
    assert not demo_community_load(user=admin_user, today=TODAY).created
