"""The roles exist as groups after migrate, with exactly the permissions of observatoire.roles."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command

from observatoire.roles import PARTNER, RESEARCHER, STAFF, permissions_for, sync_roles

pytestmark = pytest.mark.django_db


def group_permissions(role: str) -> set[tuple[str, str]]:
    return set(
        Group.objects.get(name=role).permissions.values_list("content_type__app_label", "codename")
    )


def member_of(role: str, username: str) -> User:
    user = User.objects.create_user(username, password="unused-Pa55word")
    user.groups.add(Group.objects.get(name=role))
    return User.objects.get(pk=user.pk)  # a fresh object: permissions are cached per instance


def test_migrate_creates_the_three_role_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {PARTNER, RESEARCHER, STAFF}


@pytest.mark.parametrize("role", [PARTNER, RESEARCHER, STAFF])
def test_each_group_holds_exactly_the_permissions_of_its_role(role):
    assert group_permissions(role) == permissions_for(role)


def test_every_permission_named_by_a_role_exists_in_the_database():
    wanted = set().union(*(permissions_for(role) for role in (PARTNER, RESEARCHER, STAFF)))
    existing = set(Permission.objects.values_list("content_type__app_label", "codename"))
    assert wanted - existing == set()


def test_staff_can_delete_initiatives():
    staff = member_of(STAFF, "camille")
    assert staff.has_perm("initiatives.delete_initiative")
    assert staff.has_perm("territoires.change_territory")


def test_researcher_can_add_and_change_initiatives_but_not_delete_them():
    researcher = member_of(RESEARCHER, "dominique")
    assert researcher.has_perm("initiatives.add_initiative")
    assert researcher.has_perm("initiatives.change_initiative")
    assert not researcher.has_perm("initiatives.delete_initiative")


def test_researcher_can_only_view_territories():
    researcher = member_of(RESEARCHER, "dominique")
    assert researcher.has_perm("territoires.view_territory")
    for action in ("add", "change", "delete"):
        assert not researcher.has_perm(f"territoires.{action}_territory")


def test_partner_holds_no_directory_permission_but_may_propose_events():
    partner = member_of(PARTNER, "alex")
    apps = {app for app, _codename in group_permissions(PARTNER)}
    assert not apps & {"initiatives", "territoires", "accompagnements", "evaluations"}
    assert partner.has_perm("agenda.add_event")
    assert not partner.has_perm("agenda.change_event")


def test_sync_roles_twice_changes_nothing():
    before = {role: group_permissions(role) for role in (PARTNER, RESEARCHER, STAFF)}
    groups_before = Group.objects.count()
    sync_roles()
    sync_roles()
    assert Group.objects.count() == groups_before
    assert {role: group_permissions(role) for role in (PARTNER, RESEARCHER, STAFF)} == before


def test_migrate_again_keeps_one_group_per_role():
    call_command("migrate", verbosity=0)
    for role in (PARTNER, RESEARCHER, STAFF):
        assert Group.objects.filter(name=role).count() == 1
        assert group_permissions(role) == permissions_for(role)


def test_sync_roles_removes_a_permission_granted_by_hand():
    researchers = Group.objects.get(name=RESEARCHER)
    researchers.permissions.add(Permission.objects.get(codename="delete_initiative"))
    sync_roles()
    assert ("initiatives", "delete_initiative") not in group_permissions(RESEARCHER)
    assert group_permissions(RESEARCHER) == permissions_for(RESEARCHER)
