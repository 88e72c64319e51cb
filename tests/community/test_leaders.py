"""Industry leaders of a region passport added to the community in one click:
one leader, or every leader of a sector, with the register's facts."""

from __future__ import annotations

import pytest
from django.template import RequestContext, Template
from django.test import Client
from django.urls import reverse

from creative_regions.community.models import Organisation
from creative_regions.community.views_leaders import Leader, leader_add, sector_key
from creative_regions.core.templatetags.core_extensions import has_extensions
from creative_regions.research.services import (
    research_run_create,
    research_run_execute,
)
from tests.community.factories import OrganisationFactory, company_inn
from tests.core.factories import UserFactory
from tests.research.test_engine import Firm, write_register

pytestmark = pytest.mark.django_db

DESIGN, THEATRE = "Дизайн", "Исполнительские искусства"
STUDIO_A, STUDIO_B, STUDIO_C = (company_inn(n, "76") for n in (1, 2, 3))
THEATRE_INN = company_inn(4, "76")
KAZAN_STUDIO = company_inn(5, "16")
# Yaroslavl (76): three design studios and a theatre; Tatarstan (16): a studio.
FIRMS = [
    Firm(STUDIO_A, "76", "74.10", base=100, target=120, name="ООО «МЕГА-АРТ ДИЗАЙН»"),
    Firm(STUDIO_B, "76", "74.10", base=70, target=80, name="ООО «РЫБИНСК ДИЗАЙН»"),
    Firm(STUDIO_C, "76", "74.10", base=30, target=40, name="ООО «ВОЛГА СТУДИЯ»"),
    Firm(THEATRE_INN, "76", "90.01", base=20, target=25, name="ООО «ТЕАТР НА ВОЛГЕ»"),
    Firm(KAZAN_STUDIO, "16", "74.10", base=50, target=60, name="ООО «КАЗАНЬ ДИЗАЙН»"),
]
ADD_URL = reverse("community:leader-add")
SECTOR_URL = reverse("community:leader-sector-add")


@pytest.fixture
def run(settings, tmp_path, regions, classifications):
    settings.DATA_DIR = tmp_path
    write_register(tmp_path / "registry", FIRMS)
    created = research_run_create(
        classification=classifications["ru-minec-16"],
        parameters={"min_organisations": 2},
    )
    return research_run_execute(run=created)


@pytest.fixture
def client(client):
    """Pages and messages in English, the source text the assertions use."""
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def partner_yaroslavl(regions):
    user = UserFactory(role="partner")
    user.regions.set([regions["76"]])
    return user


def passport_url(code: str = "76") -> str:
    return reverse("research:region-passport", kwargs={"code": code})


def add_one(client, run, inn=STUDIO_A, region="76", sector=DESIGN, **headers):
    data = {"run": run.pk, "region": region, "sector": sector, "inn": inn}
    return client.post(ADD_URL, data, headers=headers)


def add_sector(client, run, region="76", sector=DESIGN):
    data = {"run": run.pk, "region": region, "sector": sector}
    return client.post(SECTOR_URL, data)


def test_one_click_creates_the_organisation_with_its_register_facts(
    client, manager, run, regions
):
    client.force_login(manager)

    response = add_one(client, run)

    assert response.status_code == 302
    assert response["Location"] == f"{passport_url()}?run={run.pk}#leaders"
    organisation = Organisation.objects.get()
    assert organisation.inn == STUDIO_A
    assert organisation.full_name == "ООО «МЕГА-АРТ ДИЗАЙН»"
    assert organisation.kind == Organisation.Kind.COMPANY
    assert organisation.region == regions["76"]
    assert [sector.name for sector in organisation.sectors.all()] == [DESIGN]
    assert organisation.history.get().history_user == manager
    messages = [str(message) for message in response.wsgi_request._messages]
    assert messages == [
        "“ООО «МЕГА-АРТ ДИЗАЙН»” was added to the community with its register facts."
    ]


def test_after_adding_the_leader_row_links_to_the_organisation(client, manager, run):
    client.force_login(manager)
    add_one(client, run)
    organisation = Organisation.objects.get()

    content = client.get(passport_url()).content.decode()

    detail = reverse("community:organisation-detail", args=[organisation.pk])
    assert content.count('data-testid="leader-in-community"') == 1
    assert f'<a href="{detail}" class="link-success"' in content
    assert "in the community" in content
    # The two other studios and the theatre still have their button.
    assert content.count('data-testid="leader-add"') == 3


