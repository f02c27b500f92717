"""Staff erase a person from the person's admin page: what will go is named, then done."""

import pytest
from django.contrib.auth.models import Group

from initiatives.models import Person
from tests.terrain.conftest import fieldwork, users  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def test_staff_erase_a_person_from_their_page(
    page,
    live_server,
    fieldwork,  # noqa: F811
    assert_accessible,
    screenshot,
):
    helene = fieldwork["helene"]
    staff = fieldwork["users"]["staff"]
    staff.groups.add(Group.objects.get(name="staff"))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "staff")
    page.fill("input[name=password]", "pw")
    page.press("input[name=password]", "Enter")
    page.goto(f"{live_server.url}/admin/initiatives/person/{helene.pk}/change/")

    page.get_by_role("link", name="Effacer partout (demande d’oubli)").click()
    report = page.locator("#erasure-report")
    assert "Terrain" in report.inner_text()
    assert "1 consentement (formulaires signés\u00a0: 0)" in report.inner_text()
    assert Person.objects.get(pk=helene.pk).last_name == "Brûlé"
    assert_accessible(page)
    screenshot(page, "erasure-confirmation")

    page.get_by_role("button", name="Oui, l’effacer partout").click()
    page.locator("#erasure-done").wait_for()
    assert "tours de parole réécrits" in page.locator("#erasure-report").inner_text()
    assert Person.objects.get(pk=helene.pk).last_name == "[erased]"
    screenshot(page, "erasure-report")
