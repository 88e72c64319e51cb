"""Exports of the lists: organisations as they are, people only with consent for
the purpose chosen, every people export written to the personal-data log."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from creative_regions.community.models import Consent, Organisation
from creative_regions.core.models import PersonalDataExport
from tests.community.factories import ConsentFactory, OrganisationFactory, PersonFactory
from tests.community.pages import sector, sign_in, tag

pytestmark = pytest.mark.django_db

PEOPLE_EXPORT = reverse("community:person-export")


def organisation_export(file_format: str) -> str:
    return reverse("community:organisation-export", args=[file_format])


def read_xlsx(response) -> list[list]:
    workbook = load_workbook(io.BytesIO(response.content))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


@pytest.fixture
def organisations(regions, classifications):
    studio = OrganisationFactory(
        full_name="ООО «Студия Ёлка»",
        short_name="Студия Ёлка",
        inn="7707083893",
        city="Казань",
        website="https://elka.example",
    )
    studio.sectors.add(sector("Дизайн", "Design"))
    studio.tags.add(tag("якорь"))
    OrganisationFactory(
        full_name="Министерство культуры",
        kind=Organisation.Kind.REGIONAL_AUTHORITY,
        inn=None,
    )
    OrganisationFactory(full_name="Карельский центр", region=regions["10"])
    return studio


ORGANISATION_HEADERS = [
    "Full name",
    "Short name",
    "Kind",
    "INN",
    "OGRN or OGRNIP",
    "Region code",
    "Region",
    "City",
    "Address",
    "Website",
    "Telegram",
    "VK",
    "Creative sectors",
    "Tags",
    "Status",
    "Description",
]


def test_the_organisations_export_has_every_column_and_the_lists_filter(
    client, manager, organisations
):
    sign_in(client, manager)

    response = client.get(organisation_export("xlsx"), {"region": "16"})

    rows = read_xlsx(response)
    assert response["Content-Disposition"] == (
        'attachment; filename="organisations.xlsx"'
    )
    assert rows[0] == ORGANISATION_HEADERS
    assert rows[1:] == [
        [
            "Министерство культуры",
            None,
            "Regional authority",
            None,
            None,
            "16",
            "Tatarstan",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "Active",
            None,
        ],
        [
            "ООО «Студия Ёлка»",
            "Студия Ёлка",
            "Company",
            "7707083893",
            None,
            "16",
            "Tatarstan",
            "Казань",
            None,
            "https://elka.example",
            None,
            None,
            "Design",
            "якорь",
            "Active",
            None,
        ],
    ]
    # Organisations are not personal data: nothing to log.
    assert not PersonalDataExport.objects.exists()


def test_the_organisations_csv_follows_the_search_and_sort(
    client, manager, organisations
):
    sign_in(client, manager)

    response = client.get(organisation_export("csv"), {"sort": "-name"})
    searched = client.get(organisation_export("csv"), {"q": "ёлка"})

    rows = read_csv(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert rows[0] == ORGANISATION_HEADERS
    assert [row[0] for row in rows[1:]] == [
        "ООО «Студия Ёлка»",
        "Министерство культуры",
        "Карельский центр",
    ]
    assert [row[0] for row in read_csv(searched)[1:]] == ["ООО «Студия Ёлка»"]


def test_a_partners_organisations_export_holds_their_regions_only(
    client, partner_karelia, organisations
):
    sign_in(client, partner_karelia)

    rows = read_csv(client.get(organisation_export("csv")))
    asked_for_another = read_csv(
        client.get(organisation_export("csv"), {"region": "16"})
    )

    assert [row[0] for row in rows[1:]] == ["Карельский центр"]
    assert asked_for_another[1:] == []


def test_an_unknown_format_or_a_bad_filter_is_refused(client, manager, organisations):
    sign_in(client, manager)

    unknown = client.get("/community/organisations/export.pdf")
    bad = client.get(organisation_export("xlsx"), {"region": "Татарстан"})

    assert unknown.status_code == 404
    assert bad.status_code == 400
    assert bad.content.decode() == "Region: A region code is two digits, e.g. 16."


# People -------------------------------------------------------------------------------


@pytest.fixture
def people(regions):
    """Consents for mailings: one in force, one withdrawn, one given for events
    only, one none at all; and a person of another region."""
    with_consent = PersonFactory(
        surname="Сёмина", first_name="Алёна", email="semina@example.org"
    )
    ConsentFactory(person=with_consent, purpose=Consent.Purpose.MAILING)
    withdrawn = PersonFactory(surname="Петров", first_name="Олег")
    ConsentFactory(
        person=withdrawn,
        purpose=Consent.Purpose.MAILING,
        withdrawn_on=date(2025, 2, 1),
    )
    other_purpose = PersonFactory(surname="Яковлева", first_name="Вера")
    ConsentFactory(person=other_purpose, purpose=Consent.Purpose.EVENTS)
    PersonFactory(surname="Андреев", first_name="Илья")
    karelian = PersonFactory(
        surname="Карельский", first_name="Пётр", region=regions["10"]
    )
    ConsentFactory(person=karelian, purpose=Consent.Purpose.MAILING)
    return with_consent


PEOPLE_HEADERS = [
    "Surname",
    "First name",
    "Patronymic",
    "Position",
    "Region",
    "Phone",
    "E-mail",
    "Telegram",
    "Roles",
]


def test_the_export_page_says_who_is_left_out_and_why(client, manager, people):
    sign_in(client, manager)

    response = client.get(PEOPLE_EXPORT, {"region": "16", "purpose": "mailing"})

    preview = response.context["preview"]
    assert (preview.total, preview.eligible, preview.excluded) == (4, 1, 3)
    assert [(reason.reason, reason.count) for reason in preview.reasons] == [
        ("no_consent", 2),
        ("withdrawn", 1),
    ]
    content = response.content.decode()
    assert "1 of 4 goes into the file for “News and mailings”." in content
    assert "3 people are left out:" in content
    assert "No consent for this purpose is recorded. — 2" in content
    assert "The consent for this purpose was withdrawn. — 1" in content
    assert "1 February 2025" in content
    # Looking is not exporting.
    assert not PersonalDataExport.objects.exists()


def test_the_export_holds_only_people_with_consent_and_is_logged(
    client, manager, people
):
    sign_in(client, manager)

    response = client.get(
        PEOPLE_EXPORT, {"region": "16", "purpose": "mailing", "file_format": "xlsx"}
    )

    rows = read_xlsx(response)
    assert response["Content-Disposition"] == (
        'attachment; filename="people-mailing.xlsx"'
    )
    assert response["X-Excluded-Count"] == "3"
    assert rows[0] == PEOPLE_HEADERS
    assert [row[:2] for row in rows[1:]] == [["Сёмина", "Алёна"]]
    assert rows[1][6] == "semina@example.org"
    entry = PersonalDataExport.objects.get()
    assert (
        entry.user,
        entry.dataset,
        entry.query,
        entry.row_count,
        entry.purpose,
        entry.file_format,
    ) == (manager, "community.person", "region=16", 1, "mailing", "xlsx")


def test_the_csv_export_follows_the_lists_filter_and_is_logged_too(
    client, manager, people
):
    sign_in(client, manager)

    response = client.get(
        PEOPLE_EXPORT, {"q": "семина", "purpose": "mailing", "file_format": "csv"}
    )

    rows = read_csv(response)
    assert rows[0] == PEOPLE_HEADERS
    assert [row[0] for row in rows[1:]] == ["Сёмина"]
    entry = PersonalDataExport.objects.get()
    assert (entry.query, entry.row_count, entry.file_format) == (
        "q=%D1%81%D0%B5%D0%BC%D0%B8%D0%BD%D0%B0",
        1,
        "csv",
    )


def test_an_export_without_a_purpose_is_refused_and_not_logged(client, manager, people):
    sign_in(client, manager)

    response = client.get(PEOPLE_EXPORT, {"purpose": "", "file_format": "xlsx"})

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "purpose": ["Choose the purpose of the export."]
    }
    assert "Choose the purpose of the export." in response.content.decode()
    assert not PersonalDataExport.objects.exists()


def test_the_export_page_carries_the_lists_filter(client, manager, people):
    sign_in(client, manager)

    response = client.get(PEOPLE_EXPORT, {"region": "16", "consent": "mailing"})

    content = response.content.decode()
    assert response.context["total"] == 1
    assert '<input type="hidden" name="region" value="16">' in content
    assert '<input type="hidden" name="consent" value="mailing">' in content
    assert "Region: Tatarstan" in content


def test_a_partners_people_export_holds_their_regions_only(
    client, partner_karelia, people
):
    sign_in(client, partner_karelia)

    response = client.get(PEOPLE_EXPORT, {"purpose": "mailing", "file_format": "csv"})
    preview = client.get(PEOPLE_EXPORT, {"purpose": "mailing"}).context["preview"]

    assert [row[0] for row in read_csv(response)[1:]] == ["Карельский"]
    assert (preview.total, preview.eligible, preview.excluded) == (1, 1, 0)
    entry = PersonalDataExport.objects.get()
    assert (entry.user, entry.row_count) == (partner_karelia, 1)


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"purpose": "mailing"},
        {"purpose": "mailing", "file_format": "xlsx"},
        {"purpose": "mailing", "file_format": "csv"},
    ],
    ids=["page", "preview", "xlsx", "csv"],
)
def test_an_expert_may_not_export_people(client, expert, people, query):
    sign_in(client, expert)

    response = client.get(PEOPLE_EXPORT, query)

    assert response.status_code == 403
    assert "semina@example.org" not in response.content.decode("utf-8", "ignore")
    assert not PersonalDataExport.objects.exists()


@pytest.mark.parametrize(
    "account,can_export",
    [
        ("expert", False),
        ("manager", True),
        ("analyst", True),
        ("admin_user", True),
        ("partner_tatarstan", True),
    ],
)
@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}])
def test_the_export_button_shows_only_to_those_who_may_export(
    client, request, people, account, can_export, headers
):
    sign_in(client, request.getfixturevalue(account))

    listing = client.get(reverse("community:person-list"), headers=headers)
    export_page = client.get(PEOPLE_EXPORT)

    assert listing.status_code == 200
    assert "Сёмина Алёна" in listing.content.decode()
    assert ('data-testid="person-export"' in listing.content.decode()) is can_export
    assert export_page.status_code == (200 if can_export else 403)
