"""Imports of organisations and people from real CSV and XLSX files: the preview
writes nothing, the confirm writes what it showed, bad rows name their column,
and a second import of the same file changes nothing."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from creative_regions.community import services
from creative_regions.community.imports import (
    Fate,
    ImportChangedError,
    ImportMappingError,
    community_import_commit,
    community_import_preview,
    import_fields,
    import_mapping_guess,
    import_mapping_initial,
)
from creative_regions.community.models import (
    Affiliation,
    CommunityImport,
    Consent,
    Organisation,
    Person,
    Tag,
)
from creative_regions.core.exceptions import ApplicationError
from tests.community.factories import (
    ConsentFactory,
    OrganisationFactory,
    PersonFactory,
    company_inn,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "media_in_tmp")]

ORGANISATION_HEADER = ["ИНН", "Наименование", "Регион", "Город", "Сайт", "Теги"]
PERSON_HEADER = [
    "Фамилия",
    "Имя",
    "Отчество",
    "Регион",
    "Телефон",
    "E-mail",
    "Должность",
    "ИНН организации",
    "Согласие",
    "Дата согласия",
    "Способ получения согласия",
]


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows([header, *rows])
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in [header, *rows]:
        sheet.append(row)
    workbook.save(path)
    return path


def organisations_csv(folder: Path) -> Path:
    return write_csv(
        folder / "organisations.csv",
        ORGANISATION_HEADER,
        [
            [company_inn(1, "16"), "ООО «Дизайн-бюро»", "16", "Казань", "", "якорная"],
            ["1600000012", "ООО «Ошибка»", "16", "", "", ""],
            [
                company_inn(2, "16"),
                "АНО «Креативный кластер»",
                "Республика Татарстан",
                "Казань",
                "cluster.ru",
                "",
            ],
            [company_inn(3, "16"), "ООО «Марс»", "Марс", "", "", ""],
            ["", "Арт-пространство «Штаб»", "ТАТ", "Казань", "", ""],
            ["", "", "", "", "", ""],
            [company_inn(1, "16"), "ООО Дизайн-бюро", "Tatarstan", "", "", "экспорт"],
        ],
    )


def people_xlsx(folder: Path) -> Path:
    return write_xlsx(
        folder / "people.xlsx",
        PERSON_HEADER,
        [
            [
                "Иванова",
                "Анна",
                "Петровна",
                "16",
                "8 (912) 345-67-89",
                "anna@Example.ORG",
                "Директор",
                "",
                "рассылка, мероприятия",
                date(2025, 1, 10),
                "бумажная форма",
            ],
            ["Петров", "Пётр", "", "16", "12345", "", "", "", "", "", ""],
            ["Сидоров", "Олег", "", "16", "", "oleg@example.org", "", "", "", "", ""],
            ["Кузнецова", "Мария", "", "16", "", "", "", "", "рассылка", "", ""],
            [
                "Иванова",
                "Анна",
                "",
                "Татарстан",
                "+7 912 345 67 89",
                "",
                "Основатель",
                "",
                "",
                "",
                "",
            ],
        ],
    )


def counts() -> dict[str, int]:
    models = (Organisation, Person, Consent, Affiliation, Tag, CommunityImport)
    counted = {model.__name__: model.objects.count() for model in models}
    counted["history"] = (
        Organisation.history.count()
        + Person.history.count()
        + Consent.history.count()
        + Tag.history.count()
    )
    return counted


def fates(report) -> list[tuple[int, str]]:
    return [(row.row, row.fate) for row in report.rows]


# Mapping ---------------------------------------------------------------------------


def test_mapping_is_guessed_from_russian_headers():
    header = [
        "№ п/п",
        "ИНН",
        "Наименование организации",
        "Субъект РФ",
        "ОГРН",
        "Веб-сайт",
        "ВКонтакте",
        "Примечание",
    ]

    assert import_mapping_guess(kind="organisations", header=header) == {
        "inn": "ИНН",
        "full_name": "Наименование организации",
        "region": "Субъект РФ",
        "ogrn": "ОГРН",
        "website": "Веб-сайт",
        "vk": "ВКонтакте",
        "description": "Примечание",
    }


def test_people_headers_are_guessed_with_decorations_and_in_english():
    header = [
        "ФИО",
        "Телефон (мобильный)",
        "E-mail:",
        "Region",
        "Должность *",
        "Consent purpose",
        "Consent date",
    ]

    assert import_mapping_guess(kind="people", header=header) == {
        "full_name": "ФИО",
        "phone": "Телефон (мобильный)",
        "email": "E-mail:",
        "region": "Region",
        "position": "Должность *",
        "consent_purpose": "Consent purpose",
        "consent_date": "Consent date",
    }


KNOWN_HEADERS = [
    (kind, field.name, header)
    for kind in ("organisations", "people")
    for field in import_fields(kind)
    for header in field.headers
]


def decorate(header: str, data) -> str:
    """The header as people type it: any case, ё for е, stray spaces and
    punctuation, a note in brackets after it."""
    text = "".join(
        data.draw(st.sampled_from([letter.lower(), letter.upper()]))
        for letter in header
    )
    text = text.replace("е", data.draw(st.sampled_from(["е", "ё"])))
    text = data.draw(st.sampled_from(["", " ", "  ", "\t"])) + text
    text = text.replace(" ", data.draw(st.sampled_from([" ", "  ", " - ", "_"])))
    return text + data.draw(st.sampled_from(["", ":", " *", " (обязательно)", "."]))


@given(st.sampled_from(KNOWN_HEADERS), st.data())
def test_a_known_header_is_recognised_however_it_is_typed(known, data):
    kind, name, header = known
    typed = decorate(header, data)

    guessed = import_mapping_guess(kind=kind, header=["№", typed])

    assert guessed == {name: " ".join(typed.split())}


def test_a_column_feeds_one_field_and_the_first_column_of_a_field_wins():
    header = ["Наименование", "Название", "ИНН", "INN"]

    assert import_mapping_guess(kind="organisations", header=header) == {
        "full_name": "Наименование",
        "inn": "ИНН",
    }


def test_the_last_mapping_of_a_kind_is_remembered(manager, regions, tmp_path):
    table = write_csv(
        tmp_path / "a.csv",
        ["Код налогоплательщика", "Кто", "Где"],
        [[company_inn(1, "16"), "ООО «Альфа»", "16"]],
    )
    mapping = {"inn": "Код налогоплательщика", "full_name": "Кто", "region": "Где"}
    community_import_commit(
        user=manager, kind="organisations", path=table, mapping=mapping
    )

    header = ["Кто", "Где", "Код налогоплательщика", "Город"]
    assert import_mapping_initial(kind="organisations", header=header) == {
        "inn": "Код налогоплательщика",
        "full_name": "Кто",
        "region": "Где",
        "city": "Город",
    }
    assert import_mapping_initial(kind="people", header=header) == {}


def test_a_mapping_without_a_name_column_is_refused_by_field(manager, tmp_path):
    table = write_csv(tmp_path / "t.csv", ["ИНН", "Регион"], [["1", "16"]])

    with pytest.raises(ImportMappingError) as raised:
        community_import_preview(user=manager, kind="organisations", path=table)

    assert raised.value.errors == {
        "full_name": "Choose the column that holds the organisation's name."
    }


def test_a_chosen_column_missing_or_taken_twice_is_named(manager, tmp_path):
    table = write_csv(tmp_path / "t.csv", ["ИНН", "Имя", "Регион"], [["1", "А", "16"]])

    with pytest.raises(ImportMappingError) as raised:
        community_import_preview(
            user=manager,
            kind="organisations",
            path=table,
            mapping={"inn": "ИНН", "full_name": "Название", "region": "ИНН"},
        )

    assert raised.value.errors == {
        "full_name": "The column “Название” is not in the file. Its header has: "
        "“ИНН”, “Имя”, “Регион”.",
        "region": "The column “ИНН” is already chosen for “INN”.",
    }


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (
            "ИНН;Наименование\n".encode("cp1251"),
            "t.csv",
            "The file is not in UTF-8 (byte 1). Save it as “CSV UTF-8” and upload "
            "it again.",
        ),
        (b"PK\x03\x04broken", "t.xlsx", None),
        ("ИНН;Наименование;Регион\n".encode(), "t.csv", None),
    ],
)
def test_an_unreadable_file_is_refused_whole(manager, tmp_path, content, name, message):
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(ApplicationError) as raised:
        community_import_preview(user=manager, kind="organisations", path=path)

    assert raised.value.field == "file"
    if message:
        assert raised.value.message == message


def test_an_expert_may_not_import(expert, tmp_path):
    with pytest.raises(PermissionDenied):
        community_import_preview(
            user=expert, kind="organisations", path=organisations_csv(tmp_path)
        )


# Preview and confirm ---------------------------------------------------------------


def test_the_preview_writes_nothing_and_says_what_each_row_becomes(
    manager, regions, tmp_path
):
    before = counts()

    report = community_import_preview(
        user=manager, kind="organisations", path=organisations_csv(tmp_path)
    )

    assert counts() == before
    assert fates(report) == [
        (2, Fate.CREATE),
        (3, Fate.ERROR),
        (4, Fate.CREATE),
        (5, Fate.ERROR),
        (6, Fate.CREATE),
        (8, Fate.UPDATE),
    ]
    first, bad_inn, _cluster, mars, _space, again = report.rows
    assert (first.label, first.record_id) == ("ООО «Дизайн-бюро»", None)
    assert [(e.field, e.column, e.value, e.message) for e in bad_inn.errors] == [
        ("inn", "ИНН", "1600000012", "INN failed its checksum: check the digits.")
    ]
    assert [(e.field, e.column, e.value, e.message) for e in mars.errors] == [
        (
            "region",
            "Регион",
            "Марс",
            "“Марс” is neither a region's code nor its name (e.g. 16, Республика "
            "Татарстан, Татарстан, ТАТ).",
        )
    ]
    assert (again.match, again.match_row, again.changes) == ("inn", 2, ("tags",))
    assert report.mapping == {
        "inn": "ИНН",
        "full_name": "Наименование",
        "region": "Регион",
        "city": "Город",
        "website": "Сайт",
        "tags": "Теги",
    }


def test_the_confirm_writes_exactly_the_previewed_fates(manager, regions, tmp_path):
    table = organisations_csv(tmp_path)
    preview = community_import_preview(user=manager, kind="organisations", path=table)

    community_import = community_import_commit(
        user=manager, kind="organisations", path=table, expected_digest=preview.digest
    )

    rows = community_import.rows
    assert [(row["row"], row["fate"]) for row in rows] == fates(preview)
    assert (
        community_import.created_count,
        community_import.updated_count,
        community_import.duplicate_count,
        community_import.failed_count,
        community_import.rows_total,
    ) == (3, 1, 0, 2, 6)
    assert community_import.created_by == manager
    design = Organisation.objects.get(inn=company_inn(1, "16"))
    assert rows[0]["record_id"] == design.pk
    assert rows[5]["record_id"] == design.pk
    assert sorted(tag.name for tag in design.tags.all()) == ["экспорт", "якорная"]
    assert (design.kind, design.region.code, design.city) == ("company", "16", "Казань")
    cluster = Organisation.objects.get(inn=company_inn(2, "16"))
    assert (cluster.website, cluster.region.code) == ("https://cluster.ru", "16")
    space = Organisation.objects.get(full_name="Арт-пространство «Штаб»")
    assert (space.inn, space.region.code) == (None, "16")
    assert Organisation.objects.count() == 3
    assert design.history.first().history_user == manager


def test_importing_the_same_file_again_makes_no_second_copies(
    manager, regions, tmp_path
):
    table = organisations_csv(tmp_path)
    community_import_commit(user=manager, kind="organisations", path=table)
    after_first = counts()

    again = community_import_commit(user=manager, kind="organisations", path=table)

    assert [(row["row"], row["fate"]) for row in again.rows] == [
        (2, Fate.DUPLICATE),
        (3, Fate.ERROR),
        (4, Fate.DUPLICATE),
        (5, Fate.ERROR),
        (6, Fate.DUPLICATE),
        (8, Fate.DUPLICATE),
    ]
    assert {**counts(), "CommunityImport": 1} == {**after_first, "CommunityImport": 1}
    assert again.rows[4]["match"] == "name"


def test_the_same_import_from_xlsx_reads_typed_cells(manager, regions, tmp_path):
    # A number cell drops the leading zero of a Bashkortostan INN.
    inn = company_inn(5, "02")
    table = write_xlsx(
        tmp_path / "t.xlsx",
        ["ИНН", "Наименование", "Регион", "ОГРН"],
        [[int(inn), "ООО «Уфа-Дизайн»", 2, None]],
    )

    community_import_commit(user=manager, kind="organisations", path=table)

    organisation = Organisation.objects.get()
    assert (organisation.inn, organisation.region.code) == (inn, "02")


def test_a_matched_record_gets_its_blanks_filled_and_keeps_its_values(
    manager, regions, tmp_path
):
    recorded = services.organisation_create(
        user=manager,
        full_name="ООО «Звук»",
        kind="company",
        region=regions["16"],
        website="https://zvuk.ru",
    )
    table = write_csv(
        tmp_path / "t.csv",
        ["Наименование", "Регион", "Город", "Сайт"],
        [["Звук, ООО", "16", "Казань", "zvuk-kazan.ru"]],
    )

    report = community_import_preview(user=manager, kind="organisations", path=table)
    community_import_commit(user=manager, kind="organisations", path=table)

    row = report.rows[0]
    assert (row.fate, row.match, row.record_id, row.changes) == (
        Fate.UPDATE,
        "name",
        recorded.pk,
        ("city",),
    )
    assert row.notes == (
        "Website: kept the recorded “https://zvuk.ru”, the file has "
        "“https://zvuk-kazan.ru”.",
    )
    recorded.refresh_from_db()
    assert (recorded.city, recorded.website) == ("Казань", "https://zvuk.ru")


def test_a_name_in_another_region_or_with_another_inn_is_another_organisation(
    manager, regions, tmp_path
):
    OrganisationFactory(full_name="ООО «Звук»", region=regions["10"], inn=None)
    OrganisationFactory(
        full_name="ООО «Звук»", region=regions["16"], inn=company_inn(8, "16")
    )
    table = write_csv(
        tmp_path / "t.csv",
        ["ИНН", "Наименование", "Регион"],
        [[company_inn(9, "16"), "ООО «Звук»", "16"]],
    )

    report = community_import_preview(user=manager, kind="organisations", path=table)

    assert fates(report) == [(2, Fate.CREATE)]


def test_the_records_changing_after_the_preview_stops_the_confirm(
    manager, regions, tmp_path
):
    table = organisations_csv(tmp_path)
    preview = community_import_preview(user=manager, kind="organisations", path=table)
    OrganisationFactory(
        full_name="ООО «Дизайн-бюро»", inn=company_inn(1, "16"), region=regions["16"]
    )
    before = counts()

    with pytest.raises(ImportChangedError) as raised:
        community_import_commit(
            user=manager,
            kind="organisations",
            path=table,
            expected_digest=preview.digest,
        )

    assert counts() == before
    first = raised.value.report.rows[0]
    assert (first.row, first.fate, first.match) == (2, Fate.UPDATE, "inn")


def test_sectors_come_from_the_classifications(
    manager, regions, classifications, tmp_path
):
    table = write_csv(
        tmp_path / "t.csv",
        ["Наименование", "Регион", "Отрасли"],
        [["ООО «А»", "16", "Дизайн; Мода"], ["ООО «Б»", "16", "Кулинария"]],
    )

    report = community_import_preview(user=manager, kind="organisations", path=table)

    assert fates(report) == [(2, Fate.CREATE), (3, Fate.ERROR)]
    assert [(e.column, e.message) for e in report.rows[1].errors] == [
        (
            "Отрасли",
            "Unknown creative sector: “Кулинария”. Choose sectors of the "
            "classifications.",
        )
    ]


# People ----------------------------------------------------------------------------


def test_people_are_imported_with_their_consents_and_matched_by_phone(
    manager, regions, tmp_path
):
    table = people_xlsx(tmp_path)
    preview = community_import_preview(user=manager, kind="people", path=table)

    imported = community_import_commit(
        user=manager, kind="people", path=table, expected_digest=preview.digest
    )

    assert fates(preview) == [
        (2, Fate.CREATE),
        (3, Fate.ERROR),
        (4, Fate.CREATE),
        (5, Fate.ERROR),
        (6, Fate.DUPLICATE),
    ]
    anna, bad_phone, oleg, no_date, anna_again = preview.rows
    assert [(e.column, e.value, e.message) for e in bad_phone.errors] == [
        (
            "Телефон",
            "12345",
            "This is not a phone number we can dial: enter it with the area code, "
            "e.g. +7 912 345-67-89.",
        )
    ]
    assert [(e.column, e.message) for e in no_date.errors] == [
        ("Дата согласия", "Give the date the consent was given (152-ФЗ)."),
        (
            "Способ получения согласия",
            "Say how the consent was given: Signed paper form, Online form, "
            "E-mail, Event registration, Other.",
        ),
    ]
    assert (anna.is_without_consent, oleg.is_without_consent) == (False, True)
    assert oleg.notes == (
        "No consent is recorded: the person will be left out of mailings and "
        "exports until one is.",
    )
    assert preview.without_consent == 1
    assert (anna_again.match, anna_again.match_row, anna_again.changes) == (
        "phone",
        2,
        (),
    )
    assert anna_again.notes == (
        "Position: kept the recorded “Директор”, the file has “Основатель”.",
    )
    assert imported.created_count == 2
    person = Person.objects.get(surname="Иванова")
    assert (person.phone, person.email, person.position, person.patronymic) == (
        "+79123456789",
        "anna@example.org",
        "Директор",
        "Петровна",
    )
    assert sorted(
        person.consents.values_list("purpose", "given_on", "channel", "recorded_by")
    ) == [
        ("events", date(2025, 1, 10), "paper", manager.pk),
        ("mailing", date(2025, 1, 10), "paper", manager.pk),
    ]
    assert Person.objects.count() == 2


def test_a_person_is_matched_by_e_mail_whatever_its_case(manager, regions, tmp_path):
    recorded = PersonFactory(email="Oleg@Example.org", region=regions["10"])
    table = write_csv(
        tmp_path / "t.csv",
        ["ФИО", "Регион", "E-mail", "Телефон"],
        [["Сидоров Олег Иванович", "16", "oleg@example.ORG", "+7 912 000-00-01"]],
    )

    community_import_commit(user=manager, kind="people", path=table)

    recorded.refresh_from_db()
    assert Person.objects.count() == 1
    assert (recorded.phone, recorded.region.code) == ("+79120000001", "10")


def test_namesakes_with_other_contacts_are_different_people(manager, regions, tmp_path):
    PersonFactory(
        surname="Сидоров", first_name="Олег", patronymic="", email="a@example.org"
    )
    PersonFactory(surname="Иванов", first_name="Иван", patronymic="", email="")
    table = write_csv(
        tmp_path / "t.csv",
        ["Фамилия", "Имя", "Регион", "E-mail"],
        [
            ["Сидоров", "Олег", "16", "b@example.org"],
            ["ИВАНОВ", "иван", "16", "ivan@example.org"],
        ],
    )

    report = community_import_preview(user=manager, kind="people", path=table)

    assert [(row.fate, row.match) for row in report.rows] == [
        (Fate.CREATE, ""),
        (Fate.UPDATE, "full_name"),
    ]


def test_a_person_is_linked_to_the_organisation_of_the_inn(manager, regions, tmp_path):
    organisation = OrganisationFactory(inn=company_inn(4, "16"))
    table = write_csv(
        tmp_path / "t.csv",
        ["Фамилия", "Имя", "Регион", "Должность", "ИНН организации"],
        [
            ["Орлова", "Вера", "16", "Продюсер", company_inn(4, "16")],
            ["Белов", "Иван", "16", "", company_inn(5, "16")],
        ],
    )

    imported = community_import_commit(user=manager, kind="people", path=table)
    again = community_import_commit(user=manager, kind="people", path=table)

    assert [row["fate"] for row in imported.rows] == [Fate.CREATE, Fate.ERROR]
    assert imported.rows[1]["errors"] == [
        {
            "field": "organisation_inn",
            "column": "ИНН организации",
            "value": company_inn(5, "16"),
            "message": "No organisation with this INN is recorded in your regions; "
            "import the organisations first.",
        }
    ]
    affiliation = Affiliation.objects.get()
    assert (affiliation.organisation, affiliation.role) == (organisation, "Продюсер")
    assert [row["fate"] for row in again.rows] == [Fate.DUPLICATE, Fate.ERROR]
    assert Affiliation.objects.count() == 1


def test_a_withdrawn_consent_is_not_given_back_by_an_older_table(
    manager, regions, tmp_path
):
    person = PersonFactory(email="vera@example.org")
    ConsentFactory(
        person=person,
        purpose="mailing",
        given_on=date(2024, 1, 1),
        withdrawn_on=date(2025, 3, 1),
    )
    table = write_csv(
        tmp_path / "t.csv",
        [
            "Фамилия",
            "Имя",
            "Регион",
            "E-mail",
            "Согласие",
            "Дата согласия",
            "Канал согласия",
        ],
        [
            [
                "Орлова",
                "Вера",
                "16",
                "vera@example.org",
                "mailing",
                "10.01.2025",
                "paper",
            ]
        ],
    )

    report = community_import_preview(user=manager, kind="people", path=table)

    assert report.rows[0].fate == Fate.DUPLICATE
    assert report.rows[0].notes == (
        "Consent “News and mailings” was withdrawn on 01.03.2025; the file's "
        "consent, dated on or before that day, is not recorded again (a consent "
        "given anew is recorded on the person's page).",
        "No consent is recorded: the person will be left out of mailings and "
        "exports until one is.",
    )


def test_a_table_longer_than_a_thousand_rows_is_refused_before_any_row_is_read(
    manager, regions, tmp_path
):
    table = write_csv(
        tmp_path / "long.csv",
        ORGANISATION_HEADER,
        [
            [company_inn(1, "16"), f"ООО «Студия {number}»", "16", "", "", ""]
            for number in range(1001)
        ],
    )

    with pytest.raises(ApplicationError) as raised:
        community_import_preview(user=manager, kind="organisations", path=table)

    assert raised.value.field == "file"
    assert raised.value.message == (
        "The file has 1001 rows; import at most 1000 at a time, splitting the table."
    )


def test_a_consent_dated_in_the_future_is_refused_on_its_column(
    manager, regions, tmp_path
):
    tomorrow = timezone.localdate().toordinal() + 1
    table = write_csv(
        tmp_path / "t.csv",
        ["Фамилия", "Имя", "Регион", "Согласие", "Дата согласия", "Канал согласия"],
        [
            [
                "Орлова",
                "Вера",
                "16",
                "Рассылки",
                date.fromordinal(tomorrow).strftime("%d.%m.%Y"),
                "онлайн",
            ]
        ],
    )

    report = community_import_preview(user=manager, kind="people", path=table)

    assert [(e.column, e.message) for e in report.rows[0].errors] == [
        ("Дата согласия", "This date is in the future.")
    ]
    assert Person.objects.count() == 0


# Regional partners -----------------------------------------------------------------


def test_a_partner_imports_only_into_their_regions(
    partner_tatarstan, regions, tmp_path
):
    OrganisationFactory(inn=company_inn(7, "10"), region=regions["10"])
    table = write_csv(
        tmp_path / "t.csv",
        ["ИНН", "Наименование", "Регион"],
        [
            [company_inn(1, "16"), "ООО «Своё»", "16"],
            [company_inn(2, "10"), "ООО «Чужое»", "Карелия"],
            [company_inn(7, "10"), "ООО «Известное»", "16"],
        ],
    )

    imported = community_import_commit(
        user=partner_tatarstan, kind="organisations", path=table
    )

    assert [row["fate"] for row in imported.rows] == [
        Fate.CREATE,
        Fate.ERROR,
        Fate.ERROR,
    ]
    assert imported.rows[1]["errors"][0]["message"] == (
        "You can only add or change records of your own regions."
    )
    # Nothing said of the Karelian record: the words of any firm outside.
    assert imported.rows[2]["errors"][0]["message"] == (
        "A firm with this INN cannot be added to your regions' community. If it "
        "works in your region, ask the agency to add it."
    )
    assert Organisation.objects.filter(region__code="16").count() == 1


def test_the_region_of_rows_that_give_none(manager, regions, tmp_path):
    table = write_csv(
        tmp_path / "t.csv",
        ["Наименование", "Регион"],
        [["ООО «А»", ""], ["ООО «Б»", "Москва"]],
    )

    community_import_commit(
        user=manager, kind="organisations", path=table, default_region="10"
    )

    assert sorted(Organisation.objects.values_list("full_name", "region__code")) == [
        ("ООО «А»", "10"),
        ("ООО «Б»", "77"),
    ]


# Command line ----------------------------------------------------------------------


def run_command(*arguments: str) -> str:
    output = io.StringIO()
    call_command("community", "import", *arguments, stdout=output)
    return output.getvalue()


def test_command_line_previews_and_then_commits(manager, regions, tmp_path):
    table = organisations_csv(tmp_path)

    preview = run_command(
        str(table), "--kind", "organisations", "--user", manager.username
    )
    assert Organisation.objects.count() == 0
    committed = run_command(
        str(table), "--kind", "organisations", "--user", manager.username, "--commit"
    )

    assert "Will be created: 3; will update or link: 1" in preview, preview
    assert "row 3  error  ИНН: INN failed its checksum: check the digits." in preview
    assert "Nothing was written; run again with --commit to import." in preview
    assert "Created: 3; updated or linked: 1; skipped as duplicates: 0; " in committed
    assert Organisation.objects.count() == 3


def test_command_line_refusals_are_command_errors(manager, tmp_path):
    table = write_csv(tmp_path / "t.csv", ["ИНН", "Регион"], [["1", "16"]])

    with pytest.raises(CommandError, match="Choose the column that holds"):
        run_command(str(table), "--kind", "organisations", "--user", manager.username)
    with pytest.raises(CommandError, match="No user “nobody”"):
        run_command(str(table), "--kind", "organisations", "--user", "nobody")
