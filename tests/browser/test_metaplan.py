"""The métaplan board in a real browser: staff drag cards into clusters, and it survives reload."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.browser


@pytest.fixture
def board(db):
    from accompagnements import services
    from accompagnements.models import Method, SupportMission, Workshop
    from initiatives.models import Organisation

    client = Organisation.objects.create(name="ADERE LAURA", slug="adere-laura")
    mission = SupportMission.objects.create(title="Projet associatif", client_organisation=client)
    workshop = Workshop.objects.create(
        mission=mission,
        title="Atelier des 30 ans",
        date=timezone.make_aware(dt.datetime(2022, 6, 15, 14, 0)),
        method=Method.METAPLAN,
    )
    services.add_cards(workshop, "Charte des valeurs\nAdhérents au CA\nAchats locaux")
    services.add_cluster(workshop, "Valeurs")
    services.add_cluster(workshop, "Gouvernance")
    return workshop


def log_in_as_staff(page, live_server):
    user = get_user_model().objects.create_user("camille", password="x", is_staff=True)
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def card(page, text):
    return page.locator(".metaplan-card", has_text=text)


def test_staff_arrange_cards_into_clusters_and_see_it_after_reload(
    page, live_server, board, assert_accessible
):
    log_in_as_staff(page, live_server)
    page.goto(live_server.url + reverse("accompagnements:metaplan", args=[board.pk]))
    values = page.get_by_test_id("cluster-Valeurs")
    governance = page.get_by_test_id("cluster-Gouvernance")

    card(page, "Charte des valeurs").locator(".card-text").drag_to(values)
    page.wait_for_selector("#metaplan[data-state=saved]")
    page.evaluate("document.getElementById('metaplan').dataset.state = ''")
    card(page, "Adhérents au CA").locator(".card-text").drag_to(governance)
    page.wait_for_selector("#metaplan[data-state=saved]")

    page.reload()
    assert values.locator(".card-text").all_inner_texts() == ["Charte des valeurs"]
    assert governance.locator(".card-text").all_inner_texts() == ["Adhérents au CA"]
    loose = page.get_by_test_id("loose").locator(".card-text").all_inner_texts()
    assert loose == ["Achats locaux"]
    assert_accessible(page)


def test_the_move_menu_arranges_without_dragging(page, live_server, board):
    log_in_as_staff(page, live_server)
    page.goto(live_server.url + reverse("accompagnements:metaplan", args=[board.pk]))
    with page.expect_navigation():
        card(page, "Achats locaux").get_by_role("combobox").select_option(label="Valeurs")
    page.reload()
    texts = page.get_by_test_id("cluster-Valeurs").locator(".card-text").all_inner_texts()
    assert texts == ["Achats locaux"]


def test_staff_edit_and_delete_cards_and_clusters(page, live_server, board):
    from accompagnements.models import MetaplanCard, MetaplanCluster

    log_in_as_staff(page, live_server)
    page.goto(live_server.url + reverse("accompagnements:metaplan", args=[board.pk]))
    charter = card(page, "Charte des valeurs")
    charter.locator("summary").click()
    charter.get_by_label("Texte de la carte").fill("Charte des valeurs partagées")
    charter.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()
    assert card(page, "Charte des valeurs partagées").count() == 1

    local = card(page, "Achats locaux")
    local.locator("summary").click()
    local.get_by_role("button", name="Supprimer la carte").click()
    page.wait_for_load_state()
    assert card(page, "Achats locaux").count() == 0
    assert not MetaplanCard.objects.filter(text="Achats locaux").exists()

    # A card in a cluster, then the cluster deleted: the card is loose again, not lost.
    governance = MetaplanCluster.objects.get(title="Gouvernance")
    card(page, "Adhérents au CA").locator("select").select_option(str(governance.pk))
    card(page, "Adhérents au CA").get_by_role("button", name="Déplacer").click()
    page.wait_for_load_state()
    column = page.locator(".metaplan-column", has=page.get_by_test_id("cluster-Gouvernance"))
    column.locator("summary").first.click()
    column.get_by_role("button", name="Supprimer le regroupement (ses cartes restent)").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("cluster-Gouvernance").count() == 0
    assert page.get_by_test_id("loose").locator(".metaplan-card", has_text="Adhérents").count()
    assert MetaplanCard.objects.get(text="Adhérents au CA").cluster is None
