"""Staff import a spreadsheet export into the directory, in a real browser with a real Celery
worker: upload, match the columns (one the suggestion missed), dry run with its refused lines,
the CSV of refusals, the import; then the same file again, whose matching is remembered and
which changes nothing."""

import csv
import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from initiatives.importing.models import ImportRun
from initiatives.models import Initiative
from observatoire.publishing import State
from tests.initiatives.import_files import EXPECTED_REFUSALS, load_communes, messy_csv
from tests.medias.worker import wait_for, worker_factory  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_PRIVATE_ROOT = tmp_path / "private-media"
    return settings.MEDIA_PRIVATE_ROOT


def log_in_as_staff(page, live_server):
    user = get_user_model().objects.create_user("camille", password="x", is_staff=True)
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    return user


def upload(page, live_server, path):
    page.goto(live_server.url + reverse("initiatives:list"))
    page.get_by_test_id("work-nav").get_by_role("link", name="Import de l’annuaire").click()
    page.get_by_label("Fichier").set_input_files(str(path))
    page.get_by_label("Source").fill("Réseau des épiceries")
    page.get_by_role("button", name="Lire le fichier").click()
    page.wait_for_load_state("load")


def counts(page) -> dict:
    names = ("created", "updated", "merged", "unchanged", "refused")
    return {name: int(page.get_by_test_id(f"count-{name}").inner_text()) for name in names}


def test_staff_import_a_file_through_a_dry_run_then_again_with_nothing_to_change(
    page,
    live_server,
    worker_factory,  # noqa: F811
    tmp_path,
    assert_accessible,
):
    load_communes(tmp_path / "subset", departements=["62"])
    staff = log_in_as_staff(page, live_server)
    # The export names its id column "N°", which no suggestion recognises.
    path = tmp_path / "export-epiceries.csv"
    path.write_bytes(messy_csv("cp1252").replace(b"Identifiant;", "N°;".encode("cp1252"), 1))
    worker_factory()

    upload(page, live_server, path)
    assert page.get_by_role("heading", name="1. Faire correspondre les colonnes").is_visible()
    assert page.get_by_label("Code postal", exact=True).input_value() == "postcode"
    assert page.get_by_label("Thèmes", exact=True).input_value() == "themes"
    assert page.get_by_label("N°", exact=True).input_value() == ""
    page.get_by_label("N°", exact=True).select_option("source_id")
    assert_accessible(page)
    page.get_by_role("button", name="Lancer la simulation").click()

    state = page.locator("#import-state")
    page.wait_for_selector(
        "#import-state[data-stage=preview][data-state=succeeded]", timeout=60_000
    )
    assert counts(page) == {"created": 2, "updated": 0, "merged": 0, "unchanged": 0, "refused": 5}
    lines = [
        int(n)
        for n in state.locator("tr[data-line]").evaluate_all(
            "rows => rows.map(r => r.dataset.line)"
        )
    ]
    assert lines == sorted(EXPECTED_REFUSALS)
    assert "SIREN" in state.locator("tr[data-line='6']").inner_text()
    # Written by the worker in the language of the person who started the import.
    assert "Le nom manque." in state.locator("tr[data-line='7']").inner_text()
    assert Initiative.objects.count() == 0  # nothing written by the dry run
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Les télécharger en CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    refused = list(csv.reader(io.StringIO(text)))
    assert [int(row[0]) for row in refused[1:]] == sorted(EXPECTED_REFUSALS)

    page.get_by_role("button", name="Importer ces lignes").click()
    page.wait_for_selector("#import-state[data-stage=commit][data-state=succeeded]", timeout=60_000)
    assert counts(page) == {"created": 2, "updated": 0, "merged": 0, "unchanged": 0, "refused": 5}
    imported = Initiative.objects.filter(source="Réseau des épiceries").order_by("source_id")
    assert [i.source_id for i in imported] == ["A1", "A2"]
    assert {i.state for i in imported} == {State.DRAFT}
    run = ImportRun.objects.get()
    assert imported[0].history.latest().history_change_reason == f"import:{run.pk}"
    assert imported[0].history.latest().history_user == staff

    # The same file again: the matching chosen for this source is remembered, nothing changes.
    upload(page, live_server, path)
    assert page.get_by_label("N°", exact=True).input_value() == "source_id"
    page.get_by_role("button", name="Lancer la simulation").click()
    page.wait_for_selector(
        "#import-state[data-stage=preview][data-state=succeeded]", timeout=60_000
    )
    assert counts(page) == {"created": 0, "updated": 0, "merged": 0, "unchanged": 2, "refused": 5}
    page.get_by_role("button", name="Importer ces lignes").click()
    page.wait_for_selector("#import-state[data-stage=commit][data-state=succeeded]", timeout=60_000)
    assert counts(page)["unchanged"] == 2
    assert Initiative.objects.count() == 2
    wait_for(lambda: ImportRun.objects.filter(state="succeeded").count() == 2, what="both runs")
