"""From the reader, a researcher downloads the transcript as WebVTT and SRT, as they would to
take it to OHMS or a subtitle editor; the files open in third-party parsers and are logged."""

import io
from pathlib import Path

import pytest
import srt
import webvtt

from terrain.models import AccessLog
from tests.terrain.conftest import TURNS, fieldwork, users  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def test_the_reader_offers_the_transcript_as_webvtt_and_srt(page, live_server, fieldwork):  # noqa: F811
    page.goto(f"{live_server.url}/comptes/login/")
    page.fill("input[name=username]", "member")
    page.fill("input[name=password]", "pw")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state("load")
    page.goto(f"{live_server.url}{fieldwork['interview'].get_absolute_url()}")
    turns = [(turn["speaker"], turn["text"]) for turn in TURNS]

    with page.expect_download() as vtt_download:
        page.get_by_role("link", name="sous-titres WebVTT (OHMS)").click()
    captions = webvtt.from_buffer(io.StringIO(Path(vtt_download.value.path()).read_text("utf-8")))
    assert [(caption.voice, caption.text) for caption in captions] == turns
    assert vtt_download.value.suggested_filename.endswith(".vtt")

    with page.expect_download() as srt_download:
        page.get_by_role("link", name="sous-titres SRT").click()
    subtitles = list(srt.parse(Path(srt_download.value.path()).read_text("utf-8")))
    assert [tuple(s.content.split(": ", 1)) for s in subtitles] == turns
    assert [s.end.total_seconds() for s in subtitles] == [4, 12, 20]

    downloads = AccessLog.objects.filter(
        user__username="member", action="download", target="transcript"
    )
    assert downloads.count() == 2
