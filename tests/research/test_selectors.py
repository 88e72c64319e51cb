"""Reads of research results: the leaders of a region, in order and within a
partner's regions."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from creative_regions.registry.schema import SOURCE_FNS_RSMP
from creative_regions.research.models import LeaderRow, ResearchRun
from creative_regions.research.selectors import research_leader_list
from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db

DESIGN, FASHION, THEATRE = "Дизайн", "Мода", "Исполнительские искусства"


def make_run(classifications) -> ResearchRun:
    return ResearchRun.objects.create(
        classification_version=classifications["ru-minec-16"].active_version,
        source=SOURCE_FNS_RSMP,
        base_snapshot=date(2022, 1, 10),
        target_snapshot=date(2025, 1, 10),
        status=ResearchRun.Status.SUCCEEDED,
    )


def make_leader(run, regions, code: str, sector: str, rank: int) -> LeaderRow:
    return LeaderRow.objects.create(
        run=run,
        region_code=code,
        region=regions[code],
        sector=sector,
        rank=rank,
        inn=f"{code}{sector[:2]}{rank}",
        name=f"{sector} №{rank}",
        employees=100 - rank,
        share=0.1,
        anchor=rank == 1,
        growing=False,
    )


@pytest.fixture
def run(regions, classifications):
    """Leaders of Yaroslavl (76) in three sectors, written out of order, and of
    Tatarstan (16); another run has leaders in Yaroslavl too."""
    run = make_run(classifications)
    for code, sector, rank in [
        ("76", THEATRE, 2),
        ("76", DESIGN, 3),
        ("16", DESIGN, 1),
        ("76", FASHION, 1),
        ("76", DESIGN, 1),
        ("76", THEATRE, 1),
        ("76", DESIGN, 2),
    ]:
        make_leader(run, regions, code, sector, rank)
    make_leader(make_run(classifications), regions, "76", DESIGN, 1)
    return run


def leaders(queryset) -> list[tuple[str, str, int]]:
    return [(row.region_code, row.sector, row.rank) for row in queryset]


def test_leaders_of_a_region_come_by_sector_then_rank(run):
    assert leaders(research_leader_list(run=run, region_code="76")) == [
        ("76", DESIGN, 1),
        ("76", DESIGN, 2),
        ("76", DESIGN, 3),
        ("76", THEATRE, 1),
        ("76", THEATRE, 2),
        ("76", FASHION, 1),
    ]


def test_leaders_of_one_sector_of_a_region_come_by_rank(run):
    assert leaders(research_leader_list(run=run, region_code="76", sector=DESIGN)) == [
        ("76", DESIGN, 1),
        ("76", DESIGN, 2),
        ("76", DESIGN, 3),
    ]


@pytest.mark.parametrize(
    ("region_code", "sector"), [("76", "Кино"), ("77", None), ("77", DESIGN)]
)
def test_a_region_or_sector_without_leaders_has_none(run, region_code, sector):
    assert not research_leader_list(run=run, region_code=region_code, sector=sector)


@pytest.mark.parametrize(
    ("user", "sees"),
    [
        ("anonymous", False),
        ("partner_tatarstan", False),
        ("partner_yaroslavl", True),
        ("expert", True),
        ("manager", True),
        ("analyst", True),
        (None, True),
    ],
)
def test_partner_gets_the_leaders_of_their_regions_only(
    request, regions, run, user, sees
):
    if user == "anonymous":
        user = AnonymousUser()
    elif user == "partner_yaroslavl":
        user = UserFactory(role="partner")
        user.regions.set([regions["76"]])
    elif user is not None:
        user = request.getfixturevalue(user)

    rows = research_leader_list(run=run, region_code="76", sector=DESIGN, user=user)

    expected = [("76", DESIGN, 1), ("76", DESIGN, 2), ("76", DESIGN, 3)]
    assert leaders(rows) == (expected if sees else [])


def test_partner_of_two_regions_gets_each_of_them(regions, run):
    partner = UserFactory(role="partner")
    partner.regions.set([regions["16"], regions["76"]])

    assert leaders(research_leader_list(run=run, region_code="16", user=partner)) == [
        ("16", DESIGN, 1)
    ]
    assert len(research_leader_list(run=run, region_code="76", user=partner)) == 6


def test_leaders_of_a_region_take_one_query(regions, run, django_assert_num_queries):
    partner = UserFactory(role="partner")
    partner.regions.set([regions["76"]])

    with django_assert_num_queries(1):
        rows = list(research_leader_list(run=run, region_code="76", user=partner))

    assert len(rows) == 6
