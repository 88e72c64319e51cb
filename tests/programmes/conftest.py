import pytest
from django.utils import translation


@pytest.fixture
def english():
    """Messages are asserted in their English source text."""
    with translation.override("en"):
        yield


@pytest.fixture
def media_in_tmp(settings, tmp_path):
    """Uploads and the register store in the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path
