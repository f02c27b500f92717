"""Staff read a profile's history as diffs (who, when, how) and restore an earlier version."""

import lxml.html
import pytest
from django.contrib.auth.models import User

from initiatives.models import Initiative, Organisation, Pole
from initiatives.services import publish, save_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return User.objects.create_user(
        "camille", first_name="Camille", last_name="Roux", is_staff=True
    )


@pytest.fixture
def initiative(territory_factory, staff):
    commune = territory_factory(territory_factory.Level.COMMUNE, "62178", "Bruay-la-Buissière")
    pole = Pole.objects.create(name="PTCE Artois", slug="ptce-artois", territory=commune)
    entry = save_entry(
        Initiative(territory=commune),
        {"name": "Maison des échanges", "summary": "Échanger.", "themes": ["échange"]},
        by=staff,
    )
    publish(entry)
    save_entry(
        entry,
        {"name": "Maison des échanges de Bruay", "stage": "consolidated", "poles": [pole]},
        by=None,
        how="import:7",
    )
    save_entry(entry, {"themes": ["échange", "habitat"]}, by=staff, how="contribution:3")
    return entry


def page(response):
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content.decode())


def history_url(kind, pk):
    return f"/historique/{kind}/{pk}/"


def test_the_history_shows_each_change_as_a_diff_with_who_when_and_how(client, staff, initiative):
    client.force_login(staff)
    profile = page(client.get(initiative.get_absolute_url()))
    (link,) = profile.xpath('//a[@data-testid="staff-history"]')
    assert link.get("href") == history_url("initiative", initiative.pk)

    html = page(client.get(link.get("href")))
    versions = html.xpath('//li[@data-testid="version"]')
    assert len(versions) == initiative.history.count() == 4  # created, published, import, themes
    newest, imported = versions[0], versions[1]
    who = [v.xpath('.//*[@data-testid="version-who"]')[0].text_content() for v in versions]
    assert who[0] == "Camille Roux" and who[1] != "Camille Roux"
    assert "3" in newest.xpath('.//*[@data-testid="version-how"]')[0].text_content()
    assert "7" in imported.xpath('.//*[@data-testid="version-how"]')[0].text_content()

    def changes(version):
        return {
            tuple(cell.text_content().strip() for cell in row.xpath("./th|./td"))[1:]
            for row in version.xpath('.//tr[@data-testid="change"]')
        }

    assert ("échange", "échange, habitat") in changes(newest)
    assert ("Maison des échanges", "Maison des échanges de Bruay") in changes(imported)
    assert ("—", "PTCE Artois") in changes(imported)
    # Each version but the current one can be restored.
    assert len(html.xpath('//button[@data-testid="restore"]')) == 3


def test_restoring_a_version_brings_back_its_fields_themes_and_ptces(client, staff, initiative):
    client.force_login(staff)
    first = initiative.history.order_by("history_id").first()
    html = page(client.get(history_url("initiative", initiative.pk)))
    (form,) = [
        f for f in html.xpath("//form[@method='post']") if str(first.history_id) in f.get("action")
    ]
    token = form.xpath('.//input[@name="csrfmiddlewaretoken"]')[0].get("value")

    response = client.post(form.get("action"), {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.name == "Maison des échanges" and initiative.stage == "running"
    assert sorted(initiative.themes.names()) == ["échange"]
    assert list(initiative.poles.all()) == []
    assert initiative.is_published  # publication is not a version's to undo
    latest = initiative.history.order_by("-history_id").first()
    assert latest.history_change_reason == f"restore:{first.history_id}"
    assert latest.history_user == staff
    # The restore is a version of its own, linked to the one it restored.
    html = page(client.get(response["Location"]))
    how = html.xpath('//li[@data-testid="version"]')[0].xpath('.//*[@data-testid="version-how"]//a')
    assert how and how[0].get("href") == f"#version-{first.history_id}"
    assert html.xpath(f'//li[@id="version-{first.history_id}"]')


def test_the_history_of_an_organisation_a_ptce_and_a_person(client, staff, territory_factory):
    from initiatives.models import Person

    client.force_login(staff)
    organisation = save_entry(Organisation(), {"name": "ADERE", "siren": "732829320"}, by=staff)
    save_entry(organisation, {"acronym": "AD"}, by=staff)
    person = save_entry(Person(), {"first_name": "Léa", "last_name": "Morel"}, by=staff)
    commune = territory_factory(territory_factory.Level.COMMUNE, "62041", "Arras")
    pole = save_entry(Pole(territory=commune), {"name": "PTCE Arras"}, by=staff)
    for kind, entry, count in (
        ("organisation", organisation, 2),
        ("personne", person, 1),
        ("ptce", pole, 1),
    ):
        html = page(client.get(history_url(kind, entry.pk)))
        assert len(html.xpath('//li[@data-testid="version"]')) == count
    assert client.get(history_url("nothing", 1)).status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "signed-in"])
def test_nobody_but_staff_reaches_the_history_or_restores(client, initiative, who):
    if who == "signed-in":
        client.force_login(User.objects.create_user("visitor"))
    first = initiative.history.order_by("history_id").first()
    assert client.get(history_url("initiative", initiative.pk)).status_code == 404
    restore = f"{history_url('initiative', initiative.pk)}{first.history_id}/restaurer/"
    assert client.post(restore).status_code == 404
    initiative.refresh_from_db()
    assert initiative.name == "Maison des échanges de Bruay"
    assert (
        'data-testid="staff-history"'
        not in client.get(initiative.get_absolute_url()).content.decode()
    )


def test_restoring_needs_a_post_and_a_version_of_that_entry(client, staff, initiative):
    client.force_login(staff)
    first = initiative.history.order_by("history_id").first()
    base = history_url("initiative", initiative.pk)
    assert client.get(f"{base}{first.history_id}/restaurer/").status_code == 405
    other = save_entry(Organisation(), {"name": "ADERE"}, by=staff)
    foreign = other.history.get().history_id
    assert client.post(f"{base}{foreign}/restaurer/").status_code == 404


def test_restoring_a_version_without_themes_removes_the_themes_added_since(staff, initiative):
    from initiatives.services import restore

    bare = save_entry(Initiative(territory=initiative.territory), {"name": "Repair café"}, by=staff)
    save_entry(bare, {"themes": ["réemploi"]}, by=staff)
    first = bare.history.order_by("history_id").first()
    assert first.theme_names == [] and first.pole_ids == []

    restore(bare, first, by=staff)

    assert list(bare.themes.names()) == []
    assert bare.history.order_by("-history_id").first().theme_names == []


def test_the_history_page_does_as_many_queries_for_twenty_versions_as_for_four(
    client, staff, initiative
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff)
    url = history_url("initiative", initiative.pk)

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    few = count()
    for n in range(16):
        save_entry(initiative, {"summary": f"Version {n}.", "stage": "running"}, by=staff)
    assert initiative.history.count() == 20
    assert count() == few
