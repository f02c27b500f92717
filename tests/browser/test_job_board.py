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


def test_a_failed_job_reads_as_a_sentence_and_its_detail_opens_on_demand(
    page, live_server, private_media
):
    from django.utils import translation

    from medias import pipeline

    log_in_as_staff(page, live_server)
    broken = files.wav()[:44].replace(b"fmt ", b"fmX ")
    media = services.store_upload(SimpleUploadedFile("entretien.wav", broken), None, "audio")
    job = media.jobs.get()
    with translation.override("fr"):  # the worker's language is the site's
        assert pipeline.run(job.pk, "worker@host") == "failed"
    page.goto(live_server.url + "/en" + reverse("medias:jobs"))
    row = page.locator(f"#job-{job.pk}")
    row.wait_for()
    assert "Playable copy and waveform of the recording" in row.inner_text()
    assert "The recording cannot be read: its header is damaged or unknown." in row.inner_text()
    detail = row.locator("details.error-detail pre")
    assert not detail.is_visible()  # collapsed: the sentence is what a person reads first
    row.get_by_text("Technical detail").click()
    assert detail.is_visible() and "Invalid data" in detail.inner_text()
    page.evaluate("() => { window.sameDocument = true; }")
    with page.expect_response(lambda r: "/traitements/" in r.url):  # the board refreshes itself
        pass
    page.wait_for_timeout(300)
    assert detail.is_visible()  # still open: the refresh does not fold what staff opened
    assert page.evaluate("() => window.sameDocument") is True
    body = page.locator("body").inner_text()
    assert "Terminé" not in body and "Échoué" not in body and "échoué" not in body