def test_clicking_again_links_the_organisation_without_a_duplicate(
    client, manager, run
):
    client.force_login(manager)
    add_one(client, run)
    client.get(passport_url())  # shows, and so clears, the first click's message

    response = add_one(client, run)

    assert response.status_code == 302
    assert Organisation.objects.filter(inn=STUDIO_A).count() == 1
    messages = [str(message) for message in response.wsgi_request._messages]
    assert messages == ["“ООО «МЕГА-АРТ ДИЗАЙН»” is already in the community."]


def test_a_leader_recorded_by_hand_is_linked_and_gets_the_sector(
    client, manager, run, regions
):
    recorded = OrganisationFactory(
        inn=STUDIO_B, full_name="Рыбинск Дизайн", region=regions["76"]
    )
    client.force_login(manager)

    add_one(client, run, inn=STUDIO_B)

    assert list(Organisation.objects.values_list("pk", flat=True)) == [recorded.pk]
    recorded.refresh_from_db()
    assert recorded.full_name == "Рыбинск Дизайн"
    assert [sector.name for sector in recorded.sectors.all()] == [DESIGN]


def test_add_all_leaders_of_the_sector(client, manager, run):
    client.force_login(manager)
    add_one(client, run, inn=STUDIO_C)
    client.get(passport_url())

    response = add_sector(client, run)

    assert response.status_code == 302
    assert sorted(Organisation.objects.values_list("inn", flat=True)) == sorted(
        [STUDIO_A, STUDIO_B, STUDIO_C]
    )
    # Neither the theatre nor Tatarstan's studio: another sector, another region.
    messages = [str(message) for message in response.wsgi_request._messages]
    assert messages == [
        "2 leaders were added to the community.",
        "1 leader was already in the community.",
    ]
    content = client.get(passport_url()).content.decode()
    assert content.count('data-testid="leader-in-community"') == 3
    assert "Every leader of this sector is in the community." in content


def test_partner_of_this_region_adds_its_leaders(client, partner_yaroslavl, run):
    client.force_login(partner_yaroslavl)

    response = add_sector(client, run)

    assert response.status_code == 302
    assert Organisation.objects.count() == 3


def test_partner_of_another_region_is_refused(client, partner_tatarstan, run):
    client.force_login(partner_tatarstan)

    single = add_one(client, run)
    bulk = add_sector(client, run)

    assert single.status_code == 404
    assert bulk.status_code == 404
    assert not Organisation.objects.exists()


def test_expert_cannot_add_leaders(client, expert, run):
    client.force_login(expert)

    response = add_one(client, run)

    assert response.status_code == 403
    assert not Organisation.objects.exists()


def test_expert_sees_who_is_in_the_community_but_no_buttons(
    client, manager, expert, run
):
    client.force_login(manager)
    add_one(client, run)
    client.force_login(expert)

    content = client.get(passport_url()).content.decode()

    assert content.count('data-testid="leader-in-community"') == 1
    assert 'data-testid="leader-add"' not in content
    assert 'data-testid="leader-sector-add"' not in content


def test_anonymous_is_sent_to_sign_in(client, run):
    response = add_one(client, run)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))
    assert not Organisation.objects.exists()


def test_manager_sees_a_button_per_leader_and_per_sector(client, manager, run):
    client.force_login(manager)

    content = client.get(passport_url()).content.decode()

    # Design: three studios; performing arts: the theatre, alone in its sector,
    # so its row's button is all it needs.
    assert content.count('data-testid="leader-add"') == 4
    assert content.count('data-testid="leader-sector-add"') == 1
    assert "Add all leaders of this sector to the community" in content


