"""The log of personal-data exports: who took what, when, with which filter."""

import pytest

from creative_regions.core.models import PersonalDataExport
from creative_regions.core.services import personal_data_export_log

pytestmark = pytest.mark.django_db


def test_an_export_is_logged_with_its_filter_rows_and_purpose(partner_tatarstan):
    personal_data_export_log(
        user=partner_tatarstan,
        dataset="community.person",
        query="region=16&consent=mailing",
        row_count=42,
        purpose="mailing",
        file_format="xlsx",
    )

    entry = PersonalDataExport.objects.get()
    assert (entry.user, entry.username, entry.dataset, entry.query) == (
        partner_tatarstan,
        partner_tatarstan.username,
        "community.person",
        "region=16&consent=mailing",
    )
    assert (entry.row_count, entry.purpose, entry.file_format) == (
        42,
        "mailing",
        "xlsx",
    )
    assert entry.exported_at is not None


def test_the_log_keeps_the_name_after_the_account_is_deleted(manager):
    personal_data_export_log(user=manager, dataset="community.person", row_count=1)
    username = manager.username

    manager.delete()

    entry = PersonalDataExport.objects.get()
    assert (entry.user, entry.username) == (None, username)


def test_the_admin_shows_the_log_but_nobody_edits_it(client, admin_user, manager):
    personal_data_export_log(user=manager, dataset="community.person", row_count=3)
    client.force_login(admin_user)

    listing = client.get("/admin/core/personaldataexport/")
    adding = client.get("/admin/core/personaldataexport/add/")

    assert listing.status_code == 200 and b"community.person" in listing.content
    assert adding.status_code == 403
