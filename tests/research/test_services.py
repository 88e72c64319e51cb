import pytest
from django.utils import translation

from creative_regions.core.exceptions import ApplicationError
from creative_regions.research.models import (
    Classification,
    ClassificationEntry,
    ClassificationVersion,
)
from creative_regions.research.selectors import classification_match
from creative_regions.research.services import (
    ClassificationImportError,
    classification_load_reference,
    classification_version_activate,
    classification_version_import,
)

pytestmark = pytest.mark.django_db

GOOD_CSV = "code,sector\n58.11,Книжное дело\n62.01,Программное обеспечение\n".encode()


def test_reference_classifications_are_loaded_and_active(classifications):
    russian = classifications["ru-minec-16"]
    british = classifications["uk-dcms"]

    assert russian.active_version.label == "2025-provisional"
    assert russian.active_version.is_provisional
    assert russian.active_version.entry_count == 46
    assert british.active_version.entry_count == 31
    sectors = set(russian.active_version.entries.values_list("sector", flat=True))
    assert len(sectors) == 17  # the 16 directions and one marked extension


def test_reference_loading_is_idempotent(classifications):
    before = (
        ClassificationVersion.objects.count(),
        ClassificationEntry.objects.count(),
    )

    outcomes = classification_load_reference()

    assert [outcome.is_new for outcome in outcomes] == [False, False]
    assert (
        ClassificationVersion.objects.count(),
        ClassificationEntry.objects.count(),
    ) == before


def test_reload_keeps_the_analysts_choice_of_active_version(classifications, analyst):
    russian = classifications["ru-minec-16"]
    outcome = classification_version_import(
        classification=russian,
        content=GOOD_CSV,
        file_name="v2.csv",
        label="2026",
        activate=True,
        user=analyst,
    )

    classification_load_reference()

    russian.refresh_from_db()
    assert russian.active_version == outcome.version


def test_russian_sectors_carry_english_names(classifications):
    entry = classifications["ru-minec-16"].active_version.entries.get(code="58.11")

    assert entry.sector == "Книжное дело"
    assert entry.sector_en == "Book publishing"
    with translation.override("en"):
        assert entry.sector_name == "Book publishing"
    with translation.override("ru"):
        assert entry.sector_name == "Книжное дело"


def test_code_matching_covers_subclasses_and_lists_narrower_codes(classifications):
    version = classifications["ru-minec-16"].active_version

    covered = classification_match(version=version, code=" 58.11.1 ")
    exact = classification_match(version=version, code="32.99.8")
    partly = classification_match(version=version, code="58.1")
    outside = classification_match(version=version, code="01.11")

    assert (covered.code, covered.entry.code) == ("58.11.1", "58.11")
    assert exact.entry.sector == "Народные художественные промыслы и ремесла"
    assert partly.entry is None
    assert [entry.code for entry in partly.narrower] == [
        "58.11",
        "58.13",
        "58.14",
        "58.19",
    ]
    assert (outside.entry, outside.narrower) == (None, [])


def test_a_bad_file_imports_nothing_and_lists_every_error(classifications, analyst):
    russian = classifications["ru-minec-16"]
    before = (
        ClassificationVersion.objects.count(),
        ClassificationEntry.objects.count(),
    )
    content = "code,sector\n58.11,Книжное дело\nxx,Медиа\n62.01,\n".encode()

    with pytest.raises(ClassificationImportError) as raised:
        classification_version_import(
            classification=russian,
            content=content,
            file_name="bad.csv",
            label="bad",
            user=analyst,
        )

    assert [(e.row, e.field) for e in raised.value.errors] == [
        (3, "code"),
        (4, "sector"),
    ]
    assert (
        ClassificationVersion.objects.count(),
        ClassificationEntry.objects.count(),
    ) == before
    russian.refresh_from_db()
    assert russian.active_version.label == "2025-provisional"


def test_same_file_twice_gives_the_same_version(classifications, analyst):
    russian = classifications["ru-minec-16"]

    first = classification_version_import(
        classification=russian,
        content=GOOD_CSV,
        file_name="v.csv",
        label="2026",
        user=analyst,
    )
    second = classification_version_import(
        classification=russian,
        content=GOOD_CSV,
        file_name="v-copy.csv",
        label="2026-again",
        user=analyst,
    )

    assert first.is_new and not second.is_new
    assert first.version == second.version
    assert russian.versions.count() == 2


def test_label_taken_by_other_content_is_refused_on_the_label(classifications, analyst):
    russian = classifications["ru-minec-16"]

    with translation.override("en"), pytest.raises(ApplicationError) as raised:
        classification_version_import(
            classification=russian,
            content=GOOD_CSV,
            file_name="v.csv",
            label="2025-provisional",
        )

    assert raised.value.field == "label"
    assert "already exists" in raised.value.message


def test_activation_is_recorded_in_history_with_the_user(classifications, analyst):
    russian = classifications["ru-minec-16"]
    version = classification_version_import(
        classification=russian,
        content=GOOD_CSV,
        file_name="v.csv",
        label="2026",
        user=analyst,
    ).version

    classification_version_activate(version=version, user=analyst)

    russian.refresh_from_db()
    assert russian.active_version == version
    latest = russian.history.first()
    assert latest.history_user == analyst
    assert latest.active_version_id == version.pk
    assert Classification.objects.get(key="uk-dcms").active_version.label == "2016"
