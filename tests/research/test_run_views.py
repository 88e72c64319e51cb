"""Research runs on the web: who may list, start and download them, the form's
errors next to their fields, and a run started from the web through the task
backend, on a small register written in the store's layout."""

from __future__ import annotations

import csv
import html
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from creative_regions.core.models import PersonalDataExport
from creative_regions.research.models import ResearchRun
from creative_regions.research.selectors import EXPORT_COLUMNS
from creative_regions.research.services import (
    research_run_create,
    research_run_execute,
)
from tests.research.test_engine import write_register
from tests.research.test_runs import FIRMS

pytestmark = pytest.mark.django_db

SNAPSHOTS = ("2019-01-10", "2024-01-10")


@pytest.fixture(autouse=True)
def store(settings, tmp_path, regions, classifications):
    settings.DATA_DIR = tmp_path
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    write_register(tmp_path / "registry", FIRMS)
    return tmp_path / "registry"


@pytest.fixture
def finished_run(classifications):
    return research_run_execute(
        run=research_run_create(classification=classifications["ru-minec-16"])
    )


def form_data(**changes) -> dict:
    data = {
        "classification": "ru-minec-16",
        "base": SNAPSHOTS[0],
        "target": SNAPSHOTS[1],
        "min_organisations": "20",
    }
    data.update(changes)
    return data


# Who may do what ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "role,list_status,create_status",
    [
        ("partner_tatarstan", 403, 403),
        ("manager", 200, 403),
        ("expert", 200, 403),
        ("analyst", 200, 200),
        ("admin_user", 200, 200),
    ],
)
def test_staff_see_runs_and_only_analysts_start_them(
    client, request, finished_run, role, list_status, create_status
):
    client.force_login(request.getfixturevalue(role))

    assert client.get(reverse("research:run-list")).status_code == list_status
    assert client.get(finished_run.get_absolute_url()).status_code == list_status
    assert client.get(reverse("research:run-create")).status_code == create_status


@pytest.mark.parametrize(
    "url",
    [
        "/research/runs/",
        "/research/runs/create/",
        "/research/runs/{pk}/",
        "/research/runs/{pk}/export/ranking.csv",
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, finished_run, url):
    response = client.get(url.format(pk=finished_run.pk))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_a_partner_cannot_start_a_run(client, partner_tatarstan):
    client.force_login(partner_tatarstan)

    response = client.post(reverse("research:run-create"), form_data())

    assert response.status_code == 403
    assert not ResearchRun.objects.exists()


# Starting a run ----------------------------------------------------------------------


def test_the_form_offers_the_store_snapshots_earliest_and_latest_by_default(
    client, analyst
):
    client.force_login(analyst)

    form = client.get(reverse("research:run-create")).context["form"]

    assert form["base"].value() == "2019-01-10"
    assert form["target"].value() == "2024-01-10"
    assert form["classification"].value() == "ru-minec-16"
    assert [value for value, _label in form.fields["base"].widget.choices] == list(
        SNAPSHOTS
    )


def test_a_run_started_from_the_web_runs_in_the_background_and_offers_exports(
    client, analyst, django_capture_on_commit_callbacks
):
    client.force_login(analyst)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("research:run-create"),
            form_data(size="2", growth="1", min_organisations="1"),
        )

    run = ResearchRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/research/runs/{run.pk}/"
    assert run.status == ResearchRun.Status.SUCCEEDED
    assert run.created_by == analyst
    assert run.parameters["min_organisations"] == 1
    assert run.parameters["weights"] == {
        "size": 2.0,
        "specialisation": 0.0,
        "growth": 1.0,
        "competitive_shift": 0.0,
        "diversity": 0.0,
    }
    page = client.get(response["Location"]).content.decode()
    for table in EXPORT_COLUMNS:
        for file_format in ("csv", "xlsx"):
            assert f"/research/runs/{run.pk}/export/{table}.{file_format}" in page
    # Finished: the page stops polling.
    assert 'hx-trigger="every 2s"' not in page


@pytest.mark.parametrize(
    "language,changes,field,message",
    [
        (
            "en",
            {"base": "2024-01-10", "target": "2019-01-10"},
            "base",
            "The base snapshot (2024-01-10) must be earlier than the target "
            "(2019-01-10).",
        ),
        (
            "ru",
            {"base": "2024-01-10", "target": "2019-01-10"},
            "base",
            "Базовый срез (2024-01-10) должен быть раньше целевого (2019-01-10).",
        ),
        (
            "en",
            {"target": "2020-01-10"},
            "target",
            "The store has no snapshot of 2020-01-10; it has: 2019-01-10, 2024-01-10.",
        ),
        (
            "ru",
            {"base": "2021-01-10"},
            "base",
            "В хранилище нет среза на 2021-01-10; есть: 2019-01-10, 2024-01-10.",
        ),
        ("en", {"min_organisations": "-1"}, "min_organisations", None),
        ("en", {"base": "10.01.2019"}, "base", "Enter a valid date."),
    ],
)
def test_refused_inputs_are_shown_on_their_field_and_record_nothing(
    client, analyst, language, changes, field, message
):
    client.force_login(analyst)
    client.cookies["django_language"] = language

    response = client.post(reverse("research:run-create"), form_data(**changes))

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    if message is not None:
        assert errors[field] == [message]
        assert html.escape(message) in response.content.decode()
    assert not ResearchRun.objects.exists()


