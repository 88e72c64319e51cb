"""A firm's history in the register store, snapshot by snapshot, and who may see it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.urls import reverse

from creative_regions.core.exceptions import ApplicationError
from creative_regions.registry.schema import RECORD_SCHEMA, SOURCE_FNS_RSMP
from creative_regions.registry.selectors import firm_history_list
from creative_regions.registry.services import registry_store
from creative_regions.registry.store import RegisterStore
from tests.research.test_engine import ABSENT, Firm, write_register

pytestmark = pytest.mark.django_db

BASE, TARGET = date(2023, 1, 10), date(2024, 1, 10)
# A Tatarstan studio that grows from 12 to 15 and changes its activity code; a
# Moscow firm new at the target; a sole trader (12 digits) without a headcount.
FIRMS = [
    Firm(
        "1600000001",
        "16",
        "74.10",
        base=12,
        target=15,
        name="СТУДИЯ",
        okved_base="74.20",
    ),
    Firm("7700000001", "77", "62.01", base=ABSENT, target=40, name="КОД"),
    Firm("160000000012", "16", "90.01", base=None, target=None, name="ИП ИВАНОВ"),
]


@pytest.fixture
def store(settings, tmp_path, regions):
    settings.DATA_DIR = tmp_path
    write_register(tmp_path / "registry", FIRMS, base=BASE, target=TARGET)
    return registry_store()


def write_records(root: Path, records: list[dict]) -> RegisterStore:
    """Writes register records, one partition per snapshot; a column a record
    does not give is empty."""
    store = RegisterStore(root, SOURCE_FNS_RSMP)
    for snapshot in sorted({record["snapshot_date"] for record in records}):
        rows = [record for record in records if record["snapshot_date"] == snapshot]
        defaults = {"kind": "legal_entity", "source_file": "test.xml"}
        arrays = [
            pa.array([{**defaults, **row}.get(field.name) for row in rows], field.type)
            for field in RECORD_SCHEMA
        ]
        folder = store.partition_dir(snapshot)
        folder.mkdir(parents=True)
        pq.write_table(
            pa.Table.from_arrays(arrays, schema=RECORD_SCHEMA),
            folder / "part-0.parquet",
        )
    return store


def history_url(inn: str) -> str:
    return reverse("registry:firm-history", kwargs={"inn": inn})


def test_history_lists_the_firm_in_every_snapshot(store, analyst):
    rows = firm_history_list(user=analyst, inn="1600000001", store=store)

    assert [
        (row.snapshot, row.name, row.region_code, row.okved_main, row.employees)
        for row in rows
    ] == [
        (BASE, "СТУДИЯ", "16", "74.20", 12),
        (TARGET, "СТУДИЯ", "16", "74.10", 15),
    ]
    assert rows[0].kind == "legal_entity"
    assert (rows[0].ogrn, rows[0].city) == (None, None)


def test_history_gives_the_ogrn_and_city_of_each_record(
    settings, tmp_path, regions, analyst
):
    settings.DATA_DIR = tmp_path
    store = write_records(
        tmp_path / "registry",
        [
            {
                "snapshot_date": BASE,
                "inn": "1600000001",
                "ogrn": "1021600000003",
                "region_code": "16",
                "city": "КАЗАНЬ",
            },
            {
                "snapshot_date": TARGET,
                "inn": "1600000001",
                "ogrn": "1021600000003",
                "region_code": "16",
                "city": "НАБЕРЕЖНЫЕ ЧЕЛНЫ",
            },
        ],
    )

    rows = firm_history_list(user=analyst, inn="1600000001", store=store)

    assert [(row.snapshot, row.ogrn, row.city) for row in rows] == [
        (BASE, "1021600000003", "КАЗАНЬ"),
        (TARGET, "1021600000003", "НАБЕРЕЖНЫЕ ЧЕЛНЫ"),
    ]


def test_the_history_page_shows_both_snapshots_and_the_change(client, store, analyst):
    client.force_login(analyst)
    client.cookies["django_language"] = "en"

    response = client.get(history_url("1600000001"))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-snapshot="2023-01-10"' in content
    assert 'data-snapshot="2024-01-10"' in content
    assert "(+3)" in content
    # The activity code changed between the snapshots: shown in bold.
    assert 'class="tabular fw-semibold">74.10' in content


def test_a_firm_new_at_the_target_shows_the_gap(client, store, analyst):
    client.force_login(analyst)
    client.cookies["django_language"] = "en"

    response = client.get(history_url("7700000001"))

    assert [row["record"] is None for row in response.context["rows"]] == [
        True,
        False,
    ]
    assert "No record in this snapshot." in response.content.decode()


def test_a_sole_trader_without_headcount_is_shown(client, store, analyst):
    client.force_login(analyst)
    client.cookies["django_language"] = "en"

    response = client.get(history_url("160000000012"))

    assert response.status_code == 200
    assert response.content.decode().count("not reported") == 2


@pytest.mark.parametrize("inn", ["12ab", "123", "12345678901", "1234567890123"])
def test_a_malformed_inn_gets_a_clear_message_and_no_query(client, store, analyst, inn):
    client.force_login(analyst)
    client.cookies["django_language"] = "en"

    response = client.get(history_url(inn))

    assert response.status_code == 404
    assert (
        f"“{inn}” is not an INN: an INN is 10 digits for an organisation or 12 "
        "digits for a sole trader."
    ) in response.content.decode()


def test_the_selector_refuses_a_malformed_inn_naming_the_field(store, analyst):
    with pytest.raises(ApplicationError) as raised:
        firm_history_list(user=analyst, inn="1' OR '1'='1", store=store)

    assert raised.value.field == "inn"


def test_an_inn_not_in_the_register_is_not_found(client, store, analyst):
    client.force_login(analyst)

    assert client.get(history_url("7799999999")).status_code == 404


@pytest.mark.parametrize(
    "who,inn,status",
    [
        ("partner_tatarstan", "1600000001", 200),
        ("partner_tatarstan", "7700000001", 404),
        ("partner_karelia", "1600000001", 404),
        ("manager", "7700000001", 200),
        ("expert", "1600000001", 200),
    ],
)
def test_a_partner_sees_only_the_firms_of_their_regions(
    client, request, store, who, inn, status
):
    client.force_login(request.getfixturevalue(who))

    assert client.get(history_url(inn)).status_code == status


def test_anonymous_users_are_sent_to_sign_in(client, store):
    assert client.get(history_url("1600000001")).status_code == 302
