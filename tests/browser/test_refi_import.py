"""A researcher moves a season's work into another season through REFI-QDA, in a real browser:
the project file exported from the first is chosen in the codebook page's form and submitted."""

import pytest

from terrain.models import Excerpt, Season
from terrain.refi import export_qdpx
from tests.terrain.conftest import fieldwork, users  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def test_a_researcher_imports_a_project_and_reads_what_was_merged(
    page,
    live_server,
    fieldwork,  # noqa: F811
    tmp_path,
    assert_accessible,
):
    member = fieldwork["users"]["member"]
    qdpx = tmp_path / "saison.qdpx"
    qdpx.write_bytes(export_qdpx(fieldwork["season"]))
    fresh = Season.objects.create(title="Saison reprise")
    fresh.researchers.add(member)

    page.goto(f"{live_server.url}/comptes/login/")
    page.fill("input[name=username]", "member")
    page.fill("input[name=password]", "pw")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state("load")
    page.goto(f"{live_server.url}/terrain/{fresh.pk}/codes/")
    page.get_by_label("Projet REFI-QDA (.qdpx)").set_input_files(str(qdpx))
    page.get_by_role("button", name="Importer le projet").click()
    page.wait_for_load_state("load")

    assert page.get_by_role("heading", name="Ce que l’import a fait").is_visible()
    assert_accessible(page)
    assert page.get_by_test_id("codes-created").inner_text() == "2"
    assert page.get_by_test_id("excerpts").inner_text() == "2"
    assert Excerpt.objects.filter(segment__transcript__interview__visit__season=fresh).count() == 2

    # The same file a second time: the codes are recognised, nothing is doubled.
    page.goto(f"{live_server.url}/terrain/{fresh.pk}/codes/")
    page.get_by_label("Projet REFI-QDA (.qdpx)").set_input_files(str(qdpx))
    page.get_by_role("button", name="Importer le projet").click()
    page.wait_for_load_state("load")
    assert page.get_by_test_id("codes-created").inner_text() == "0"
    assert page.get_by_test_id("excerpts").inner_text() == "0"
    assert fresh.codes.count() == 2
