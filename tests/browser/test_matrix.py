"""The matrix in a browser: choose the columns, open a cell, its excerpts, the passage."""

import pytest
from django.urls import reverse
from django.utils import translation

from initiatives.models import Stage
from terrain.models import Attribute, CaseKind, Known
from terrain.services.cases import refresh_cases
from tests.terrain.test_matrix import demo  # noqa: F401 - fixture

pytestmark = pytest.mark.browser


def test_a_matrix_cell_opens_its_excerpts_and_the_reader_at_the_passage(
    demo,  # noqa: F811
    page,
    live_server,
    assert_accessible,
):
    season = demo["season"]
    refresh_cases(season)
    stage = Attribute.objects.get(season=season, applies_to=CaseKind.INITIATIVE, source=Known.STAGE)
    page.goto(f"{live_server.url}/comptes/login/")
    page.fill("input[name=username]", "member")
    page.fill("input[name=password]", "pw")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state("load")

    page.goto(live_server.url + reverse("terrain:matrix", args=[season.pk]))
    page.select_option("select[name=colonnes]", str(stage.pk))
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_load_state("load")
    table = page.locator("table.matrix")
    headers = table.locator("thead th").all_inner_texts()
    with translation.override("fr"):  # the choices' order: emerging (the Pile), then consolidated
        expected = [str(Stage.EMERGING.label), str(Stage.CONSOLIDATED.label)]
    assert headers == ["Code", *expected, "Ensemble des cas"]
    assert_accessible(page)

    mediation = demo["codes"]["médiation"]
    row = table.locator(f"tr[data-code='{mediation.pk}']")
    row.locator("td").nth(1).get_by_role("link").click()
    page.wait_for_load_state("load")
    items = page.locator("ol.matrix-excerpts > li")
    assert items.count() == 2
    excerpt = mediation.excerpts.filter(segment__speaker="Ophélie").order_by("segment__position")[0]
    first = items.nth(0)
    assert excerpt.text in first.locator("blockquote").inner_text()
    assert "Ophélie" in first.locator(".meta").inner_text()
    assert_accessible(page)

    first.get_by_role("link").click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"#segment-{excerpt.segment_id}")
    passage = page.locator(f"#segment-{excerpt.segment_id}")
    assert excerpt.text in passage.inner_text()
    assert passage.is_visible()
