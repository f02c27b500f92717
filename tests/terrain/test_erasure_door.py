"""The doors to an erasure: the admin's confirmation page (staff only), and the command for
requests received by mail, which shows and changes nothing without --yes."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from initiatives.models import Person
from terrain.models import Erasure, Segment

pytestmark = pytest.mark.django_db


def erase_url(person) -> str:
    return reverse("admin:initiatives_person_erase", args=[person.pk])


def test_the_command_shows_then_erases(published):
    helene = published["helene"]
    out = StringIO()
    call_command("erase_person", str(helene.pk), stdout=out)
    shown = out.getvalue()
    assert "Hélène Brûlé" in shown and "--yes" in shown
    assert "Terrain:\n  - 1 entretien\n" in shown
    assert "1 consentement (formulaires signés\u00a0: 0)" in shown
    assert Person.objects.get(pk=helene.pk).last_name == "Brûlé"  # nothing changed
    assert not Erasure.objects.exists()

    out = StringIO()
    call_command("erase_person", str(helene.pk), "--yes", "--by", "staff", stdout=out)
    assert "a été effacée" in out.getvalue() and "tours de parole réécrits" in out.getvalue()
    assert Person.objects.get(pk=helene.pk).last_name == "[erased]"
    assert Erasure.objects.get(person_id=helene.pk).erased_by == published["users"]["staff"]
    assert not Segment.objects.filter(text__contains="Brûlé").exists()


def test_the_command_refuses_an_unknown_person(db):
    with pytest.raises(CommandError, match="Aucune personne"):
        call_command("erase_person", "999999", "--yes")


def test_only_staff_who_may_delete_people_reach_the_erasure(client, published):
    helene = published["helene"]
    assert client.get(erase_url(helene)).status_code == 302  # to the sign-in page
    client.force_login(published["users"]["member"])  # a researcher, not staff
    assert client.post(erase_url(helene)).status_code == 302
    staff = published["users"]["staff"]  # staff without the staff role's permissions
    client.force_login(staff)
    assert client.post(erase_url(helene)).status_code == 403
    assert Person.objects.get(pk=helene.pk).last_name == "Brûlé"
    staff.groups.add(Group.objects.get(name="staff"))
    page = client.get(erase_url(helene))
    assert page.status_code == 200 and "Hélène Brûlé" in page.content.decode()
    assert Person.objects.get(pk=helene.pk).last_name == "Brûlé"  # a GET changes nothing
    done = client.post(erase_url(helene))
    assert done.status_code == 200 and 'id="erasure-done"' in done.content.decode()
    assert Person.objects.get(pk=helene.pk).last_name == "[erased]"
