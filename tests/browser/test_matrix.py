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
    # The columns are told in words, whichever they are (never a constant's name).
    told = page.locator("main p", has_text="Colonnes")
    assert told.inner_text().endswith("Colonnes\u00a0: les personnes interrogées, une par cas.")
    page.select_option("select[name=colonnes]", "initiatives")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_load_state("load")
    assert told.inner_text().endswith("Colonnes\u00a0: les initiatives rencontrées, une par cas.")
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


def test_a_researcher_adds_attributes_and_fills_a_case_in_the_browser(demo, page, live_server):  # noqa: F811
    season = demo["season"]
    page.goto(f"{live_server.url}/comptes/login/")
    page.fill("input[name=username]", "member")
    page.fill("input[name=password]", "pw")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state("load")
    cases = live_server.url + reverse("terrain:cases", args=[season.pk])
    for name, kind, choices in (
        ("Arrivée sur le territoire", "date", ""),
        ("Salariés", "number", ""),
        ("Génération", "choice", "moins de 40 ans\n40 ans et plus"),
        ("Parcours", "text", ""),
    ):
        page.goto(cases)
        page.fill("input[name=name]", name)
        page.select_option("select[name=applies_to]", "interviewee")
        page.select_option("select[name=kind]", kind)
        page.fill("textarea[name=choices]", choices)
        page.get_by_role("button", name="Ajouter l’attribut").click()
        page.wait_for_load_state("load")
        assert page.get_by_text("Attribut ajouté.").is_visible()
    page.get_by_role("link", name="Modifier les valeurs de Karim Benali").click()
    page.wait_for_load_state("load")
    page.get_by_label("Arrivée sur le territoire").fill("2019-09-15")
    page.get_by_label("Salariés").fill("12.5")
    page.get_by_label("Génération").select_option("40 ans et plus")
    page.get_by_label("Parcours").fill("ancien commerçant, puis élu")
    page.get_by_role("button", name="Enregistrer les valeurs").click()
    page.wait_for_load_state("load")
    row = page.locator("table.cases tr", has_text="Karim Benali")
    text = row.inner_text()
    assert "15/09/2019" in text and "12,5" in text and "40 ans et plus" in text
    assert "ancien commerçant, puis élu" in text
    row.get_by_role("link").click()
    page.wait_for_load_state("load")
    assert page.get_by_label("Arrivée sur le territoire").input_value() == "2019-09-15"
    assert page.get_by_label("Salariés").input_value() == "12.5"
    assert page.get_by_label("Génération").input_value() == "40 ans et plus"
    assert page.get_by_label("Parcours").input_value() == "ancien commerçant, puis élu"
