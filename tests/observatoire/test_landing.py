"""After signing in, each role lands where its work is, unless the sign-in asked for a page."""

import pytest
from django.contrib.auth.models import Group, User

from observatoire import roles

pytestmark = pytest.mark.django_db

PASSWORD = "Coop-Terrain-2024"


def member(name, group=None, **extra):
    user = User.objects.create_user(name, password=PASSWORD, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def sign_in(client, username, language="", **extra):
    response = client.post(
        f"{language}/comptes/login/",
        {"username": username, "password": PASSWORD, **extra},
        follow=True,
    )
    assert response.status_code == 200
    return response.redirect_chain[-1][0]


@pytest.mark.parametrize(
    ("group", "extra", "landing"),
    [
        (roles.RESEARCHER, {}, "/terrain/"),
        (roles.STAFF, {"is_staff": True}, "/missions/"),
        (roles.PARTNER, {}, "/espace-partenaire/"),
        (None, {}, "/"),
    ],
    ids=["researcher", "staff", "partner", "no role"],
)
def test_each_role_lands_where_its_work_is(client, group, extra, landing):
    member("claire", group, **extra)
    assert sign_in(client, "claire") == landing


def test_a_season_member_outside_the_group_lands_on_the_fieldwork(client):
    from terrain.models import Season

    Season.objects.create(title="Saison 1").researchers.add(member("claire"))
    assert sign_in(client, "claire") == "/terrain/"


def test_an_explicit_next_wins(client):
    member("claire", roles.RESEARCHER)
    assert sign_in(client, "claire", next="/agenda/") == "/agenda/"


def test_an_unsafe_next_is_ignored_for_the_landing(client):
    member("claire", roles.RESEARCHER)
    assert sign_in(client, "claire", next="https://evil.example/") == "/terrain/"


def test_the_landing_keeps_the_language(client):
    member("claire", roles.PARTNER)
    assert sign_in(client, "claire", language="/en") == "/en/espace-partenaire/"
