from datetime import date

import pytest

from creative_regions.community import services
from creative_regions.community.models import Consent, Organisation
from creative_regions.geo.models import Region
from creative_regions.registry.importer import run_import
from creative_regions.registry.services import registry_store
from tests.community.factories import company_inn
from tests.core.factories import UserFactory
from tests.e2e.conftest import screenshot, sign_in
from tests.registry.builders import document, member_name, register_file, write_zip

pytestmark = pytest.mark.e2e

STUDIO_INN = company_inn(1, region="16")


@pytest.fixture
def manager_account(reference_data):
    return UserFactory(username="manager", role="manager")


@pytest.fixture
def register(settings, tmp_path, reference_data):
    """The register knows the studio the test records: 4 employees in 2024, 9 in
    2025."""
    settings.DATA_DIR = tmp_path / "data"
    archives = []
    for index, (snapshot, headcount) in enumerate(
        (("10.01.2024", "4"), ("10.01.2025", "9"))
    ):
        studio = document(
            doc_id=f"studio-{index}",
            inn=STUDIO_INN,
            ogrn=None,
            region="16",
            snapshot=snapshot,
            included="01.08.2019",
            headcount=headcount,
            okved="74.10",
            name='ООО "СТУДИЯ ДИЗАЙНА"',
        )
        archives.append(
            write_zip(
                tmp_path / f"register-{index}.zip",
                {member_name(index): register_file([studio], file_id=f"f{index}")},
            )
        )
    run_import(archives, store=registry_store(), workers=1)


@pytest.fixture
def community(manager_account):
    """A few organisations of Tatarstan and a person with a career and consents."""
    tatarstan = Region.objects.get(code="16")
    for name, kind in (
        ("Министерство культуры Республики Татарстан", "regional_authority"),
        ("Креативный кластер «Штаб»", "creative_space"),
        ("Казанский федеральный университет", "education"),
    ):
        services.organisation_create(
            user=manager_account, full_name=name, kind=kind, region=tatarstan
        )
    person = services.person_create(
        user=manager_account,
        surname="Сёмина",
        first_name="Алёна",
        patronymic="Игоревна",
        position="Арт-директор",
        phone="+7 912 345-67-89",
        email="semina@example.org",
        region=tatarstan,
        expertise="Айдентика музеев и городских фестивалей.",
    )
    services.affiliation_add(
        user=manager_account,
        person=person,
        organisation=Organisation.objects.get(full_name__startswith="Креативный"),
        role="Куратор",
        started_on=date(2021, 9, 1),
    )
    services.affiliation_add(
        user=manager_account,
        person=person,
        organisation=Organisation.objects.get(full_name__startswith="Министерство"),
        role="Советник министра",
        started_on=date(2024, 3, 1),
        end_current=True,
    )
    services.consent_record(
        user=manager_account,
        person=person,
        purpose=Consent.Purpose.MAILING,
        given_on=date(2024, 3, 1),
        channel=Consent.Channel.PAPER,
    )
    return person


