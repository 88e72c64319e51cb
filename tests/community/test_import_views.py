"""The import pages: upload, preview (also as an HTMX fragment), confirm, result,
templates, and who may use them."""

from __future__ import annotations

import io
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from creative_regions.community.imports import import_fields, import_mapping_guess
from creative_regions.community.models import CommunityImport, Organisation, Person
from tests.community.factories import company_inn
from tests.community.pages import sign_in
from tests.community.test_import import (
    ORGANISATION_HEADER,
    counts,
    organisations_csv,
    write_xlsx,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "media_in_tmp")]

IMPORT_URL = reverse("community:import")


def upload(client, path, kind="organisations", **data):
    with open(path, "rb") as file:
        content = file.read()
    return client.post(
        IMPORT_URL,
        {
            "kind": kind,
            "file": SimpleUploadedFile(path.name, content),
            "default_region": "",
            **data,
        },
    )


def preview_data(response) -> dict[str, str]:
    """The preview form's fields, as the browser would send them back."""
    form = response.context["form"]
    data = {
        "kind": form.kind_value,
        "upload": form["upload"].value(),
        "digest": form["digest"].value(),
        "default_region": form["default_region"].value() or "",
    }
    for field in form.column_fields:
        data[field.html_name] = field.value() or ""
    return data


def test_an_upload_shows_the_preview_and_writes_nothing(
    client, manager, regions, tmp_path
):
    sign_in(client, manager)
    before = counts()

    response = upload(client, organisations_csv(tmp_path))

    assert response.status_code == 200
    assert counts() == before
    assert response.templates[0].name == ("community/import/preview.html")
    content = response.content.decode()
    assert 'data-testid="import-rows"' in content
    assert "INN failed its checksum: check the digits." in content
    assert [row["outcome"].fate for row in response.context["rows"]] == [
        "create",
        "error",
        "create",
        "error",
        "create",
        "update",
    ]
    assert response.context["form"]["column_inn"].value() == "ИНН"


