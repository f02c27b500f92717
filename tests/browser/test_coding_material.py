"""Coding that fits the material, in a real browser: passages over several turns, codes created
from the coding panel, the codebook rearranged by keyboard and by drag and drop."""

import re

import pytest

from terrain.models import Code, Excerpt, Segment
from tests.browser.test_playback import private_media  # noqa: F401 - fixture
from tests.browser.test_terrain import audio_server  # noqa: F401 - fixture
from tests.medias import files
from tests.medias.worker import worker_factory  # noqa: F401 - fixture
from tests.terrain.conftest import fieldwork, users  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

# Selects from code point `from` of one turn's text to code point `to` of another's, walking the
# text nodes (a coded passage is a <mark> inside the text), then releases the mouse as a person.
SELECT = """([firstId, from, lastId, to]) => {
    const place = (id, offset) => {
        const box = document.querySelector(`.segment-text[data-segment="${id}"]`);
        const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
        let node, left = offset;
        while ((node = walker.nextNode())) {
            const chars = Array.from(node.textContent);
            if (left <= chars.length) return [node, chars.slice(0, left).join("").length];
            left -= chars.length;
        }
        throw new Error("offset outside the text");
    };
    const range = document.createRange();
    range.setStart(...place(firstId, from));
    range.setEnd(...place(lastId, to));
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    document.querySelector(`.segment-text[data-segment="${lastId}"]`)
        .dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
}"""


