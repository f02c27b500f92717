"""The job board in a real browser while a real worker recognises speech: the draft's stage
shows the seconds of sound done out of the total, moving without a reload, until it succeeds;
then the researcher opens the interview and finds the draft to review."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from medias import services
from tests.medias.fieldwork import interview, people, region  # noqa: F401 - fixtures
from tests.medias.test_speech import MODEL, SENTENCES, spoken
from tests.medias.worker import worker_factory  # noqa: F401 - the fixture

from .test_job_board import log_in_as_staff
from .test_terrain import _log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_PRIVATE_ROOT = tmp_path / "private-media"
    return settings.MEDIA_PRIVATE_ROOT


def test_the_open_board_follows_the_draft_transcript_as_the_model_works(
    page,
    live_server,
    worker_factory,  # noqa: F811
    interview,  # noqa: F811
    people,  # noqa: F811
    settings,
    tmp_path,
):
    settings.SPEECH_MODEL_DIR = str(MODEL)
    interview.language = "en"
    interview.save()
    content, _starts = spoken(SENTENCES, tmp_path)
    upload = SimpleUploadedFile("entretien.wav", content)
    media = services.store_upload(upload, interview, "audio", user=people["member"])
    job = media.jobs.get(processor="speech")
    log_in_as_staff(page, live_server)
    page.goto(live_server.url + reverse("medias:jobs"))
    row = page.locator(f"#job-{job.pk}")
    row.locator("text=Transcription brouillon depuis l’enregistrement").wait_for()
    page.evaluate("() => { window.sameDocument = true; }")

    # Each step pauses a second: the board, polling every two, sees the model at work.
    worker_factory(MEDIA_STEP_DELAY="1", SPEECH_MODEL_DIR=str(MODEL))
    page.wait_for_selector(f"#job-{job.pk}[data-state=running]", timeout=60_000)
    seen = set()
    clock = re.compile(r"Reconnaissance de la parole\u00a0: (\d:\d\d:\d\d) sur (\d:\d\d:\d\d)")
    while row.get_attribute("data-state") == "running":
        if found := clock.search(row.inner_text()):
            seen.add(found[1])
            total = found[2]
        page.wait_for_timeout(300)
    assert row.get_attribute("data-state") == "succeeded"
    assert seen, "the board never showed the seconds of sound done"
    assert all(done <= total for done in seen)
    assert page.evaluate("() => window.sameDocument") is True  # htmx swapped the rows in place

    # The researcher opens the interview: the draft waits for review.
    page.context.clear_cookies()
    _log_in(page, live_server, "member")
    page.goto(live_server.url + interview.get_absolute_url())
    notice = page.locator("#draft-notice")
    assert "Transcription brouillon" in notice.inner_text()
    assert "market" in page.locator("#transcript").inner_text().lower()