def test_a_bad_inn_is_explained_fixed_and_the_organisation_found_by_filtering(
    page, manager_account, register, community
):
    sign_in(page, "manager")
    page.get_by_test_id("language-en").click()
    page.wait_for_load_state()
    page.goto("/community/organisations/")
    assert page.get_by_test_id("organisation-count").inner_text() == "3 organisations"

    page.get_by_test_id("organisation-create").click()
    page.wait_for_url("**/organisations/create/")
    page.get_by_label("Full name").fill("ООО «Студия дизайна»")
    page.get_by_label("Kind").select_option("company")
    page.get_by_label("INN", exact=True).fill("7707083890")
    page.get_by_label("Region").select_option(label="Tatarstan")
    page.get_by_label("City").fill("Казань")
    page.get_by_label("Design (ru-minec-16)", exact=True).check()
    page.get_by_role("button", name="Add the organisation").click()

    error = page.get_by_test_id("error-inn")
    assert error.inner_text() == "INN failed its checksum: check the digits."
    assert page.get_by_label("INN", exact=True).get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Full name").input_value() == "ООО «Студия дизайна»"
    assert page.get_by_label("Design (ru-minec-16)", exact=True).is_checked()
    screenshot(page, "community-organisation-form-error-en")

    page.get_by_label("INN", exact=True).fill(STUDIO_INN)
    page.get_by_role("button", name="Add the organisation").click()
    page.wait_for_url("**/community/organisations/*/")
    assert page.locator("h1").inner_text().startswith("ООО «Студия дизайна»")
    assert page.get_by_test_id("register-category").inner_text() == "micro"
    assert "Design" in page.locator("main").inner_text()

    breadcrumb = page.get_by_role("navigation", name="breadcrumb")
    breadcrumb.get_by_role("link", name="Organisations").click()
    page.wait_for_url("**/community/organisations/")
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Kind").select_option("company")
    page.get_by_test_id("organisation-count").filter(
        has_text="1 organisation"
    ).wait_for()
    assert "kind=company" in page.url

    page.get_by_label("Kind").select_option("")
    page.get_by_test_id("organisation-count").filter(
        has_text="4 organisations"
    ).wait_for()
    page.get_by_role("searchbox", name="Search").fill("студия")
    # The address changes once the results are in: the filter can be shared.
    page.wait_for_function("new URLSearchParams(location.search).get('q') === 'студия'")
    assert page.get_by_test_id("organisation-count").inner_text() == "1 organisation"
    assert page.evaluate("window.notReloaded") is True
    assert page.get_by_role("link", name="ООО «Студия дизайна»").is_visible()

    # A column header sorts in place, and the next filter keeps that order.
    page.get_by_role("searchbox", name="Search").fill("")
    page.get_by_test_id("organisation-count").filter(
        has_text="4 organisations"
    ).wait_for()
    table = page.get_by_test_id("organisation-table")
    table.get_by_role("link", name="Name").click()
    page.wait_for_url("**sort=-name**")
    page.locator("th[aria-sort=descending]").wait_for()
    first_column = table.locator("tbody tr td:first-child a")
    assert first_column.first.inner_text() == "ООО «Студия дизайна»"
    page.get_by_label("Kind").select_option("regional_authority")
    page.get_by_test_id("organisation-count").filter(
        has_text="1 organisation"
    ).wait_for()
    assert "sort=-name" in page.url and "kind=regional_authority" in page.url
    assert page.evaluate("window.notReloaded") is True
    screenshot(page, "community-organisations-filtered-en")

    page.get_by_label("Kind").select_option("")
    page.get_by_role("searchbox", name="Search").fill("студия")
    page.get_by_role("link", name="ООО «Студия дизайна»").click()
    page.wait_for_url("**/community/organisations/*/")
    assert page.get_by_test_id("register-employees").inner_text().count("\n") >= 2


def test_russian_pages_of_organisations_and_people(
    page, manager_account, register, community
):
    services.organisation_create(
        user=manager_account,
        full_name="ООО «Студия дизайна»",
        kind="company",
        region=Region.objects.get(code="16"),
        inn=STUDIO_INN,
        city="Казань",
        website="studio.example",
        telegram="@studio_design",
        sectors=["Дизайн"],
        tags=["якорь", "экспорт"],
    )
    sign_in(page, "manager")

    page.goto("/community/organisations/")
    screenshot(page, "community-organisations-ru")
    page.get_by_role("link", name="ООО «Студия дизайна»").click()
    page.get_by_test_id("register-facts").wait_for()
    screenshot(page, "community-organisation-ru")

    page.goto("/community/people/")
    screenshot(page, "community-people-ru")
    page.get_by_role("link", name="Сёмина Алёна Игоревна").click()
    page.get_by_test_id("consents").wait_for()
    screenshot(page, "community-person-ru")

    page.goto("/community/people/?region=16")
    page.get_by_test_id("person-export").click()
    # The purpose's change event is HTMX's only once the export page has loaded.
    page.wait_for_url("**/people/export/**")
    page.wait_for_load_state("load")
    page.locator("select[name=purpose]").select_option("events")
    page.get_by_test_id("export-preview").wait_for()
    assert "purpose=events" in page.url
    assert page.get_by_test_id("excluded-people").is_visible()
    screenshot(page, "community-people-export-ru")
