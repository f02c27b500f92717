"""Each role signs in through the form, lands where its work is, and finds in its menu exactly the
workspaces that open for it; a workspace typed by hand outside the role is the site's 403 page."""

import pytest
from django.contrib.auth.models import Group, User

pytestmark = pytest.mark.browser

PASSWORD = "Nav-Coop-2026"
# role -> (where it lands, the names of its workspace menu, in order)
ROLES = {
    "partner": ("/espace-partenaire/", ["Espace partenaires"]),
    "researcher": ("/terrain/", ["Terrain"]),
    "staff": (
        "/missions/",
        [
            "Missions",
            "Terrain",
            "Tableau des traitements",
            "Contributions",
            "Import de l’annuaire",
            "Espace partenaires",
        ],
    ),
}


@pytest.fixture
def person(db):
    def make(role):
        user = User.objects.create_user(role, password=PASSWORD, is_staff=role == "staff")
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


def sign_in(page, base, username):
    page.goto(base + "/comptes/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_lands_on_its_work_and_its_menu_opens_every_workspace_it_shows(
    page, live_server, person, role, assert_accessible
):
    landing, names = ROLES[role]
    person(role)
    sign_in(page, live_server.url, role)
    page.wait_for_url(live_server.url + landing)

    main_menu = page.get_by_role("navigation", name="Navigation principale")
    main_menu.get_by_role("link", name="Enseignements").wait_for()
    work_menu = page.get_by_role("navigation", name="Vos espaces de travail")
    assert work_menu.get_by_role("link").all_inner_texts() == names
    assert_accessible(page)

    for name in names:
        response_info = page.expect_response(lambda r: r.request.is_navigation_request())
        with response_info as info:
            page.get_by_role("navigation", name="Vos espaces de travail").get_by_role(
                "link", name=name, exact=True
            ).click()
        assert info.value.status == 200, name
        assert page.get_by_role("heading", level=1).inner_text() != "Accès refusé"

    page.get_by_role("link", name="Enseignements").click()
    page.wait_for_url("**/enseignements/")


def test_anonymous_visitors_have_no_workspace_menu(page, live_server, db):
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Navigation principale").wait_for()
    assert page.locator("[data-testid=work-nav]").count() == 0


def test_a_researcher_typing_the_partners_portal_gets_the_sites_refusal(
    page, live_server, person, assert_accessible
):
    person("researcher")
    sign_in(page, live_server.url, "researcher")
    page.wait_for_url("**/terrain/")
    response = page.goto(live_server.url + "/espace-partenaire/")
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "Accès refusé"
    assert page.get_by_role("link", name="Retour à l’accueil").is_visible()
    assert_accessible(page)
