"""The transcript reader in a real browser: coding by selection, and the player seeking."""

import http.server
import io
import threading
import wave

import pytest

from tests.terrain.conftest import fieldwork, users  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def _wav(seconds=30, rate=8000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(rate)
        out.writeframes(bytes([128]) * rate * seconds)
    return buffer.getvalue()


def _log_in(page, live_server, username):
    page.goto(f"{live_server.url}/comptes/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state("load")


class RangeHandler(http.server.BaseHTTPRequestHandler):
    """Serves one WAV with byte ranges: a browser can only seek in media served that way."""

    audio = b""

    def do_GET(self):  # noqa: N802 - the name http.server calls
        body, status, headers = self.audio, 200, {}
        wanted = self.headers.get("Range", "")
        if wanted.startswith("bytes="):
            first, _, last = wanted[6:].partition("-")
            start = int(first or 0)
            end = int(last) if last else len(body) - 1
            headers["Content-Range"] = f"bytes {start}-{end}/{len(body)}"
            body, status = body[start : end + 1], 206
        self.send_response(status)
        self.send_header("Content-Type", "audio/wav")
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def audio_server():
    """A WAV generated here, served over HTTP as the medias app would serve a rendition."""
    handler = type("Handler", (RangeHandler,), {"audio": _wav()})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/entretien.wav"
    server.shutdown()
    server.server_close()


@pytest.fixture
def reader(page, live_server, fieldwork, audio_server, settings):  # noqa: F811
    # The recording lives on another host: one the deployment trusts (RECORDING_URL_HOSTS).
    settings.RECORDING_URL_HOSTS = [audio_server.split("/")[2]]
    interview = fieldwork["interview"]
    interview.audio_url = audio_server
    interview.save()
    _log_in(page, live_server, "member")
    page.goto(live_server.url + interview.get_absolute_url())
    return fieldwork


def test_researcher_codes_a_passage_by_selecting_it(page, live_server, reader):
    segment = reader["segments"][0]
    page.evaluate(
        """([id, word]) => {
            const box = document.querySelector(`.segment-text[data-segment="${id}"]`);
            const node = box.firstChild;
            const start = node.textContent.indexOf(word);
            const range = document.createRange();
            range.setStart(node, start);
            range.setEnd(node, start + word.length);
            const sel = window.getSelection();
            sel.removeAllRanges();
            sel.addRange(range);
            box.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
        }""",
        [segment.pk, "née la coopération"],
    )
    panel = page.locator("#coding-panel")
    panel.wait_for(state="visible")
    page.evaluate("window.notReloaded = true")
    page.keyboard.press("1")  # the first code, by keyboard
    page.keyboard.press("Enter")
    page.locator(f"#segment-{segment.pk} .excerpts").wait_for()
    code = reader["codes"][0]
    # No page load: the segment was swapped in place, its passage marked and named by its code.
    assert page.evaluate("window.notReloaded") is True
    mark = page.locator(f"#segment-{segment.pk} mark.coded")
    assert mark.inner_text() == "née la coopération"
    assert code.name in mark.get_attribute("title")
    assert panel.is_hidden()
    # The keyboard is back on the segment's text, and the result was announced.
    assert page.evaluate("document.activeElement.dataset.segment") == str(segment.pk)
    assert code.name in page.locator("[data-testid=coding-done]").inner_text()
    page.goto(f"{live_server.url}/terrain/{reader['season'].pk}/codes/{code.pk}/")
    assert "née la coopération" in page.locator(".code-excerpts").inner_text()


def test_player_seeks_when_a_segment_is_clicked(page, reader):
    segment = reader["segments"][2]
    page.wait_for_function("document.getElementById('player').readyState >= 1")
    page.click(f"#segment-{segment.pk} .seek")
    page.wait_for_function("Math.abs(document.getElementById('player').currentTime - 12) < 1.5")
    page.wait_for_function(
        f"document.getElementById('segment-{segment.pk}').classList.contains('playing')"
    )


def test_segment_edit_form_comes_when_opened_and_saves_the_text(page, live_server, reader):
    """The rows carry no form (a three-hour transcript would weigh megabytes): opening "Edit"
    brings the segment's form, and what is saved is there after a reload."""
    segment = reader["segments"][1]
    row = page.locator(f"#segment-{segment.pk}")
    assert row.locator("textarea").count() == 0
    row.locator("details.segment-edit summary").click()
    text = row.locator("textarea[name=text]")
    text.wait_for()
    assert text.input_value() == segment.text
    # The form opens ready to type in.
    page.wait_for_function("document.activeElement && document.activeElement.name === 'text'")
    text.fill("Nous avons refait les statuts en 2019, à l’assemblée générale.")
    row.locator("details.segment-edit button[type=submit]").click()
    page.wait_for_load_state("load")
    page.reload()
    shown = page.locator(f"#segment-{segment.pk} .segment-text")
    assert shown.inner_text() == "Nous avons refait les statuts en 2019, à l’assemblée générale."
    segment.refresh_from_db()
    assert segment.text == "Nous avons refait les statuts en 2019, à l’assemblée générale."


def test_a_segment_swapped_in_after_coding_still_opens_its_form(page, reader):
    segment = reader["segments"][0]
    page.evaluate(
        """([id, word]) => {
            const box = document.querySelector(`.segment-text[data-segment="${id}"]`);
            const node = box.firstChild;
            const start = node.textContent.indexOf(word);
            const range = document.createRange();
            range.setStart(node, start);
            range.setEnd(node, start + word.length);
            const sel = window.getSelection();
            sel.removeAllRanges();
            sel.addRange(range);
            box.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
        }""",
        [segment.pk, "née la coopération"],
    )
    page.locator("#coding-panel").wait_for(state="visible")
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    row = page.locator(f"#segment-{segment.pk}")
    row.locator(".excerpts").wait_for()
    row.locator("details.segment-edit summary").click()
    text = row.locator("textarea[name=text]")
    text.wait_for()
    assert text.input_value() == segment.text


def test_interviewee_form_comes_when_opened_and_adds_the_person(page, reader):
    """The picker of "Add an interviewee" lists every person one may pick (thousands in a
    directory): it comes when opened, not with each reading of the transcript."""
    people = page.locator("section.people")
    assert people.locator("select[name=person-person]").count() == 0
    people.locator("details summary").click()
    people.locator("input[name=person-last_name]").wait_for()
    people.locator("input[name=person-first_name]").fill("Josiane")
    people.locator("input[name=person-last_name]").fill("Delattre")
    people.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    assert "Josiane Delattre" in page.locator("section.people ul").first.inner_text()