def test_weights_that_are_all_zero_are_refused_on_the_weights(client, analyst):
    client.force_login(analyst)
    client.cookies["django_language"] = "en"
    zeros = dict.fromkeys(
        ("size", "specialisation", "growth", "competitive_shift", "diversity"), "0"
    )

    response = client.post(reverse("research:run-create"), form_data(**zeros))

    assert response.status_code == 400
    assert list(response.context["form"].weights_errors) == [
        "At least one weight must be positive."
    ]
    assert 'data-testid="weights-error"' in response.content.decode()
    assert not ResearchRun.objects.exists()


def test_an_empty_store_says_to_import_the_register(client, analyst, settings):
    settings.DATA_DIR = settings.DATA_DIR / "empty"
    client.force_login(analyst)

    response = client.get(reverse("research:run-create"))

    assert 'data-testid="empty-store"' in response.content.decode()
    assert reverse("registry:import-create") in response.content.decode()


# The run's page ----------------------------------------------------------------------


def test_a_queued_run_is_polled_until_it_finishes(client, analyst, classifications):
    run = research_run_create(classification=classifications["ru-minec-16"])
    client.force_login(analyst)

    fragment = client.get(run.get_absolute_url(), HTTP_HX_REQUEST="true")

    content = fragment.content.decode()
    assert "<html" not in content
    assert 'id="run-status"' in content and 'hx-trigger="every 2s"' in content
    assert "/export/" not in content


def test_a_failed_run_shows_its_message(client, analyst, classifications):
    run = research_run_create(classification=classifications["ru-minec-16"])
    ResearchRun.objects.filter(pk=run.pk).update(
        status=ResearchRun.Status.FAILED, message="Out of memory."
    )
    client.force_login(analyst)

    content = client.get(run.get_absolute_url()).content.decode()

    assert 'data-testid="run-message">Out of memory.</div>' in content
    assert "/export/" not in content


def test_the_list_filters_by_status_in_a_fixed_number_of_queries(
    client, analyst, classifications, finished_run, django_assert_num_queries
):
    for _ in range(3):
        research_run_create(classification=classifications["ru-minec-16"])
    client.force_login(analyst)

    # Session and user, the count, the page of runs with their relations.
    with django_assert_num_queries(4):
        response = client.get(
            reverse("research:run-list"), {"status": "queued"}, HTTP_HX_REQUEST="true"
        )

    assert response.context["page"].paginator.count == 3
    assert "<html" not in response.content.decode()
    # Queued runs on the page: the table polls.
    assert 'hx-trigger="every 3s"' in response.content.decode()


# Downloads ---------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(content)))


@pytest.mark.parametrize("table", ["profile", "leaders", "ranking"])
def test_exports_have_the_exact_columns_in_csv_and_xlsx(
    client, analyst, finished_run, table
):
    client.force_login(analyst)
    url = f"/research/runs/{finished_run.pk}/export/{table}"

    as_csv = client.get(f"{url}.csv")
    as_xlsx = client.get(f"{url}.xlsx")

    rows = read_csv(as_csv)
    assert tuple(rows[0]) == EXPORT_COLUMNS[table]
    assert as_csv["Content-Disposition"] == (
        f'attachment; filename="research-{finished_run.pk}-{table}.csv"'
    )
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    assert tuple(cell.value for cell in sheet[1]) == EXPORT_COLUMNS[table]
    assert sheet.max_row == len(rows)
    assert {row[0] for row in rows[1:]} == {"16", "77"}


def test_csv_numbers_carry_every_digit(client, analyst, finished_run):
    client.force_login(analyst)

    rows = read_csv(client.get(f"/research/runs/{finished_run.pk}/export/profile.csv"))

    header = rows[0]
    moscow = next(
        dict(zip(header, row, strict=True))
        for row in rows[1:]
        if row[0] == "77" and row[1] == "Книжное дело"
    )
    assert float(moscow["lq_employees"]) == (40 / 140) / (45 / 213)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_partner_downloads_only_their_regions(
    client, partner_tatarstan, finished_run, file_format
):
    client.force_login(partner_tatarstan)

    response = client.get(
        f"/research/runs/{finished_run.pk}/export/leaders.{file_format}"
    )

    if file_format == "csv":
        rows = read_csv(response)[1:]
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert rows and {row[0] for row in rows} == {"16"}


def test_leaders_downloads_are_logged_as_personal_data(
    client, partner_tatarstan, analyst, finished_run
):
    client.force_login(partner_tatarstan)
    leaders = read_csv(
        client.get(f"/research/runs/{finished_run.pk}/export/leaders.csv")
    )
    client.force_login(analyst)
    client.get(f"/research/runs/{finished_run.pk}/export/profile.xlsx")

    # The profile names no firm: only the leaders download is in the log.
    (entry,) = PersonalDataExport.objects.all()
    assert (entry.username, entry.dataset, entry.row_count, entry.file_format) == (
        partner_tatarstan.username,
        "research.leaders",
        len(leaders) - 1,
        "csv",
    )
    assert entry.query == f"run={finished_run.pk}"


@pytest.mark.parametrize(
    "path", ["peers.csv", "profile.pdf", "profile.csv/extra"], ids=str
)
def test_unknown_exports_are_not_found(client, analyst, finished_run, path):
    client.force_login(analyst)

    response = client.get(f"/research/runs/{finished_run.pk}/export/{path}")

    assert response.status_code == 404


def test_an_unfinished_run_has_nothing_to_download(client, analyst, classifications):
    run = research_run_create(classification=classifications["ru-minec-16"])
    client.force_login(analyst)

    response = client.get(f"/research/runs/{run.pk}/export/ranking.csv")

    assert response.status_code == 404
