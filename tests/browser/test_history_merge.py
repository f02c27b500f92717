"""Staff read an initiative's history in the browser, restore an earlier version, and merge two
entries from the side-by-side page."""

import pytest
from django.contrib.auth.models import Group, User

from initiatives.models import Initiative
from initiatives.services import publish, save_entry

pytestmark = pytest.mark.browser


@pytest.fixture
def signed_in(page, live_server, db):
    staff = User.objects.create_user("camille", password="pw", is_staff=True, first_name="Camille")
    staff.groups.add(Group.objects.get(name="staff"))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "camille")
    page.fill("input[name=password]", "pw")
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/admin/")
    return staff


@pytest.fixture
def maison(territory_factory, signed_in):
    commune = territory_factory(
        territory_factory.Level.COMMUNE, "62041", "Arras", latitude=50.29, longitude=2.78
    )
    entry = save_entry(
        Initiative(territory=commune),
        {"name": "Maison des échanges", "summary": "Échanger.", "themes": ["échange"]},
        by=signed_in,
    )
    publish(entry)
    save_entry(
        entry, {"name": "Maison des échanges d’Arras", "themes": []}, by=None, how="import:4"
    )
    return entry


def test_staff_restore_an_earlier_version_from_the_history(
    page, live_server, maison, assert_accessible, screenshot
):
    page.goto(f"{live_server.url}{maison.get_absolute_url()}")
    page.get_by_test_id("staff-history").click()
    versions = page.get_by_test_id("version")
    assert versions.count() == 3
    newest = versions.nth(0)
    assert "import n°\u00a04" in newest.get_by_test_id("version-how").inner_text()
    assert "Maison des échanges d’Arras" in newest.locator("ins").all_inner_texts()
    assert "échange" in newest.locator("del").all_inner_texts()
    assert "Camille" in versions.nth(2).get_by_test_id("version-who").inner_text()
    assert_accessible(page)
    screenshot(page, "history")

    versions.nth(2).get_by_role("button", name="Restaurer cette version").click()
    page.get_by_text("a été restaurée").wait_for()
    assert "version n°" in page.get_by_test_id("version").nth(0).inner_text()
    maison.refresh_from_db()
    assert maison.name == "Maison des échanges" and list(maison.themes.names()) == ["échange"]

    page.get_by_role("link", name="Maison des échanges").first.click()
    assert page.locator("h1").inner_text() == "Maison des échanges"


def test_staff_merge_two_entries_side_by_side(
    page, live_server, maison, signed_in, assert_accessible
):
    twin = save_entry(
        Initiative(territory=maison.territory),
        {
            "name": "La Maison des Échanges",
            "summary": "Un lieu.",
            "website": "https://m.example.org",
        },
        by=signed_in,
    )
    page.goto(f"{live_server.url}/fusion/")
    page.get_by_label("Première fiche (son adresse ou son identifiant)").fill(
        maison.get_absolute_url()
    )
    page.get_by_label("Seconde fiche (son adresse ou son identifiant)").fill(twin.slug)
    page.get_by_role("button", name="Comparer").click()
    page.get_by_test_id("merge-compare").wait_for()
    page.get_by_label("Un lieu.").check()
    assert page.get_by_label("https://m.example.org").is_checked()
    assert_accessible(page)

    page.get_by_role("button", name="Fusionner").click()
    page.get_by_text("a été fusionnée dans").wait_for()
    assert page.url == f"{live_server.url}{maison.get_absolute_url()}"
    maison.refresh_from_db()
    assert maison.summary == "Un lieu." and maison.website == "https://m.example.org"
    assert maison.name == "Maison des échanges d’Arras"

    page.goto(f"{live_server.url}{twin.get_absolute_url()}")
    assert page.url == f"{live_server.url}{maison.get_absolute_url()}"


FRENCH_MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def test_a_publication_date_reads_as_a_french_date_in_the_history(page, live_server, maison):
    """The "published on" change reads like the version's own date, not ISO 8601 in UTC."""
    from django.utils import timezone

    page.goto(f"{live_server.url}{maison.get_absolute_url()}")
    page.get_by_test_id("staff-history").click()
    row = page.get_by_test_id("change").filter(has=page.get_by_role("rowheader", name="Publié le"))
    shown = row.locator("ins").inner_text()
    maison.refresh_from_db()
    published = timezone.localtime(maison.published_at)
    month = FRENCH_MONTHS[published.month - 1]
    assert shown == f"{published.day} {month} {published.year} {published:%H:%M}", shown


def test_the_restored_message_gives_the_version_time_as_the_history_shows_it(
    page, live_server, maison
):
    """The message names the version by the time its heading shows (the site's zone), not UTC."""
    page.goto(f"{live_server.url}{maison.get_absolute_url()}")
    page.get_by_test_id("staff-history").click()
    oldest = page.get_by_test_id("version").nth(2)
    heading_time = oldest.locator("time").inner_text()
    oldest.get_by_role("button", name="Restaurer cette version").click()
    page.get_by_text("a été restaurée").wait_for()
    assert f"La version du {heading_time} a été restaurée." in page.inner_text("body")


def test_the_merge_page_names_what_is_carried_over_in_french(page, live_server, maison, signed_in):
    """Themes are counted as themes (not taggit's "tagged items"), with French typography."""
    twin = save_entry(
        Initiative(territory=maison.territory),
        {"name": "La Maison des Échanges", "summary": "Un lieu.", "themes": ["troc", "don"]},
        by=signed_in,
    )
    page.goto(f"{live_server.url}/fusion/")
    page.get_by_label("Première fiche (son adresse ou son identifiant)").fill(
        maison.get_absolute_url()
    )
    page.get_by_label("Seconde fiche (son adresse ou son identifiant)").fill(twin.slug)
    page.get_by_role("button", name="Comparer").click()
    page.get_by_test_id("merge-compare").wait_for()
    carried = page.locator(".merge-carried ul").nth(1).locator("li").all_inner_texts()
    assert carried == ["Thèmes\u00a0: 2"], carried
