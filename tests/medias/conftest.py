"""Media tests: a private storage folder per test; real-worker fixtures live in worker.py."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


@pytest.fixture(autouse=True)
def english():
    """Reasons are checked in English, the msgids; the French catalogue translates them."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_PRIVATE_ROOT = tmp_path / "private-media"
    return settings.MEDIA_PRIVATE_ROOT


@pytest.fixture
def upload():
    def make(name: str, content: bytes) -> SimpleUploadedFile:
        return SimpleUploadedFile(name, content)

    return make
