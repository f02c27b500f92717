"""The site's navigation links to the workspace for researchers and staff only."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from observatoire.roles import RESEARCHER

LINK = f'href="{reverse("terrain:seasons")}"'


def _home(client, user=None):
    if user is not None:
        client.force_login(user)
    return client.get(reverse("initiatives:list")).content.decode()


def test_fieldwork_link_for_season_members_and_staff(client, fieldwork):
    users = fieldwork["users"]
    assert LINK not in _home(client)
    assert LINK not in _home(client, users["outsider"])
    assert LINK in _home(client, users["member"])
    assert LINK in _home(client, users["staff"])


def test_fieldwork_link_for_the_researcher_group(client, db):
    user = get_user_model().objects.create_user("newcomer", password="pw")
    user.groups.add(Group.objects.get_or_create(name=RESEARCHER)[0])
    assert LINK in _home(client, user)
