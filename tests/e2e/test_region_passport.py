"""A user opens a region's passport from the region page and asks how a figure is
computed; in Russian, then in English."""

import pytest

from creative_regions.research.models import Classification
from creative_regions.research.services import (
    research_run_create,
    research_run_execute,
)
from tests.e2e.conftest import screenshot, sign_in
from tests.research.test_engine import write_register
from tests.research.test_region_passport import FIRMS

pytestmark = pytest.mark.e2e


@pytest.fixture
def research_run(settings, tmp_path, analyst_account):
    settings.DATA_DIR = tmp_path
    write_register(tmp_path / "registry", FIRMS)
    run = research_run_create(
        classification=Classification.objects.get(key="ru-minec-16"),
        parameters={"min_organisations": 2},
    )
    return research_run_execute(run=run)


def test_passport_figure_leads_to_its_formula_and_inputs(page, research_run):
    sign_in(page, "analyst")
    page.goto("/regions/16/")

    page.get_by_test_id("passport-link").click()
    page.wait_for_url("**/research/regions/16/")
    assert (
        page.get_by_test_id("growth-point-sentence").inner_text().startswith("Дизайн:")
    )
    assert page.get_by_test_id("chart-quadrants").locator("circle").count() == 2
    assert page.get_by_test_id("concentration-warning").count() == 2
    screenshot(page, "passport-ru")

    page.get_by_test_id("growth-point").get_by_test_id("how-link").nth(1).click()
    page.wait_for_url("**/research/methodology/**#lq")

    steps = page.get_by_test_id("computation-steps")
    assert steps.is_visible()
    assert "= (134 / 300) / (448 / 1\u202f812)" in steps.inner_text()
    assert "= 1,807" in steps.inner_text()
    screenshot(page, "methodology-lq-ru")


def test_english_passport_reads_in_english_numbers(page, research_run):
    sign_in(page, "analyst")
    page.get_by_test_id("language-en").click()
    page.wait_for_load_state()

    page.goto("/research/regions/16/")

    sentence = page.get_by_test_id("growth-point-sentence").inner_text()
    assert sentence == (
        "Design: employment +34\u00a0% against +12\u00a0% in Russia, LQ 1.8 — "
        "a growth point"
    )
    screenshot(page, "passport-en")

    page.get_by_test_id("sector-table").get_by_test_id("how-link").first.click()
    page.wait_for_url("**/research/methodology/**")
    assert page.get_by_test_id("computation").is_visible()
    screenshot(page, "methodology-en")
