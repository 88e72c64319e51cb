import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from creative_regions.research.models import ClassificationEntry, ClassificationVersion

pytestmark = pytest.mark.django_db

IMPORT_URL = "/classifications/ru-minec-16/import/"


def upload(
    content: bytes, name: str = "v.csv", label: str = "2026", activate: bool = True
):
    data = {
        "file": SimpleUploadedFile(name, content),
        "label": label,
        "source": "Приказ № 1",
    }
    if activate:
        data["activate"] = "on"
    return data


def test_classification_list_shows_both_with_active_versions(
    client, expert, classifications
):
    client.force_login(expert)

    content = client.get(reverse("research:classification-list")).content.decode()

    assert "ru-minec-16" in content and "uk-dcms" in content
    assert "2025-provisional" in content
    assert "предварительная" in content


def test_detail_lists_codes_with_sectors_and_warns_it_is_provisional(
    client, expert, classifications
):
    client.force_login(expert)

    response = client.get("/classifications/ru-minec-16/")

    content = response.content.decode()
    assert len(response.context["entries"]) == 46
    assert "46 кодов" in content
    assert "Книжное дело" in content
    assert "Это предварительная версия" in content
    # Experts may look but not import.
    assert IMPORT_URL not in content


def test_detail_filters_by_search_in_any_case(client, expert, classifications):
    client.force_login(expert)

    response = client.get(
        "/classifications/ru-minec-16/", {"q": "МУЗЕ"}, HTTP_HX_REQUEST="true"
    )

    assert [entry.code for entry in response.context["entries"]] == ["91.02"]
    assert "<html" not in response.content.decode()


def test_analyst_imports_a_new_version_and_it_becomes_active(
    client, analyst, classifications
):
    client.force_login(analyst)
    content = (
        "code,sector\n58.11,Книжное дело\n62.01,Программное обеспечение\n".encode()
    )

    response = client.post(IMPORT_URL, upload(content), follow=True)

    version = ClassificationVersion.objects.get(label="2026")
    assert (
        response.redirect_chain[-1][0]
        == f"/classifications/ru-minec-16/?version={version.pk}"
    )
    assert "Версия «2026» импортирована" in response.content.decode()
    classifications["ru-minec-16"].refresh_from_db()
    assert classifications["ru-minec-16"].active_version == version
    assert version.imported_by == analyst and version.source == "Приказ № 1"


def test_malformed_file_shows_row_errors_in_russian_and_changes_nothing(
    client, analyst, classifications
):
    client.force_login(analyst)
    before = ClassificationEntry.objects.count()
    content = "code,sector\n58.11,Книжное дело\n58.1x,Медиа\n".encode()

    response = client.post(IMPORT_URL, upload(content))

    text = response.content.decode()
    assert response.status_code == 400
    assert "В файле 1 ошибка" in text
    assert "58.1x" in text
    assert response.context["row_errors"][0].row == 3
    assert ClassificationEntry.objects.count() == before
    assert not ClassificationVersion.objects.filter(label="2026").exists()


def test_wrong_file_type_is_refused_on_the_file_field(client, analyst, classifications):
    client.force_login(analyst)

    response = client.post(IMPORT_URL, upload(b"%PDF-1.4", name="list.pdf"))

    assert response.status_code == 400
    assert "list.pdf" in response.context["form"].errors["file"][0]


@pytest.mark.parametrize(
    "who,status", [("expert", 403), ("manager", 403), ("partner_tatarstan", 403)]
)
def test_only_analysts_and_administrators_may_import(
    client, request, classifications, who, status
):
    client.force_login(request.getfixturevalue(who))
    before = ClassificationVersion.objects.count()

    get_status = client.get(IMPORT_URL).status_code
    post_status = client.post(IMPORT_URL, upload(b"code,sector\n58.11,X\n")).status_code

    assert (get_status, post_status) == (status, status)
    assert ClassificationVersion.objects.count() == before


def test_administrator_may_import(client, admin_user, classifications):
    client.force_login(admin_user)

    assert client.get(IMPORT_URL).status_code == 200


