"""The Russia page: the map by metric, the ranking under weights recomputed from the
stored sub-scores, the national sectors, the empty states and what a regional
partner sees, on a register of three regions small enough to rank by hand."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from creative_regions.geo.tile_map import HIGHLIGHT_FILL
from creative_regions.research.engine.compute import DAYS_PER_YEAR
from creative_regions.research.models import ResearchRun
from creative_regions.research.selectors import research_ranking_get
from creative_regions.research.services import (
    research_run_create,
    research_run_execute,
)
from tests.research.test_engine import BASE, TARGET, Firm, write_register

pytestmark = pytest.mark.django_db

URL = "/research/russia/"
YEARS = (TARGET - BASE).days / DAYS_PER_YEAR

# One creative sector (58.11, «Книжное дело») and one other (47.11) in each region.
# Creative employees at t0 → t1: Moscow 100 → 110, Tatarstan 20 → 40, Karelia
# 5 → 15; all employees at t1: 1110, 140 and 65 (the nation 1315, 165 creative).
FIRMS = [
    Firm("7700000001", "77", "58.11", base=100, target=110),
    Firm("7700000002", "77", "47.11", base=1000, target=1000),
    Firm("1600000001", "16", "58.11", base=20, target=40),
    Firm("1600000002", "16", "47.11", base=100, target=100),
    Firm("1000000001", "10", "58.11", base=5, target=15),
    Firm("1000000002", "10", "47.11", base=50, target=50),
]
# By hand, per sub-score, the regions from the highest to the lowest:
# - size (creative employees at t1): 110 > 40 > 15;
# - specialisation (creative share against the nation's 165 / 1315):
#   40 / 140 = 0.286 > 15 / 65 = 0.231 > 110 / 1110 = 0.099;
# - growth (CAGR of creative employees): ×3 > ×2 > ×1.1;
# - competitive shift (X_t0 · (g_ir − g_iN) / X_t0 with g_iN = 165 / 125 − 1 =
#   0.32): Karelia 2 − 0.32 = 1.68 > Tatarstan 1 − 0.32 = 0.68 > Moscow 0.1 −
#   0.32 = −0.22;
# - diversity: one sector everywhere, 1 − 1² = 0 for all: a tie.
ORDER = {
    "size": ["77", "16", "10"],
    "specialisation": ["16", "10", "77"],
    "growth": ["10", "16", "77"],
    "competitive_shift": ["10", "16", "77"],
}
SUB_SCORES = ("size", "specialisation", "growth", "competitive_shift", "diversity")


@pytest.fixture(autouse=True)
def store(settings, tmp_path, regions, classifications):
    settings.DATA_DIR = tmp_path
    write_register(tmp_path / "registry", FIRMS)


@pytest.fixture
def run(classifications):
    return research_run_execute(
        run=research_run_create(classification=classifications["ru-minec-16"])
    )


def only(sub_score: str) -> dict[str, str]:
    return {name: "1" if name == sub_score else "0" for name in SUB_SCORES}


def ranking_codes(content: str) -> list[str]:
    return re.findall(r'<tr data-region="(\d\d)">', content)


# The ranking under other weights ------------------------------------------------------


@pytest.mark.parametrize("sub_score", sorted(ORDER))
def test_all_weight_on_one_sub_score_orders_regions_by_it(
    client, analyst, run, sub_score
):
    client.force_login(analyst)

    response = client.get(URL, only(sub_score))

    ranking = response.context["ranking"]
    assert [row.region_code for row in ranking.rows] == ORDER[sub_score]
    assert [row.rank for row in ranking.rows] == [1, 2, 3]
    # The other weights stay 0 however the draws scale them: no range.
    assert [(row.rank_min, row.rank_max) for row in ranking.rows] == [
        (1, 1),
        (2, 2),
        (3, 3),
    ]
    assert ranking.is_reweighted
    content = response.content.decode()
    assert ranking_codes(content) == ORDER[sub_score]
    assert 'data-testid="rank-change"' in content


def test_the_index_under_one_weight_is_that_min_max_score(client, analyst, run):
    client.force_login(analyst)

    response = client.get(URL, only("size"))

    rows = response.context["ranking"].rows
    # (40 − 15) / (110 − 15) · 100 = 26.32 for Tatarstan.
    assert [row.index for row in rows] == pytest.approx([100, 2500 / 95, 0])
    assert '<td class="number fw-semibold">26,3</td>' in response.content.decode()


def test_tied_regions_share_the_better_rank(client, analyst, run):
    client.force_login(analyst)

    response = client.get(URL, only("diversity"))

    rows = response.context["ranking"].rows
    assert [(row.region_code, row.rank, row.index) for row in rows] == [
        ("10", 1, 0.0),
        ("16", 1, 0.0),
        ("77", 1, 0.0),
    ]


def test_reweighting_the_stored_scores_gives_what_the_engine_gives(
    analyst, run, classifications
):
    weighted_run = research_run_execute(
        run=research_run_create(
            classification=classifications["ru-minec-16"],
            parameters={"weights": {"size": 2, "growth": 1}},
        )
    )

    recomputed = research_ranking_get(
        run=run, user=analyst, weights={"size": 2, "growth": 1}
    )
    stored = research_ranking_get(run=weighted_run, user=analyst)

    assert recomputed.is_reweighted and not stored.is_reweighted
    assert [
        (row.region_code, row.index, row.rank, row.rank_min, row.rank_max)
        for row in recomputed.rows
    ] == [
        (row.region_code, row.index, row.rank, row.rank_min, row.rank_max)
        for row in stored.rows
    ]


def test_the_runs_own_weights_show_the_stored_ranking(client, analyst, run):
    client.force_login(analyst)

    response = client.get(URL, dict.fromkeys(SUB_SCORES, "7"))

    ranking = response.context["ranking"]
    assert not ranking.is_reweighted
    assert ranking.weights == pytest.approx(dict.fromkeys(SUB_SCORES, 0.2))
    assert 'data-testid="rank-change"' not in response.content.decode()


@pytest.mark.parametrize(
    "language,weights,errors,weights_errors",
    [
        (
            "en",
            dict.fromkeys(SUB_SCORES, "0"),
            {},
            ["At least one weight must be positive."],
        ),
        (
            "ru",
            dict.fromkeys(SUB_SCORES, "0"),
            {},
            ["Хотя бы один вес должен быть положительным."],
        ),
        (
            "en",
            {**only("size"), "growth": "-1"},
            {"growth": ["Ensure this value is greater than or equal to 0."]},
            [],
        ),
        ("en", {**only("size"), "size": "many"}, {"size": ["Enter a number."]}, []),
    ],
)
def test_bad_weights_are_named_and_the_runs_ranking_stays(
    client, analyst, run, language, weights, errors, weights_errors
):
    client.force_login(analyst)
    client.cookies["django_language"] = language

    response = client.get(URL, weights)

    form = response.context["form"]
    assert dict(form.errors) == errors
    assert list(form.weights_errors) == weights_errors
    assert not response.context["ranking"].is_reweighted
    assert response.status_code == 200


def test_weights_submitted_by_htmx_return_the_results_only(client, analyst, run):
    client.force_login(analyst)

    response = client.get(
        URL,
        {**only("growth"), "metric": "index"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="russia-results",
    )

    content = response.content.decode()
    assert "<html" not in content
    assert content.lstrip().startswith('<div id="russia-results">')
    assert ranking_codes(content) == ORDER["growth"]
    # The map follows the weights: the index under growth alone.
    values = {tile.code: tile.value for tile in response.context["map"].tiles}
    assert (values["10"], values["77"]) == (100, 0)
    assert "HX-Target" in response["Vary"]


# The map ---------------------------------------------------------------------------


def test_the_metric_switch_returns_the_map_partial(client, analyst, run):
    client.force_login(analyst)

    response = client.get(
        URL,
        {"metric": "creative_share"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="russia-map",
    )

    content = response.content.decode()
    assert response.templates[0].name == "research/partials/_russia_map.html"
    assert content.lstrip().startswith('<div id="russia-map">')
    assert "<html" not in content and 'id="russia-results"' not in content
    texts = {
        tile.code: tile.value_text
        for tile in response.context["map"].tiles
        if tile.value is not None
    }
    # 110 / 1110, 40 / 140 and 15 / 65 of the employees, in per cent.
    assert texts == {"77": "9,9", "16": "28,6", "10": "23,1"}
    assert 'href="/research/regions/16/"' in content


def test_the_map_of_growth_shows_the_cagr_of_creative_employment(client, analyst, run):
    client.force_login(analyst)
    client.cookies["django_language"] = "en"

    response = client.get(
        URL,
        {"metric": "creative_cagr"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="russia-map",
    )

    values = {
        tile.code: tile.value
        for tile in response.context["map"].tiles
        if tile.value is not None
    }
    assert values == pytest.approx(
        {
            "77": 100 * (1.1 ** (1 / YEARS) - 1),
            "16": 100 * (2 ** (1 / YEARS) - 1),
            "10": 100 * (3 ** (1 / YEARS) - 1),
        }
    )
    assert response.context["map"].title == "Growth of creative employment"


def test_an_unknown_metric_falls_back_to_the_share(client, analyst, run):
    client.force_login(analyst)

    response = client.get(URL, {"metric": "population"})

    assert response.context["metric"] == "creative_share"


# The national figures and sectors ------------------------------------------------------


def test_national_figures_and_sectors_in_the_readers_language(client, analyst, run):
    client.force_login(analyst)
    client.cookies["django_language"] = "en"

    response = client.get(URL)

    national = response.context["national"]
    assert (national.regions, national.creative_employees, national.employees) == (
        3,
        165,
        1315,
    )
    assert national.creative_share == pytest.approx(165 / 1315)
    assert national.creative_cagr == pytest.approx((165 / 125) ** (1 / YEARS) - 1)
    [sector] = response.context["sectors"]
    assert (sector.name, sector.organisations, sector.employees, sector.regions) == (
        "Book publishing",
        3,
        165,
        3,
    )
    assert sector.growth_employees == pytest.approx(165 / 125 - 1)
    content = response.content.decode()
    assert "Book publishing" in content and "+32.0\xa0%" in content


def test_sector_names_stay_russian_in_russian(client, analyst, run):
    client.force_login(analyst)

    response = client.get(URL)

    assert [sector.name for sector in response.context["sectors"]] == ["Книжное дело"]


# Who sees what --------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, run):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={URL}"


def test_a_partner_sees_the_nation_and_only_their_region(
    client, partner_tatarstan, run
):
    client.force_login(partner_tatarstan)

    response = client.get(URL, only("size"))

    ranking = response.context["ranking"]
    assert [(row.region_code, row.rank) for row in ranking.rows] == [("16", 2)]
    assert ranking.region_count == 3
    content = response.content.decode()
    assert ranking_codes(content) == ["16"]
    map_data = response.context["map"]
    assert [tile.code for tile in map_data.tiles if tile.href] == ["16"]
    assert {tile.code for tile in map_data.tiles if tile.value is not None} == {"16"}
    # A colour scale of one region compares it with nothing: highlighted instead.
    assert map_data.legend == []
    assert next(tile for tile in map_data.tiles if tile.code == "16").fill == (
        HIGHLIGHT_FILL
    )
    # National totals are aggregates of every region.
    assert response.context["national"].creative_employees == 165
    assert 'data-testid="partner-note"' in content
    # No way to the staff's pages of runs, but the downloads (of their rows).
    assert f'href="{reverse("research:run-list")}"' not in content
    assert f'href="{run.get_absolute_url()}"' not in content
    assert reverse("research:run-create") not in content
    assert f'href="/research/runs/{run.pk}/export/ranking.csv"' in content


def test_a_partner_of_another_region_sees_no_ranked_region(
    client, partner_karelia, run
):
    client.force_login(partner_karelia)

    response = client.get(URL)

    assert [row.region_code for row in response.context["ranking"].rows] == ["10"]
    assert "Москва" not in "".join(
        re.findall(r'<tr data-region="\d\d">.*?</tr>', response.content.decode(), re.S)
    )


@pytest.mark.parametrize(
    "role,can_start", [("analyst", True), ("manager", False), ("admin_user", True)]
)
def test_start_a_run_is_offered_to_those_who_may(client, request, run, role, can_start):
    client.force_login(request.getfixturevalue(role))

    content = client.get(URL).content.decode()

    assert (reverse("research:run-create") in content) is can_start
    assert reverse("research:run-list") in content


# Empty states ---------------------------------------------------------------------------


def test_without_a_run_an_analyst_is_told_to_start_one(client, analyst):
    client.force_login(analyst)
    client.cookies["django_language"] = "en"

    response = client.get(URL)

    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="russia-empty"' in content
    assert "No research run has finished yet." in content
    assert reverse("research:run-create") in content
    assert "creative-regions research run" in content


def test_without_a_run_a_partner_is_told_who_starts_one(client, partner_tatarstan):
    client.force_login(partner_tatarstan)
    client.cookies["django_language"] = "en"

    content = client.get(URL).content.decode()

    assert "An analyst starts a run" in content
    assert reverse("research:run-create") not in content


def test_a_run_still_queued_is_followed_not_shown(client, analyst, classifications):
    queued = research_run_create(classification=classifications["ru-minec-16"])
    client.force_login(analyst)
    client.cookies["django_language"] = "en"

    with translation.override("en"):
        response = client.get(URL, {"run": queued.pk})

    content = response.content.decode()
    assert f"Research run № {queued.pk} has no results: it is queued." in content
    assert queued.get_absolute_url() in content
    assert "ranking" not in response.context


def test_the_latest_successful_run_is_shown_unless_another_is_asked_for(
    client, analyst, run, classifications
):
    research_run_create(classification=classifications["ru-minec-16"])
    second = research_run_execute(
        run=research_run_create(classification=classifications["ru-minec-16"])
    )
    client.force_login(analyst)

    assert client.get(URL).context["run"] == second
    assert client.get(URL, {"run": run.pk}).context["run"] == run
    assert ResearchRun.objects.count() == 3


@pytest.mark.parametrize("value", ["abc", "999"])
def test_an_unknown_run_is_not_found(client, analyst, run, value):
    client.force_login(analyst)

    assert client.get(URL, {"run": value}).status_code == 404
