"""Navigation follows the role: each menu shows the workspaces whose pages answer that person, a
workspace they have no part in answers with the site's own 403 page (never a login form they could
not pass, nor an empty workspace), and the 403, 404 and 500 pages are the site's, in both languages.
"""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views import defaults

from observatoire.roles import PARTNER, RESEARCHER, STAFF

PASSWORD = "unused-Pa55word"
WORKSPACE_LINKS = {
    "missions": "/missions/",
    "fieldwork": "/terrain/",
    "jobs": "/traitements/",
    "import": "/import/",
    "portal": "/espace-partenaire/",
}
SEES = {
    None: set(),
    PARTNER: {"portal"},
    RESEARCHER: {"fieldwork"},
    STAFF: {"missions", "fieldwork", "jobs", "import", "portal"},
}


@pytest.fixture
def people(db):
    def person(role):
        user = User.objects.create_user(role, password=PASSWORD, is_staff=role == STAFF)
        user.groups.add(Group.objects.get(name=role))
        return user

    return {role: person(role) for role in (PARTNER, RESEARCHER, STAFF)}


def _signed_in(client, people, role):
    if role is not None:
        client.force_login(people[role])
    return client


def _menus(html: str) -> tuple[str, str]:
    public = re.search(r'<ul class="nav">(.*?)</ul>', html, re.S).group(1)
    work = re.search(r'data-testid="work-nav">(.*?)</nav>', html, re.S)
    return public, work.group(1) if work else ""


@pytest.mark.parametrize("role", [None, PARTNER, RESEARCHER, STAFF])
def test_each_role_sees_the_public_menu_with_findings_and_only_its_own_workspaces(
    client, people, role
):
    html = _signed_in(client, people, role).get("/initiatives/").content.decode()
    public, work = _menus(html)
    assert 'href="/enseignements/">Enseignements</a>' in public
    shown = {name for name, url in WORKSPACE_LINKS.items() if f'href="{url}"' in work}
    assert shown == SEES[role]
    # Every link shown answers 200 to the person who sees it.
    for name in shown:
        assert client.get(WORKSPACE_LINKS[name]).status_code == 200, name


@pytest.mark.parametrize(
    "role, url",
    [
        (RESEARCHER, "/espace-partenaire/"),
        (RESEARCHER, "/traitements/"),
        (PARTNER, "/traitements/"),
        (PARTNER, "/terrain/"),
        (PARTNER, "/espace-partenaire/telechargements/"),
    ],
)
def test_a_workspace_outside_ones_role_is_refused_with_the_sites_own_403(client, people, role, url):
    response = _signed_in(client, people, role).get(url)
    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>Accès refusé</h1>" in html
    assert '<ul class="nav">' in html  # the site's layout, with its menus
    assert f"connecté·e en tant que {role}" in html


def test_the_403_page_speaks_english_under_en(client, people):
    response = _signed_in(client, people, RESEARCHER).get("/en/espace-partenaire/")
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="en">' in html and "<h1>Access refused</h1>" in html
    assert "Accès" not in html


def test_an_anonymous_visitor_is_sent_to_the_sites_login_not_the_admins(client, db):
    for url in ["/traitements/", "/terrain/", "/espace-partenaire/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/comptes/login/?next={url}"


@pytest.mark.parametrize(
    "url, language, title",
    [("/nulle-part/", "fr", "Page introuvable"), ("/en/nowhere/", "en", "Page not found")],
)
def test_the_404_page_is_the_sites_own_in_each_language(client, db, url, language, title):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{language}">' in html and f"<h1>{title}</h1>" in html
    assert 'role="search"' in html


@pytest.mark.parametrize(
    "language, title",
    [("fr", "Une erreur est survenue de notre côté"), ("en", "Something went wrong on our side")],
)
def test_the_500_page_renders_without_a_request_context_or_the_database(language, title):
    """No `db` fixture: any query would fail the test (the database may be what is down)."""
    request = RequestFactory().get("/")
    with translation.override(language):
        response = defaults.server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{language}">' in html and f"<h1>{title}</h1>" in html
    assert 'data-testid="work-nav"' not in html


@pytest.mark.parametrize(
    "role, landing",
    [
        (STAFF, "/missions/"),
        (RESEARCHER, "/terrain/"),
        (PARTNER, "/espace-partenaire/"),
    ],
)
def test_each_role_lands_where_its_work_is_after_signing_in(client, people, role, landing):
    response = client.post(reverse("login"), {"username": role, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == landing
    assert client.get(landing).status_code == 200


def test_a_next_address_still_wins_over_the_landing(client, people):
    response = client.post(
        reverse("login"), {"username": STAFF, "password": PASSWORD, "next": "/agenda/"}
    )
    assert response["Location"] == "/agenda/"
