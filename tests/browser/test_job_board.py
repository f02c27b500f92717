"""The job board in a real browser, with a real Celery worker: a row goes from queued to succeeded
without a reload, and axe finds nothing serious on the board."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from medias import services
from tests.medias import files
from tests.medias.worker import worker_factory  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_PRIVATE_ROOT = tmp_path / "private-media"
    return settings.MEDIA_PRIVATE_ROOT


def log_in_as_staff(page, live_server):
    user = get_user_model().objects.create_user("camille", password="x", is_staff=True)
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def test_a_job_moves_from_queued_to_succeeded_on_the_open_board(
    page,
    live_server,
    worker_factory,  # noqa: F811
    assert_accessible,
):
    log_in_as_staff(page, live_server)
    # Sent to the broker on commit; no worker listens yet, so the row starts queued.
    media = services.store_upload(SimpleUploadedFile("photo.jpg", files.jpeg()), None, "image")
    job = media.jobs.get()
    page.goto(live_server.url + reverse("medias:jobs"))
    row = f"#job-{job.pk}"
    page.wait_for_selector(f"{row}[data-state=queued]")
    assert_accessible(page)
    page.evaluate("() => { window.sameDocument = true; }")

    worker_factory()
    page.wait_for_selector(f"{row}[data-state=succeeded]", timeout=60_000)
    assert page.evaluate("() => window.sameDocument") is True  # htmx swapped it in place
    assert "100" in page.locator(f"{row} progress").get_attribute("value")
    assert_accessible(page)