def test_activation_by_analyst_and_refusal_for_expert(
    client, analyst, expert, classifications
):
    russian = classifications["ru-minec-16"]
    client.force_login(analyst)
    client.post(IMPORT_URL, upload(b"code,sector\n58.11,X\n", activate=False))
    new = ClassificationVersion.objects.get(label="2026")
    url = f"/classifications/ru-minec-16/versions/{new.pk}/activate/"

    client.force_login(expert)
    assert client.post(url).status_code == 403
    russian.refresh_from_db()
    assert russian.active_version.label == "2025-provisional"

    client.force_login(analyst)
    client.post(url)
    russian.refresh_from_db()
    assert russian.active_version == new


def test_match_tool_names_the_sector(client, expert, classifications):
    client.force_login(expert)
    url = "/classifications/ru-minec-16/match/"

    def answer(code, **extra):
        return client.get(url, {"code": code, **extra}).content.decode()

    assert "58.11.2 входит в 58.11: <strong>Книжное дело</strong>" in answer("58.11.2")
    assert "58.11 — код креативных индустрий" in answer(" 58.11 ")
    assert "58.1 относится к креативным индустриям частично" in answer("58.1")
    assert "не относится к креативным индустриям" in answer("01.11")
    assert answer("abc").count("Введите код") == 1


def test_match_tool_uses_the_version_on_the_page(client, analyst, classifications):
    client.force_login(analyst)
    client.post(
        IMPORT_URL, upload(b"code,sector\n62.01,IT\n", label="tiny", activate=False)
    )
    tiny = ClassificationVersion.objects.get(label="tiny")

    response = client.get(
        "/classifications/ru-minec-16/match/", {"code": "58.11", "version": tiny.pk}
    )

    assert "не относится к креативным индустриям" in response.content.decode()


def test_export_gives_the_codes_as_xlsx(client, expert, classifications, tmp_path):
    client.force_login(expert)

    response = client.get("/classifications/uk-dcms/export/")

    path = tmp_path / "uk.xlsx"
    path.write_bytes(response.content)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert len(rows) == 32
    assert (
        "74.10",
        "Specialised design activities",
        "Design and designer fashion",
    ) in [row[:3] for row in rows]


def test_unknown_classification_is_404(client, expert, classifications):
    client.force_login(expert)

    assert client.get("/classifications/nope/").status_code == 404
    assert (
        client.get("/classifications/ru-minec-16/", {"version": "999999"}).status_code
        == 404
    )


@pytest.mark.parametrize("language", ["ru", "en"])
def test_an_exported_table_imports_back_unchanged(
    client, analyst, classifications, language
):
    client.force_login(analyst)
    client.cookies["django_language"] = language
    exported = client.get("/classifications/ru-minec-16/export/").content

    response = client.post(
        IMPORT_URL, upload(exported, name="edited.xlsx", label=f"copy-{language}")
    )

    assert response.status_code == 302, (
        response.context and response.context["row_errors"]
    )
    copy = ClassificationVersion.objects.get(label=f"copy-{language}")
    original = classifications["ru-minec-16"].active_version
    fields = ("code", "name", "sector", "sector_en", "confidence", "source")
    assert list(copy.entries.values_list(*fields)) == list(
        original.entries.values_list(*fields)
    )


def test_admin_cannot_point_a_classification_at_another_ones_version(
    client, admin_user, classifications
):
    from django.core.exceptions import ValidationError

    russian, british = classifications["ru-minec-16"], classifications["uk-dcms"]
    russian.active_version = british.active_version

    with pytest.raises(ValidationError) as raised:
        russian.full_clean()

    assert "active_version" in raised.value.message_dict
    client.force_login(admin_user)
    page = client.get(f"/admin/research/classification/{russian.pk}/change/")
    choices = page.context["adminform"].form.fields["active_version"].queryset
    assert set(choices) == set(russian.versions.all())


def test_classification_codes_cannot_be_edited_by_hand_in_the_admin(
    client, admin_user, classifications
):
    client.force_login(admin_user)

    assert client.get("/admin/research/classificationentry/add/").status_code == 403
