"""Speaker turns of a draft transcript in a real browser: tick a segment, Shift+click another,
one click on a name gives the whole run to that speaker, in place; a reload finds it kept."""

import pytest

from terrain import services
from terrain.models import Interview, Interviewee
from tests.terrain.conftest import fieldwork, users  # noqa: F401 - fixtures

from .test_terrain import _log_in

pytestmark = pytest.mark.browser

RECOGNISED = [
    {"speaker": "", "start_ms": 3000 * i, "end_ms": 3000 * i + 2500, "text": f"Phrase numéro {i}."}
    for i in range(8)
]


@pytest.fixture
def draft(fieldwork):  # noqa: F811
    interview = Interview.objects.create(visit=fieldwork["interview"].visit, title="Brouillon")
    Interviewee.objects.create(
        interview=interview, person=fieldwork["interview"].people.first().person
    )
    return services.save_draft(interview, RECOGNISED, {"model": "faster-whisper-small"})


def speakers_shown(page) -> list[str]:
    return page.locator("#transcript .segment .speaker").all_inner_texts()


def test_shift_click_then_one_name_gives_the_run_to_the_speaker(
    page,
    live_server,
    draft,
    assert_accessible,
):
    _log_in(page, live_server, "member")
    page.goto(live_server.url + draft.interview.get_absolute_url())
    assert page.locator("#draft-notice").is_visible()
    boxes = page.locator("#transcript .turn-pick")
    assert boxes.count() == len(RECOGNISED)
    boxes.nth(1).click()
    boxes.nth(4).click(modifiers=["Shift"])
    assert [boxes.nth(i).is_checked() for i in range(8)] == [i in range(1, 5) for i in range(8)]
    name = str(draft.interview.people.get().person)
    page.locator("#speaker-form .speaker-choices button", has_text=name).click()
    page.locator("#speaker-status").filter(has_text=name).wait_for()
    # Swapped in place, unticked for the next run; the other segments untouched.
    assert speakers_shown(page) == ["", name, name, name, name, "", "", ""]
    assert not any(boxes.nth(i).is_checked() for i in range(8))

    # A new speaker typed for the last two segments: Enter assigns it.
    boxes.nth(6).click()
    boxes.nth(7).click(modifiers=["Shift"])
    page.fill("#speaker-new", "Animatrice")
    page.press("#speaker-new", "Enter")
    page.locator("#speaker-status").filter(has_text="Animatrice").wait_for()

    # Nothing ticked: the reason, in the status line, and nothing changes.
    page.locator("#speaker-form button[type=submit]").first.click()
    page.locator("#speaker-status .error").wait_for()
    assert_accessible(page)

    page.reload()
    assert speakers_shown(page) == ["", name, name, name, name, "", "Animatrice", "Animatrice"]
    assert page.locator("#speaker-form .speaker-choices button", has_text="Animatrice").count()
