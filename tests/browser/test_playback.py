"""A researcher uploads a recording beside the transcript, a real worker processes it, and the
player seeks: a click on a segment's time or on the waveform plays from there.

The recording is a few seconds of generated sound (PyAV), made into the browser rendition and its
waveform by the real processors in a real Celery worker; Chromium plays it from the medias view,
which answers its range requests. The whole listening is one row of the access log.
"""

import pytest

from terrain.models import AccessLog, Segment
from tests.medias import files
from tests.medias.worker import worker_factory  # noqa: F401 - the fixture
from tests.terrain.conftest import fieldwork, users  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

SECONDS = 6.0
# Where the transcript's turns start in the recording (ms): the second one at 2.0 s.
STARTS = [(0, 2000), (2000, 4500), (4500, 6000)]


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_PRIVATE_ROOT = tmp_path / "private-media"
    return settings.MEDIA_PRIVATE_ROOT


@pytest.fixture
def transcript(fieldwork):  # noqa: F811
    for segment, (start, end) in zip(fieldwork["segments"], STARTS, strict=True):
        Segment.objects.filter(pk=segment.pk).update(start_ms=start, end_ms=end)
    return fieldwork


def _log_in(page, live_server, username):
    page.goto(f"{live_server.url}/comptes/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state("load")


def _painted_pixels(page) -> int:
    return page.evaluate(
        """() => {
            const canvas = document.querySelector('#waveform canvas');
            const context = canvas.getContext('2d');
            const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
            let painted = 0;
            for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted += 1;
            return painted;
        }"""
    )


def test_a_segment_click_and_a_waveform_click_seek_the_uploaded_recording(
    page,
    live_server,
    transcript,
    worker_factory,  # noqa: F811
    assert_accessible,
    screenshot,
):
    interview = transcript["interview"]
    _log_in(page, live_server, "member")
    page.goto(live_server.url + interview.get_absolute_url())

    # The researcher uploads the recording from the interview page; a worker processes it.
    page.select_option("select[name=kind]", "audio")
    page.set_input_files(
        "input[name=file]",
        {"name": "entretien.wav", "mimeType": "audio/wav", "buffer": files.spoken_wav(SECONDS)},
    )
    page.click(".upload-form button[type=submit]")
    page.wait_for_load_state("load")
    worker_factory()
    page.wait_for_selector(f"#owner-files-{interview.pk} tr[data-state=succeeded]")
    page.wait_for_function(
        f"""() => {{
            const rows = document.querySelectorAll('#owner-files-{interview.pk} tr[data-state]');
            return rows.length && [...rows].every((row) => row.dataset.state === 'succeeded');
        }}""",
        timeout=90_000,
    )

    ranges = []

    def keep_audio_answers(response):
        if "/rendition-audio/" in response.url:
            ranges.append((response.status, response.headers.get("content-range", "")))

    page.on("response", keep_audio_answers)
    page.reload()
    page.wait_for_function("document.getElementById('player').readyState >= 1")
    page.wait_for_function("document.getElementById('waveform').getAttribute('aria-valuemax') > 0")
    page.wait_for_function("document.querySelector('#waveform canvas').width > 0")
    page.wait_for_timeout(200)  # the peaks arrive by fetch
    assert _painted_pixels(page) > 1000, "the waveform is not drawn"
    page.evaluate(
        """() => {
            const player = document.getElementById('player');
            window.landed = [];
            player.addEventListener('seeked', () => window.landed.push(player.currentTime));
        }"""
    )

    # A click on the time of the turn that starts at 2.0 s plays from there.
    segment = transcript["segments"][1]
    page.click(f"#segment-{segment.pk} .seek")
    page.wait_for_function("window.landed.length >= 1")
    assert abs(page.evaluate("window.landed[0]") - 2.0) < 0.5
    page.wait_for_function(
        f"document.getElementById('segment-{segment.pk}').classList.contains('playing')"
    )
    player = page.evaluate(
        """() => {
            const player = document.getElementById('player');
            player.pause();
            return {time: player.currentTime, seekable: player.seekable.length,
                    end: player.seekable.length ? player.seekable.end(0) : 0,
                    duration: player.duration};
        }"""
    )
    assert abs(player["time"] - 2.0) < 1.0  # paused soon after, wherever playing had taken it
    assert player["seekable"] > 0 and player["end"] == pytest.approx(SECONDS, abs=0.2)
    assert any(status == 206 and value.startswith("bytes ") for status, value in ranges), ranges

    # A click three quarters along the waveform plays from three quarters of the recording.
    box = page.locator("#waveform").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + box["height"] / 2)
    page.wait_for_function("window.landed.length >= 2")
    landed = page.evaluate("window.landed[1]")
    assert abs(landed - 0.75 * player["duration"]) < 0.5
    page.evaluate("document.getElementById('player').pause()")
    # And the arrow keys move it too, as on any slider.
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("window.landed.length >= 3")
    assert page.evaluate("window.landed[2]") < landed - 4

    assert_accessible(page)
    screenshot(page, "reader-playback")
    # Every range request, the reload and the seeks were one listening.
    assert AccessLog.objects.filter(target=AccessLog.Target.RECORDING).count() == 1