def test_the_buttons_carry_the_pages_csrf_token(manager, run):
    # The row cells are rendered inside the passport without its request: the
    # token must still be the page's, or a browser's click is refused.
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(manager)
    content = browser.get(passport_url()).content.decode()
    cell = content[content.index(f'id="leader-community-{STUDIO_A}"') :]
    token = cell.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]

    data = {"run": run.pk, "region": "76", "sector": DESIGN, "inn": STUDIO_A}
    response = browser.post(ADD_URL, {**data, "csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert Organisation.objects.filter(inn=STUDIO_A).exists()


def test_htmx_click_returns_the_row_cell(client, manager, run):
    client.force_login(manager)

    response = add_one(client, run, HX_Request="true")

    assert response.status_code == 200
    content = response.content.decode()
    organisation = Organisation.objects.get()
    assert content.startswith(f'<div id="leader-community-{STUDIO_A}"')
    assert reverse("community:organisation-detail", args=[organisation.pk]) in content
    assert "HX-Request" in response["Vary"]
    # The sector's button now counts the two studios left, swapped out of band.
    assert f'<div id="leader-sector-{sector_key(DESIGN)}"' in content
    assert "Add the other 2 leaders of this sector to the community" in content


def test_htmx_sector_click_swaps_every_row_out_of_band(client, manager, run):
    client.force_login(manager)

    response = client.post(
        SECTOR_URL,
        {"run": run.pk, "region": "76", "sector": DESIGN},
        headers={"HX-Request": "true"},
    )

    content = response.content.decode()
    assert "Every leader of this sector is in the community." in content
    assert (
        f'<div id="leader-sector-{sector_key(DESIGN)}" class="leader-sector-actions'
        in content
    )
    assert content.count('hx-swap-oob="true"') == 4
    for inn in (STUDIO_A, STUDIO_B, STUDIO_C):
        assert (
            f'<div id="leader-community-{inn}" class="leader-community" hx-swap-oob="true">'
            in content
        )


def test_a_firm_that_is_not_a_leader_of_the_sector_is_refused(client, manager, run):
    client.force_login(manager)

    response = add_one(client, run, inn=THEATRE_INN, sector=DESIGN)

    assert response.status_code == 404
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("inn", "region", "sector", "other_run"),
    [
        (KAZAN_STUDIO, "76", DESIGN, False),  # a leader of another region
        (STUDIO_A, "16", DESIGN, False),  # this region's leader, posted for another
        (STUDIO_A, "76", THEATRE, False),  # this sector's leader, posted for another
        (STUDIO_A, "76", DESIGN, True),  # a run without leaders
    ],
    ids=["other-region", "posted-for-other-region", "other-sector", "other-run"],
)
def test_a_hand_made_form_cannot_add_a_firm_that_is_not_a_leader_there(
    client, manager, run, classifications, inn, region, sector, other_run
):
    if other_run:
        run = research_run_create(classification=classifications["ru-minec-16"])
    client.force_login(manager)

    response = add_one(client, run, inn=inn, region=region, sector=sector)

    assert response.status_code == 404
    assert not Organisation.objects.exists()


def test_bad_input_names_the_field(client, manager, run):
    client.force_login(manager)

    response = client.post(ADD_URL, {"run": "latest", "region": "76"})

    assert response.status_code == 400
    assert response.content.decode() == (
        "research run: Enter a whole number.; sector: This field is required."
    )


def test_a_sector_the_community_does_not_know_still_adds_the_firm(
    manager, run, regions
):
    # A run of an older classification version may name a sector that no
    # active version has.
    leader = Leader(
        run_id=run.pk,
        region_code="76",
        sector="Сектор прежней версии",
        rank=1,
        inn=STUDIO_A,
        name="",
    )

    outcome = leader_add(user=manager, region=regions["76"], leader=leader)

    assert outcome.created and outcome.error == ""
    assert outcome.organisation.full_name == "ООО «МЕГА-АРТ ДИЗАЙН»"
    assert not outcome.organisation.sectors.exists()


def test_a_slot_no_app_fills_renders_nothing(rf, manager):
    request = rf.get("/")
    request.user = manager
    template = Template(
        '{% load core_extensions %}{% has_extensions "nowhere" as filled %}'
        '[{{ filled }}|{% extension_slot "nowhere" leader=1 %}]'
    )

    assert template.render(RequestContext(request)) == "[False|]"
    assert has_extensions("research.passport.leader") is True


@pytest.mark.parametrize("headers", [{}, {"HX_Request": "true"}])
def test_a_partner_is_not_told_that_another_region_records_the_leader(
    client, partner_yaroslavl, run, regions, headers
):
    elsewhere = OrganisationFactory(
        inn=STUDIO_A, full_name="Мега-Арт, московский офис", region=regions["77"]
    )
    client.force_login(partner_yaroslavl)

    response = add_one(client, run, **headers)
    if not headers:
        response = client.get(response["Location"])

    content = response.content.decode()
    assert (
        "A firm with this INN cannot be added to your regions&#x27; community. If it "
        "works in your region, ask the agency to add it."
    ) in content
    assert "another region" not in content
    assert "Мега-Арт, московский офис" not in content
    assert reverse("community:organisation-detail", args=[elsewhere.pk]) not in content
    assert list(Organisation.objects.all()) == [elsewhere]