def test_changing_a_column_by_htmx_returns_the_preview_alone(
    client, manager, regions, tmp_path
):
    sign_in(client, manager)
    first = upload(client, organisations_csv(tmp_path))
    data = {**preview_data(first), "column_city": "", "column_tags": ""}

    response = client.post(IMPORT_URL, data, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response.templates[0].name == ("community/import/partials/_preview.html")
    assert "HX-Request" in response["Vary"]
    assert response.content.decode().lstrip().startswith('<div id="import-preview">')
    assert response.context["rows"][5]["outcome"].fate == "duplicate"
    assert Organisation.objects.count() == 0


def test_confirming_imports_and_shows_every_rows_fate(
    client, manager, regions, tmp_path
):
    sign_in(client, manager)
    preview = upload(client, organisations_csv(tmp_path))

    response = client.post(IMPORT_URL, {**preview_data(preview), "action": "confirm"})

    community_import = CommunityImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/community/imports/{community_import.pk}/"
    assert Organisation.objects.count() == 3
    result = client.get(response["Location"])
    assert result.status_code == 200
    assert [row["fate_label"] for row in result.context["rows"]] == [
        "Created",
        "Failed",
        "Created",
        "Failed",
        "Created",
        "Updated or linked",
    ]
    design = Organisation.objects.get(inn=company_inn(1, "16"))
    assert f'href="/community/organisations/{design.pk}/"' in result.content.decode()


def test_a_confirmed_import_deletes_its_uploaded_table(
    client, manager, regions, tmp_path
):
    sign_in(client, manager)
    preview = upload(client, organisations_csv(tmp_path))
    uploads = tmp_path / "uploads" / "community"
    uploaded = uploads / preview_data(preview)["upload"]
    assert uploaded.is_file()

    client.post(IMPORT_URL, {**preview_data(preview), "action": "confirm"})

    assert Organisation.objects.count() == 3
    assert list(uploads.iterdir()) == []


def test_a_table_left_in_preview_for_a_day_is_deleted_at_the_next_upload(
    client, manager, regions, tmp_path
):
    sign_in(client, manager)
    uploads = tmp_path / "uploads" / "community"
    abandoned = (
        uploads
        / preview_data(upload(client, organisations_csv(tmp_path)))["upload"].split(
            "/"
        )[0]
    )
    recent = (
        uploads
        / preview_data(upload(client, organisations_csv(tmp_path)))["upload"].split(
            "/"
        )[0]
    )
    day_and_a_minute_ago = time.time() - 24 * 60 * 60 - 60
    os.utime(abandoned, (day_and_a_minute_ago, day_and_a_minute_ago))

    latest = preview_data(upload(client, organisations_csv(tmp_path)))

    assert not abandoned.exists()
    assert recent.is_dir()
    assert (uploads / latest["upload"]).is_file()
    assert sorted(folder.name for folder in uploads.iterdir()) == sorted(
        [recent.name, latest["upload"].split("/")[0]]
    )


def test_a_changed_column_mapping_is_what_gets_imported_and_remembered(
    client, manager, regions, tmp_path
):
    sign_in(client, manager)
    preview = upload(client, organisations_csv(tmp_path))
    data = {**preview_data(preview), "column_city": ""}
    again = client.post(IMPORT_URL, data)

    client.post(IMPORT_URL, {**preview_data(again), "action": "confirm"})

    assert not Organisation.objects.exclude(city="").exists()
    assert "city" not in CommunityImport.objects.get().mapping


def test_a_mapping_error_is_shown_next_to_its_column(
    client, manager, regions, tmp_path
):
    sign_in(client, manager)
    preview = upload(client, organisations_csv(tmp_path))

    response = client.post(
        IMPORT_URL, {**preview_data(preview), "column_full_name": ""}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["column_full_name"] == [
        "Choose the column that holds the organisation's name."
    ]
    assert response.context["report"] is None


def test_a_file_that_changed_since_the_preview_is_not_imported(
    client, manager, regions, tmp_path
):
    sign_in(client, manager)
    preview = upload(client, organisations_csv(tmp_path))
    Organisation.objects.create(
        full_name="ООО «Дизайн-бюро»",
        kind="company",
        inn=company_inn(1, "16"),
        region=regions["16"],
    )

    response = client.post(IMPORT_URL, {**preview_data(preview), "action": "confirm"})

    assert response.status_code == 409
    assert "The records changed since the preview" in response.content.decode()
    assert Organisation.objects.count() == 1
    assert not CommunityImport.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("t.txt", b"x", "Upload a .csv or .xlsx file; \u201ct.txt\u201d is neither."),
        ("t.csv", "ИНН\n".encode(), "The file has a header but no rows."),
    ],
)
def test_a_bad_file_is_refused_on_the_upload_form(
    client, manager, name, content, message
):
    sign_in(client, manager)

    response = client.post(
        IMPORT_URL,
        {"kind": "organisations", "file": SimpleUploadedFile(name, content)},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [message]
    assert not CommunityImport.objects.exists()


def test_a_lost_upload_asks_for_the_file_again(client, manager):
    sign_in(client, manager)

    response = client.post(
        IMPORT_URL, {"kind": "organisations", "upload": "../../etc/passwd.csv"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "The uploaded file is no longer there; upload it again."
    ]


@pytest.mark.parametrize("kind", ["organisations", "people"])
def test_the_template_has_a_header_the_import_reads_back_whole(client, manager, kind):
    sign_in(client, manager)

    response = client.get(reverse("community:import-template", args=[kind]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="community-{kind}-template.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(response.content))
    header = [cell.value for cell in workbook.worksheets[0][1]]
    mapping = import_mapping_guess(kind=kind, header=header)
    assert list(mapping) == [field.name for field in import_fields(kind)]
    help_rows = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert help_rows[0] == ("Column", "Required", "What it holds")
    assert len(help_rows) == len(import_fields(kind)) + 1


def test_an_xlsx_of_people_is_previewed_then_imported(
    client, manager, regions, tmp_path
):
    sign_in(client, manager)
    table = write_xlsx(
        tmp_path / "people.xlsx",
        ["ФИО", "Регион", "E-mail"],
        [
            ["Орлова Вера Павловна", "16", "vera@example.org"],
            ["Белов", "16", ""],
        ],
    )

    preview = upload(client, table, kind="people")
    response = client.post(IMPORT_URL, {**preview_data(preview), "action": "confirm"})

    assert [row["outcome"].fate for row in preview.context["rows"]] == [
        "create",
        "error",
    ]
    assert preview.context["rows"][1]["errors"] == [
        {"column": "ФИО", "value": "Белов", "message": "The name is empty."}
    ]
    assert 'data-testid="without-consent"' in preview.content.decode()
    assert response.status_code == 302
    assert list(Person.objects.values_list("surname", "first_name", "patronymic")) == [
        ("Орлова", "Вера", "Павловна")
    ]


# Who may import --------------------------------------------------------------------


def test_an_expert_may_not_import(client, expert, tmp_path):
    sign_in(client, expert)

    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client, organisations_csv(tmp_path)).status_code == 403
    assert (
        client.get(reverse("community:import-template", args=["people"])).status_code
        == 403
    )
    assert Organisation.objects.count() == 0


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(IMPORT_URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("manager", 200),
        ("analyst", 200),
        ("partner_tatarstan", 404),
        ("partner_karelia", 404),
        ("expert", 403),
    ],
)
def test_an_import_is_seen_by_staff_and_its_author(
    client, request, manager, regions, tmp_path, who, status
):
    write_xlsx(
        tmp_path / "t.xlsx", ORGANISATION_HEADER, [["", "ООО «А»", "16", "", "", ""]]
    )
    sign_in(client, manager)
    upload_response = upload(client, tmp_path / "t.xlsx")
    client.post(IMPORT_URL, {**preview_data(upload_response), "action": "confirm"})
    community_import = CommunityImport.objects.get()

    sign_in(client, request.getfixturevalue(who))

    assert client.get(community_import.get_absolute_url()).status_code == status


def test_a_partner_sees_their_own_import(client, partner_tatarstan, regions, tmp_path):
    sign_in(client, partner_tatarstan)
    table = write_xlsx(
        tmp_path / "t.xlsx", ORGANISATION_HEADER, [["", "ООО «А»", "16", "", "", ""]]
    )
    preview = upload(client, table)
    response = client.post(IMPORT_URL, {**preview_data(preview), "action": "confirm"})

    assert client.get(response["Location"]).status_code == 200
    assert [item.pk for item in client.get(IMPORT_URL).context["recent_imports"]] == [
        CommunityImport.objects.get().pk
    ]
