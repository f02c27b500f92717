"""The disagreement view in a real browser: a passage settled, then seen in the reader."""

import pytest

from terrain.services import agreement
from tests.terrain.test_agreement import _code, team  # noqa: F401 - fixture

pytestmark = pytest.mark.browser


def _log_in(page, live_server, username):
    page.goto(f"{live_server.url}/comptes/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state("load")


def test_the_team_settles_a_passage_and_the_reader_shows_the_reference(
    page,
    live_server,
    team,  # noqa: F811
    assert_accessible,
    screenshot,
):
    _code(team, "alice", 0, 0, 12)  # "La confiance"
    _code(team, "bruno", 0, 4, 12)  # "onfiance": they differ here
    _code(team, "alice", 1, 4, 12, team["exchange"])  # "échanges", both: agreed
    _code(team, "bruno", 1, 4, 12, team["exchange"])
    (double,) = agreement.start_double_coding(
        [team["interview"]], [team["alice"], team["bruno"]], by=team["dora"]
    )
    agreement.declare_done(double, team["alice"])
    agreement.declare_done(double, team["bruno"])

    _log_in(page, live_server, "dora")
    season, interview = team["season"], team["interview"]
    page.goto(f"{live_server.url}/terrain/{season.pk}/double-codage/")
    assert_accessible(page)
    screenshot(page, "agreement-season")
    page.get_by_role("link", name=interview.title).click()
    page.wait_for_load_state("load")
    figures = page.locator("#agreement-figures")
    assert "Confiance" in figures.inner_text() and "Échanges" in figures.inner_text()
    assert "Accord (%)" in figures.inner_text()
    assert_accessible(page)
    screenshot(page, "agreement-passages")

    open_passage = page.locator("li.passage:not(.settled)")
    assert open_passage.count() == 1
    assert "«\u00a0La confiance\u00a0»" in open_passage.inner_text()
    assert "«\u00a0onfiance\u00a0»" in open_passage.inner_text()
    open_passage.get_by_label("le codage de Bruno").check()
    open_passage.get_by_role("button", name="Régler ce passage").click()
    page.wait_for_load_state("load")

    assert page.locator("li.passage:not(.settled)").count() == 0
    assert "0 passage à régler" in page.locator("#passages").inner_text()
    settled = page.locator("li.passage.settled").first
    assert "Réglé." in settled.inner_text()
    settled.get_by_role("link", name="Le voir dans la transcription").click()
    page.wait_for_load_state("load")

    screenshot(page, "agreement-reader-reference")
    assert_accessible(page)
    segment = team["segments"][0]
    assert page.locator("a[aria-current=true]").inner_text() == "codage de référence"
    excerpts = page.locator(f"#segment-{segment.pk} .excerpts")
    assert "«\u00a0onfiance\u00a0»" in excerpts.inner_text()
    assert "Codage de référence" in excerpts.inner_text()
    assert "La confiance\u00a0»" not in excerpts.inner_text()  # Alice's stays hers, not shown
    assert page.locator(f"#segment-{segment.pk} mark.coded").inner_text() == "onfiance"
    # The passage both coded alike is in the reference too.
    other = team["segments"][1]
    assert page.locator(f"#segment-{other.pk} mark.coded").inner_text() == "échanges"