def _log_in(page, live_server, username):
    page.goto(f"{live_server.url}/comptes/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state("load")


@pytest.fixture
def reader(page, live_server, fieldwork):  # noqa: F811
    _log_in(page, live_server, "member")
    page.goto(live_server.url + fieldwork["interview"].get_absolute_url())
    return fieldwork


def _marked(page, segment, code) -> str:
    """The words of a turn the reader marks with this code."""
    return page.evaluate(
        """([id, code]) => Array.from(document.querySelectorAll(`#segment-${id} mark.coded`))
            .filter((m) => m.dataset.codes.split(",").includes(String(code)))
            .map((m) => m.textContent).join("")""",
        [segment.pk, code.pk],
    )


def _edit_segment(page, segment, text):
    row = page.locator(f"#segment-{segment.pk}")
    row.locator("details.segment-edit summary").click()
    row.locator("textarea[name=text]").fill(text)
    row.locator("details.segment-edit button[type=submit]").click()
    page.wait_for_load_state("load")


def test_passage_across_two_turns_is_coded_and_stays_exact(page, live_server, reader):
    first, second = reader["segments"][0], reader["segments"][1]
    start = first.text.index("née")
    end = len("Au début, Hélène")  # ends inside a passage already coded in the second turn
    expected = first.text[start:] + "\n" + second.text[:end]
    page.evaluate(SELECT, [first.pk, start, second.pk, end])
    panel = page.locator("#coding-panel")
    panel.wait_for(state="visible")
    assert page.locator("#coding-selection").inner_text() == expected
    page.keyboard.press("2")  # the second code: no passage of these turns has it yet
    page.keyboard.press("Enter")
    listed = page.locator(f"#segment-{first.pk} .excerpts li[data-spans='{second.pk}']")
    listed.wait_for()

    page.reload()
    listed = page.locator(f"#segment-{first.pk} .excerpts li[data-spans='{second.pk}']")
    assert expected in listed.inner_text()
    # Marked in both turns: the end of the first, the start of the second.
    code = reader["codes"][1]
    assert _marked(page, first, code) == first.text[start:]
    assert _marked(page, second, code) == second.text[:end]
    excerpt = Excerpt.objects.get(pk=listed.get_attribute("data-excerpt"))
    assert (excerpt.segment_id, excerpt.end_segment_id) == (first.pk, second.pk)
    assert excerpt.text == expected
    assert list(excerpt.codes.all()) == [code]

    # The first turn edited before the passage, the second after it: the passage keeps its words.
    _edit_segment(page, first, "Alors, dites-moi : " + first.text)
    _edit_segment(page, second, second.text.replace("réguliers", "hebdomadaires"))
    excerpt.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert excerpt.text == expected
    assert first.text[excerpt.start :] + "\n" + second.text[: excerpt.end] == expected
    listed = page.locator(f"#segment-{first.pk} .excerpts li[data-spans='{second.pk}']")
    assert expected in listed.inner_text()
    assert _marked(page, first, code) == "née la coopération ?"
    assert _marked(page, second, code) == "Au début, Hélène"


def test_code_created_from_the_panel_is_applied_at_once(page, live_server, reader):
    segment = reader["segments"][2]
    start = segment.text.index("diagnostic")
    page.evaluate(SELECT, [segment.pk, start, segment.pk, start + len("diagnostic partagé")])
    page.locator("#coding-panel").wait_for(state="visible")
    page.fill("#new-code-name", "Proposition d’une personne")
    page.click("#new-code-add")
    page.locator("[data-testid=coding-done]").filter(has_text="Proposition").wait_for()
    assert page.locator("#coding-panel").is_hidden()
    code = Code.objects.get(season=reader["season"], name="Proposition d’une personne")
    excerpt = code.excerpts.get()
    assert excerpt.text == "diagnostic partagé"
    # The person goes on to the codebook: the new code is there with its one excerpt.
    page.goto(f"{live_server.url}/terrain/{reader['season'].pk}/codes/")
    assert page.locator(f"[data-testid=count-{code.pk}]").inner_text() == "(1)"


def test_a_code_name_the_codebook_has_applies_that_code_with_one_box(page, live_server, reader):
    existing = reader["codes"][0]
    segment = reader["segments"][2]
    page.evaluate(SELECT, [segment.pk, 0, segment.pk, 9])
    page.locator("#coding-panel").wait_for(state="visible")
    page.fill("#new-code-name", existing.name)
    page.click("#new-code-add")
    page.locator("[data-testid=coding-done]").filter(has_text=existing.name).wait_for()
    boxes = page.locator(f"#code-choices input[name=codes][value='{existing.pk}']")
    assert boxes.count() == 1
    assert Code.objects.filter(season=reader["season"], name=existing.name).count() == 1
    excerpt = segment.excerpts.get(start=0, end=9)
    assert list(excerpt.codes.all()) == [existing]
    # Once more with the same name: still one box, and the next passage gets the code too.
    page.evaluate(SELECT, [segment.pk, 10, segment.pk, 15])
    page.locator("#coding-panel").wait_for(state="visible")
    page.fill("#new-code-name", existing.name)
    page.click("#new-code-add")
    page.locator("#coding-panel").wait_for(state="hidden")
    assert boxes.count() == 1
    assert list(segment.excerpts.get(start=10, end=15).codes.all()) == [existing]


def test_empty_code_name_from_the_panel_says_why(page, live_server, reader):
    segment = reader["segments"][0]
    page.evaluate(SELECT, [segment.pk, 0, segment.pk, 7])
    page.locator("#coding-panel").wait_for(state="visible")
    page.click("#new-code-add")
    page.locator("#coding-status").filter(has_text="nom").wait_for()
    assert not Segment.objects.get(pk=segment.pk).excerpts.filter(start=0, end=7).exists()


def _rows(page):
    return page.evaluate(
        """() => Array.from(document.querySelectorAll("#code-tree li[data-code]")).map(
            (li) => [li.querySelector("a").textContent, Number(li.dataset.depth)])"""
    )


def test_codebook_rearranged_with_the_keyboard_and_by_drag_and_drop(page, live_server, fieldwork):  # noqa: F811
    from terrain import services

    governance, _new = services.create_code(fieldwork["season"], "Gouvernance")
    _log_in(page, live_server, "member")
    page.goto(f"{live_server.url}/terrain/{fieldwork['season'].pk}/codes/")
    assert _rows(page) == [["Confiance", 0], ["Diagnostic partagé", 1], ["Gouvernance", 0]]

    # Keyboard: Tab to the button, Enter; the tree comes back, the move is spoken, focus stays.
    page.get_by_role("button", name="Ranger Gouvernance dans le code au-dessus").focus()
    page.keyboard.press("Enter")
    announce = page.locator("[data-testid=codebook-announce]")
    announce.filter(has_text="Gouvernance\u00a0: position 2 sur 2 sous Confiance.").wait_for()
    assert _rows(page) == [["Confiance", 0], ["Diagnostic partagé", 1], ["Gouvernance", 1]]
    focused = "document.activeElement.getAttribute('aria-label')"
    # Announced once the focus is back on the button used.
    assert page.evaluate(focused) == "Ranger Gouvernance dans le code au-dessus"
    page.keyboard.press("Shift+Tab")  # "down" is disabled (last at its level): "up" comes before
    assert page.evaluate(focused) == "Monter Gouvernance"
    page.keyboard.press("Enter")  # the focused button: up, before Diagnostic partagé
    announce.filter(has_text="Gouvernance\u00a0: position 1 sur 2").wait_for()
    assert _rows(page) == [["Confiance", 0], ["Gouvernance", 1], ["Diagnostic partagé", 1]]

    # Drag and drop: Diagnostic partagé dropped on the right part of Gouvernance goes inside it.
    source = page.locator("#code-tree li", has_text="Diagnostic partagé").first
    target = page.locator("#code-tree li", has_text="Gouvernance").first
    box = target.bounding_box()
    source.drag_to(target, target_position={"x": box["width"] * 0.9, "y": box["height"] / 2})
    announce.filter(has_text="sous Gouvernance").wait_for()
    assert _rows(page) == [["Confiance", 0], ["Gouvernance", 1], ["Diagnostic partagé", 2]]
    # The person reloads: the codebook is as they left it.
    page.reload()
    assert _rows(page) == [["Confiance", 0], ["Gouvernance", 1], ["Diagnostic partagé", 2]]
    assert Code.objects.get(name="Diagnostic partagé").parent_id == governance.pk


def test_a_time_range_of_the_recording_is_coded_from_the_player(
    page,
    live_server,
    fieldwork,  # noqa: F811
    audio_server,  # noqa: F811
    settings,
    assert_accessible,
):
    settings.RECORDING_URL_HOSTS = [audio_server.split("/")[2]]
    interview = fieldwork["interview"]
    interview.audio_url = audio_server
    interview.save()
    _log_in(page, live_server, "member")
    page.goto(live_server.url + interview.get_absolute_url())
    page.wait_for_function("document.getElementById('player').readyState >= 1")
    page.evaluate("document.getElementById('player').currentTime = 2")
    page.wait_for_function("Math.abs(document.getElementById('player').currentTime - 2) < 0.2")
    page.get_by_role("button", name="Début ici").click()
    page.evaluate("document.getElementById('player').currentTime = 7.5")
    page.wait_for_function("Math.abs(document.getElementById('player').currentTime - 7.5) < 0.2")
    page.get_by_role("button", name="Fin ici").click()
    assert page.input_value("#range-start") == "0:00:02.0"
    assert page.input_value("#range-end") == "0:00:07.5"
    form = page.locator("#recording-form")
    form.get_by_label("Diagnostic partagé").check()
    assert_accessible(page)
    form.get_by_role("button", name="Coder la plage de temps").click()
    page.wait_for_load_state("load")
    passage = page.locator(".recorded-passages li").first
    assert passage.locator(".seek").inner_text() == "0:00:02–0:00:07"
    assert "Diagnostic partagé" in passage.inner_text()
    (coded,) = interview.audio_excerpts.all()
    assert (coded.start_ms, coded.end_ms) == (2000, 7500)


def test_a_time_range_dragged_across_the_waveform_is_coded(
    page,
    live_server,
    fieldwork,  # noqa: F811
    worker_factory,  # noqa: F811
):
    interview = fieldwork["interview"]
    _log_in(page, live_server, "member")
    page.goto(live_server.url + interview.get_absolute_url())
    # The researcher uploads the recording; a real worker makes its rendition and waveform.
    page.select_option("select[name=kind]", "audio")
    page.set_input_files(
        "input[name=file]",
        {"name": "entretien.wav", "mimeType": "audio/wav", "buffer": files.spoken_wav(6.0)},
    )
    page.click(".upload-form button[type=submit]")
    page.wait_for_load_state("load")
    worker_factory()
    page.wait_for_function(
        f"""() => {{
            const rows = document.querySelectorAll('#owner-files-{interview.pk} tr[data-state]');
            return rows.length && [...rows].every((row) => row.dataset.state === 'succeeded');
        }}""",
        timeout=90_000,
    )
    page.reload()
    page.wait_for_function("document.getElementById('waveform').getAttribute('aria-valuemax') > 0")
    duration = page.evaluate("document.getElementById('player').duration")

    # A drag from a quarter to a half of the waveform marks that range in the form.
    box = page.locator("#waveform").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.25, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.4, y, steps=5)
    page.mouse.move(box["x"] + box["width"] * 0.5, y, steps=5)
    page.mouse.up()
    assert page.evaluate("document.getElementById('player').paused")  # a drag is not a click

    def seconds(field):
        h, m, s = page.input_value(field).split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)

    assert seconds("#range-start") == pytest.approx(duration * 0.25, abs=0.2)
    assert seconds("#range-end") == pytest.approx(duration * 0.5, abs=0.2)
    form = page.locator("#recording-form")
    form.get_by_label("Confiance").check()
    form.get_by_role("button", name="Coder la plage de temps").click()
    page.wait_for_load_state("load")
    (coded,) = interview.audio_excerpts.all()
    assert coded.start_ms == pytest.approx(duration * 250, abs=200)
    assert coded.end_ms == pytest.approx(duration * 500, abs=200)
    assert list(coded.codes.values_list("name", flat=True)) == ["Confiance"]
    # The coded range is drawn on the waveform when the reader opens again.
    assert page.evaluate("JSON.parse(document.getElementById('waveform').dataset.ranges)") == [
        [coded.start_ms, coded.end_ms]
    ]

    # A range typed past the end of the recording is refused with its length, the values kept.
    form = page.locator("#recording-form")
    page.fill("#range-start", "0:00:02")
    page.fill("#range-end", "9:00:00")
    form.get_by_label("Confiance").check()
    with page.expect_response(lambda r: r.request.method == "POST") as sent:
        form.get_by_role("button", name="Coder la plage de temps").click()
    assert sent.value.status == 400
    page.wait_for_load_state("load")
    error = page.get_by_test_id("recording-error").inner_text()
    assert re.fullmatch(
        r"La plage de temps finit après la fin de l’enregistrement \(0:00:0\d\)\.", error
    )
    assert page.input_value("#range-end") == "9:00:00"
    assert interview.audio_excerpts.count() == 1
