"""The region passport and the methodology page, on a small register written as
Parquet and a run computed from it; every expected number is worked out by hand
next to it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from creative_regions.research.passport import region_passport_get
from creative_regions.research.services import (
    research_run_create,
    research_run_execute,
)
from tests.research.test_engine import Firm, write_register

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
THIN = "\u202f"  # the Russian thousands separator
DESIGN, THEATRE = "Дизайн", "Исполнительские искусства"

# Tatarstan (16): two design studios (74.10) growing from 60 + 40 = 100 to
# 80 + 54 = 134 employees (+34 %), one theatre (90.01) of 10 → 12, a shop.
# Moscow (77): two design studios 200 + 100 = 300 → 210 + 104 = 314, two
# theatres 50 + 50 → 50 + 48, a shop.
FIRMS = [
    Firm("1600000001", "16", "74.10", base=60, target=80, name="СТУДИЯ А"),
    Firm("1600000002", "16", "74.10", base=40, target=54, name="СТУДИЯ Б"),
    Firm("1600000003", "16", "90.01", base=10, target=12, name="ТЕАТР"),
    Firm("1600000004", "16", "47.11", base=140, target=154),
    Firm("7700000001", "77", "74.10", base=200, target=210),
    Firm("7700000002", "77", "74.10", base=100, target=104),
    Firm("7700000003", "77", "90.01", base=50, target=50),
    Firm("7700000004", "77", "90.01", base=50, target=48),
    Firm("7700000005", "77", "47.11", base=1000, target=1100),
]
# Design in Russia: 100 + 300 = 400 → 134 + 314 = 448, growth 448 / 400 − 1 = +12 %.
# Every employee at the target: Tatarstan 80 + 54 + 12 + 154 = 300; Moscow
# 210 + 104 + 50 + 48 + 1100 = 1512; Russia 1812.
# LQ of Tatarstan's design = (134 / 300) / (448 / 1812) = 1.8066…
LQ_DESIGN = (134 / 300) / (448 / 1812)


@pytest.fixture
def run(settings, tmp_path, regions, classifications):
    settings.DATA_DIR = tmp_path
    write_register(tmp_path / "registry", FIRMS)
    # Two organisations are enough to classify a sector of this small register.
    created = research_run_create(
        classification=classifications["ru-minec-16"],
        parameters={"min_organisations": 2},
    )
    return research_run_execute(run=created)


def passport_url(code: str = "16") -> str:
    return reverse("research:region-passport", kwargs={"code": code})


def test_the_growth_point_is_explained_with_its_numbers_in_english(
    client, analyst, run
):
    client.force_login(analyst)
    client.cookies["django_language"] = "en"

    response = client.get(passport_url())

    assert response.status_code == 200
    points = response.context["passport"].growth_points
    assert [point.sentence for point in points] == [
        f"Design: employment +34{NBSP}% against +12{NBSP}% in Russia, "
        "LQ 1.8 — a growth point"
    ]
    assert points[0].line.cell.lq_employees == pytest.approx(LQ_DESIGN)
    assert "Design: employment +34" in response.content.decode()


def test_the_growth_point_has_russian_numbers_on_the_russian_page(client, analyst, run):
    client.force_login(analyst)

    response = client.get(passport_url())

    sentence = response.context["passport"].growth_points[0].sentence
    assert sentence.startswith("Дизайн:")
    assert f"+34{NBSP}%" in sentence and f"+12{NBSP}%" in sentence
    # A decimal comma, as Russian writes 1,8.
    assert "LQ 1,8 " in sentence


def test_the_growth_point_sentence_translation_in_russian(client, analyst, run):
    client.force_login(analyst)

    response = client.get(passport_url())

    assert response.context["passport"].growth_points[0].sentence == (
        f"Дизайн: занятость +34{NBSP}% против +12{NBSP}% по России, "
        "LQ 1,8 — точка роста"
    )


def test_headline_figures_compare_with_russia(client, analyst, run):
    client.force_login(analyst)
    client.cookies["django_language"] = "en"

    response = client.get(passport_url())

    passport = response.context["passport"]
    # Creative employees: Tatarstan 134 + 12 = 146 of 300; Russia 146 + 314 + 98
    # = 558 of 1812. Growth: (134 + 12) / (100 + 10) − 1 = +32.7 %.
    assert passport.totals.creative_employees == 146
    assert passport.nation.creative_employees == 558
    assert passport.totals.creative_share == pytest.approx(146 / 300)
    assert passport.totals.creative_growth == pytest.approx(146 / 110 - 1)
    content = response.content.decode()
    assert 'data-testid="figure-share">48.7' in content
    assert 'data-testid="figure-growth">+32.7' in content
    # Each region is the other's only peer, and they rank 1 and 2.
    assert [peer.code for peer in passport.peers] == ["77"]
    assert passport.ranked_regions == 2


def test_a_one_firm_sector_gets_a_concentration_warning(client, analyst, run):
    client.force_login(analyst)
    client.cookies["django_language"] = "en"

    response = client.get(passport_url())

    passport = response.context["passport"]
    # Design too: two studios, HHI = (100 · 80 / 134)² + (100 · 54 / 134)² = 5188.
    assert [line.sector for line in passport.concentrated] == [DESIGN, THEATRE]
    design, theatre = passport.concentrated
    assert design.cell.hhi_employees == pytest.approx(
        (100 * 80 / 134) ** 2 + (100 * 54 / 134) ** 2
    )
    # One firm of 12: HHI = (100 · 12 / 12)² = 10 000, share 100 %.
    assert theatre.cell.hhi_employees == pytest.approx(10_000)
    assert theatre.top_share == 1.0
    content = response.content.decode()
    assert f"the largest firm, ТЕАТР, holds 100{NBSP}% of the employees" in content
    assert "HHI 10,000" in content


def test_leaders_link_to_the_register_history(client, analyst, run):
    client.force_login(analyst)

    content = client.get(passport_url()).content.decode()

    assert reverse("registry:firm-history", args=["1600000001"]) in content
    assert "СТУДИЯ А" in content


def test_every_figure_links_to_its_formula_with_the_cell(client, analyst, run):
    client.force_login(analyst)

    content = client.get(passport_url()).content.decode()

    assert (
        f"/research/methodology/?run={run.pk}&amp;region=16&amp;sector="
        "%D0%94%D0%B8%D0%B7%D0%B0%D0%B9%D0%BD&amp;metric=lq_employees#lq"
    ) in content


def test_the_methodology_page_works_out_the_lq_of_a_cell(client, analyst, run):
    client.force_login(analyst)
    client.cookies["django_language"] = "en"

    response = client.get(
        reverse("research:methodology"),
        {"run": run.pk, "region": "16", "sector": DESIGN, "metric": "lq_employees"},
    )

    assert response.status_code == 200
    computation = response.context["computation"]
    assert [(item.symbol, item.value) for item in computation.inputs] == [
        ("X_ir", "134"),
        ("X_r", "300"),
        ("X_iN", "448"),
        ("X_N", "1,812"),
    ]
    assert computation.steps == [
        "LQ = (X_ir / X_r) / (X_iN / X_N)",
        "= (134 / 300) / (448 / 1,812)",
        "= 0.4467 / 0.2472",
        "= 1.807",
    ]
    assert computation.stored == "1.807"
    content = response.content.decode()
    assert "= (134 / 300) / (448 / 1,812)" in content
    assert 'id="lq" class="method-section is-current"' in content


def test_the_methodology_page_writes_russian_numbers(client, analyst, run):
    client.force_login(analyst)

    response = client.get(
        reverse("research:methodology"),
        {"run": run.pk, "region": "16", "sector": DESIGN, "metric": "lq_employees"},
    )

    assert f"= (134 / 300) / (448 / 1{THIN}812)" in response.content.decode()
    assert response.context["computation"].steps[-1] == "= 1,807"


def test_the_methodology_page_works_out_the_shift_share_of_a_cell(client, analyst, run):
    client.force_login(analyst)
    client.cookies["django_language"] = "en"

    response = client.get(
        reverse("research:methodology"),
        {"run": run.pk, "region": "16", "sector": DESIGN, "metric": "shift_share"},
    )

    # g_N = 1812 / (300 + 1500 … base: 60+40+10+140 = 250, 200+100+50+50+1000 =
    # 1400) − 1 = 1812 / 1650 − 1; NS = 100 · g_N; RS = 100 · (0.34 − 0.12) = 22.
    steps = response.context["computation"].steps
    national_growth = 1812 / 1650 - 1
    assert (
        steps[1] == f"NS = X_ir,t0 · g_N = 100 · 0.0982 = +{100 * national_growth:.2f}"
    )
    assert steps[3] == "RS = X_ir,t0 · (g_ir − g_iN) = 100 · (0.3400 − 0.1200) = +22.00"
    assert steps[4].endswith("= +34")


@pytest.mark.parametrize(
    "metric",
    [
        "lq_organisations",
        "growth_employees",
        "cagr_employees",
        "cagr_organisations",
        "hhi",
        "cr3",
        "cr5",
        "growth_class",
        "cluster_stars",
        "structure",
        "coverage",
    ],
)
def test_the_methodology_page_works_out_every_cell_figure(client, analyst, run, metric):
    client.force_login(analyst)

    response = client.get(
        reverse("research:methodology"),
        {"run": run.pk, "region": "16", "sector": DESIGN, "metric": metric},
    )

    assert response.status_code == 200
    assert response.context["computation"].steps


@pytest.mark.parametrize(
    "metric",
    [
        "creative_organisations",
        "creative_employees",
        "creative_share",
        "creative_growth",
        "index",
        "peers",
    ],
)
def test_the_methodology_page_works_out_every_region_figure(
    client, analyst, run, metric
):
    client.force_login(analyst)

    response = client.get(
        reverse("research:methodology"),
        {"run": run.pk, "region": "16", "metric": metric},
    )

    assert response.status_code == 200
    assert response.context["computation"].steps


def test_the_methodology_page_explains_a_leader(client, analyst, run):
    client.force_login(analyst)
    client.cookies["django_language"] = "en"

    response = client.get(
        reverse("research:methodology"),
        {
            "run": run.pk,
            "region": "16",
            "sector": DESIGN,
            "metric": "leader",
            "inn": "1600000001",
        },
    )

    # 80 of the sector's 134 employees; 80 / 60 − 1 = +33.3 % < the sector's 34 %.
    steps = response.context["computation"].steps
    assert steps[0] == f"share = q / X_ir = 80 / 134 = 59.7{NBSP}%"
    assert steps[-1] == "growing: growth ≥ g_ir → no"


def test_an_unknown_figure_is_refused_with_a_message(client, analyst, run):
    client.force_login(analyst)
    client.cookies["django_language"] = "en"

    response = client.get(
        reverse("research:methodology"),
        {"run": run.pk, "region": "16", "sector": "Нет такого", "metric": "lq"},
    )

    assert response.status_code == 400
    assert response.context["error"].startswith("Unknown figure “lq”")


@pytest.mark.parametrize(
    "who,status",
    [
        ("partner_karelia", 404),
        ("partner_tatarstan", 200),
        ("manager", 200),
        ("expert", 200),
    ],
)
def test_a_partner_sees_only_the_passport_of_their_region(
    client, request, run, who, status
):
    client.force_login(request.getfixturevalue(who))

    passport = client.get(passport_url("16"))
    methodology = client.get(
        reverse("research:methodology"),
        {"run": run.pk, "region": "16", "sector": DESIGN, "metric": "lq_employees"},
    )

    assert passport.status_code == status
    assert methodology.status_code == status


def test_a_partner_does_not_see_the_figures_of_peer_regions(
    client, partner_tatarstan, run
):
    client.force_login(partner_tatarstan)

    response = client.get(passport_url("16"))

    passport = response.context["passport"]
    assert [peer.totals for peer in passport.peers] == [None]
    assert 'href="/research/regions/77/' not in response.content.decode()


def test_anonymous_users_are_sent_to_sign_in(client, run):
    response = client.get(passport_url())

    assert response.status_code == 302


def test_the_page_says_what_to_do_when_no_run_has_finished(
    client, analyst, regions, classifications
):
    client.force_login(analyst)
    client.cookies["django_language"] = "en"

    response = client.get(passport_url())

    assert response.status_code == 200
    content = response.content.decode()
    assert "No research run has finished yet" in content
    assert "creative-regions research run" in content


def test_an_unknown_run_is_not_found(client, analyst, run):
    client.force_login(analyst)

    assert client.get(passport_url(), {"run": run.pk + 1}).status_code == 404
    assert client.get(passport_url(), {"run": "abc"}).status_code == 404


def test_the_region_page_links_to_the_passport(client, analyst, regions):
    client.force_login(analyst)

    content = client.get(reverse("geo:region-detail", args=["16"])).content.decode()

    assert f'href="{passport_url("16")}"' in content


def test_the_passport_takes_a_fixed_number_of_queries(
    analyst, run, regions, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        region_passport_get(user=analyst, region=regions["16"], run=run)
