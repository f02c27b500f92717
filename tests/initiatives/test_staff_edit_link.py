"""Staff go from a public profile to its staff form, not the admin; nobody else sees it."""

import pytest
from django.contrib.auth.models import Group, User

from initiatives.models import Initiative, Organisation, Pole
from observatoire import roles
from observatoire.publishing import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def profiles(territory_factory):
    commune = territory_factory(territory_factory.Level.COMMUNE, "62178", "Bruay-la-Buissière")
    published = {"territory": commune, "state": State.PUBLISHED}
    return {
        "initiatives:edit": Initiative.objects.create(
            name="Maison des échanges", slug="maison", **published
        ),
        "initiatives:organisation-edit": Organisation.objects.create(
            name="ADERE LAURA", slug="adere", **published
        ),
        "initiatives:pole-edit": Pole.objects.create(
            name="PTCE Sud Aquitaine", slug="ptce-sud", **published
        ),
    }


def member(group, **extra):
    user = User.objects.create_user(group, password="unused-Pa55word", **extra)
    user.groups.add(Group.objects.get(name=group))
    return user


def test_staff_see_an_edit_link_on_each_profile(client, profiles):
    from django.urls import reverse

    client.force_login(member(roles.STAFF, is_staff=True))
    for name, obj in profiles.items():
        page = client.get(obj.get_absolute_url()).content.decode()
        assert f'href="{reverse(name, args=[obj.slug])}"' in page
        assert client.get(reverse(name, args=[obj.slug])).status_code == 200


@pytest.mark.parametrize("who", [None, roles.PARTNER, roles.RESEARCHER])
def test_nobody_else_sees_it(client, profiles, who):
    if who:
        client.force_login(member(who))
    for obj in profiles.values():
        assert 'data-testid="staff-edit"' not in client.get(obj.get_absolute_url()).content.decode()
