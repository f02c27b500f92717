"""Staff create and edit the directory in Chromium, from its public pages, not the admin.

An initiative is created through the form (the territory by postcode, the pin pre-filled from the
commune and then dragged), edited and saved unchanged with every value intact; an organisation with
a mistyped SIREN is refused with the sentence that says why; a PTCE gets a pilot and a member.
Real places of the official package (Pas-de-Calais, tests/territoires/subset.py).
"""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from playwright.sync_api import expect

from initiatives.models import (
    Initiative,
    MembershipRole,
    Organisation,
    Pole,
)
from initiatives.services import publish
from observatoire import roles
from territoires.models import Level, Territory
from tests.territoires.subset import load_subset

pytestmark = pytest.mark.browser
TILES = "https://tile.openstreetmap.org/**"


@pytest.fixture
def places(db, tmp_path):
    load_subset(tmp_path / "data", regions={"32"}, departements={"62"})
    bruay = Territory.objects.get(level=Level.COMMUNE, code="62178")
    # The subset is loaded without coordinates: the commune's centre, as the full package has it.
    bruay.latitude, bruay.longitude = 50.4833, 2.5497
    bruay.save(update_fields=["latitude", "longitude"])
    return {"bruay": bruay}


@pytest.fixture
def directory(places):
    bruay = places["bruay"]
    pole = publish(
        Pole.objects.create(
            name="PTCE Artois", slug="ptce-artois", territory=bruay, summary="Un pôle."
        )
    )
    adere = publish(Organisation.objects.create(name="ADERE LAURA", slug="adere-laura"))
    pilot = publish(Organisation.objects.create(name="Maison de l’emploi", slug="mde"))
    return {"pole": pole, "adere": adere, "pilot": pilot}


@pytest.fixture
def staff_page(page, live_server, db):
    user = User.objects.create_user("camille", password="unused-Pa55word", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.STAFF))
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    page.route(TILES, lambda route: route.abort())
    return page


def pick_territory(page, typed, suggestion):
    field = page.locator("#id_territory")
    field.click()
    field.press_sequentially(typed, delay=30)
    listbox = page.locator(f"#{field.get_attribute('aria-controls')}")
    listbox.get_by_role("option", name=suggestion).first.click()
    expect(field).to_have_value(suggestion)


def pick(page, select_id, typed, choice):
    box = page.locator(f"#{select_id}-ts-control")
    box.click()
    box.fill(typed)
    page.locator(f"#{select_id}-ts-dropdown .option", has_text=choice).click()
    page.keyboard.press("Escape")
    # The person leaves the field, so that its list cannot open again over what comes next.
    page.keyboard.press("Tab")
    page.locator(f"#{select_id}-ts-dropdown").wait_for(state="hidden")
    expect(page.locator(f"#{select_id}")).to_have_value(re.compile(r"^\d+$"))


def save(page):
    # The POST, the redirect and the next page: on a machine shared by many browsers, more than
    # the default ten seconds may pass before the page has loaded.
    with page.expect_navigation(wait_until="domcontentloaded", timeout=30_000):
        page.locator("form.staff-form button[type=submit]").last.click()


def snapshot(initiative: Initiative) -> dict:
    initiative.refresh_from_db()
    fields = [
        "name", "summary", "description", "stage", "start_date", "end_date", "territory_id",
        "address", "latitude", "longitude", "website", "contact_email", "contact_phone", "siret",
        "sectoral_interaction", "territorial_coherence", "cross_world_alliances", "state",
    ]  # fmt: skip
    values = {name: getattr(initiative, name) for name in fields}
    values["themes"] = sorted(initiative.themes.names())
    values["poles"] = sorted(initiative.poles.values_list("slug", flat=True))
    return values


def test_staff_create_an_initiative_then_edit_it_and_nothing_is_lost(
    staff_page, live_server, places, directory, assert_accessible, screenshot
):
    page, bruay = staff_page, places["bruay"]
    page.goto(f"{live_server.url}/initiatives/")
    with page.expect_navigation():
        page.get_by_test_id("staff-create").click()

    page.fill("#id_name", "Garage solidaire")
    page.fill("#id_summary", "Réparer sa voiture ensemble.")
    page.fill("#id_description", "Un atelier partagé.\nOuvert le samedi.")
    page.select_option("#id_stage", "emerging")
    page.fill("#id_start_date", "2017-11-07")
    page.fill("#id_end_date", "2030-06-30")
    # The commune by its postcode; its centre becomes the pin and the two numbers.
    pick_territory(page, "62700", "Bruay-la-Buissière (62178, commune)")
    expect(page.locator("#id_latitude")).to_have_value(f"{bruay.latitude:.6f}")
    expect(page.locator("#id_longitude")).to_have_value(f"{bruay.longitude:.6f}")
    # The person drags the pin a little to the east: the numbers follow.
    marker = page.locator("#pin-map .leaflet-marker-icon")
    expect(marker).to_be_visible()
    page.locator("#pin-map").scroll_into_view_if_needed()
    expect(page.locator("#pin-map .leaflet-zoom-anim")).to_have_count(0)  # settled
    box = marker.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] - 4
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 20, y, steps=5)
    page.mouse.move(x + 40, y + 10, steps=5)
    page.mouse.up()
    expect(page.locator("#id_longitude")).not_to_have_value(f"{bruay.longitude:.6f}")
    dragged_longitude = float(page.input_value("#id_longitude"))
    assert dragged_longitude > bruay.longitude

    page.fill("#id_address", "12 rue de la Gare")
    page.fill("#id_themes", "mobilité, réemploi")
    page.check("#id_sectoral_interaction")
    page.check("#id_cross_world_alliances")
    pick(page, "id_poles", "artois", "PTCE Artois")
    page.fill("#id_website", "https://garage.example.org")
    page.fill("#id_contact_email", "contact@garage.example.org")
    page.fill("#id_contact_phone", "03 21 00 00 00")
    page.fill("#id_siret", "732 829 320 00074")
    page.check("#id_published")
    assert_accessible(page)
    screenshot(page, "directory-initiative-form")
    save(page)

    initiative = Initiative.objects.get(name="Garage solidaire")
    assert page.url == f"{live_server.url}{initiative.get_absolute_url()}"
    created = snapshot(initiative)
    assert created["start_date"].isoformat() == "2017-11-07"
    assert created["end_date"].isoformat() == "2030-06-30"
    assert created["territory_id"] == bruay.pk
    assert abs(created["latitude"] - bruay.latitude) < 0.05  # dragged a little, too
    assert created["longitude"] == pytest.approx(dragged_longitude, abs=1e-6)
    assert created["themes"] == ["mobilité", "réemploi"]
    assert created["poles"] == ["ptce-artois"]
    assert created["siret"] == "73282932000074"
    assert created["sectoral_interaction"] and created["cross_world_alliances"]
    assert not created["territorial_coherence"]
    assert created["state"] == "published"
    assert created["description"] == "Un atelier partagé.\r\nOuvert le samedi."
    history = initiative.history.first()
    assert (history.history_user.username, history.history_change_reason) == ("camille", "form")

    # From the profile, "Modifier"; the form shows every value; saved as it is, nothing changes.
    with page.expect_navigation():
        page.get_by_test_id("staff-edit").click()
    assert page.url.endswith("/initiatives/garage-solidaire/modifier/")
    expect(page.locator("#id_start_date")).to_have_value("2017-11-07")
    expect(page.locator("#id_end_date")).to_have_value("2030-06-30")
    expect(page.locator("#id_siret")).to_have_value("73282932000074")
    expect(page.locator("#id_territory")).to_have_value("Bruay-la-Buissière (62178, commune)")
    assert page.locator(".ts-wrapper .item", has_text="PTCE Artois").count() == 1
    assert_accessible(page)
    save(page)
    assert page.locator(".messages li.success").count() == 1
    assert snapshot(initiative) == created


def test_a_mistyped_siren_is_said_on_the_organisation_form(staff_page, live_server, directory):
    page = staff_page
    page.goto(f"{live_server.url}/acteurs/adere-laura/")
    with page.expect_navigation():
        page.get_by_test_id("staff-edit").click()
    page.fill("#id_siren", "732 829 321")
    page.fill("#id_rna", "W62300123")
    with page.expect_response(lambda r: r.request.method == "POST") as response:
        page.locator("form.staff-form button[type=submit]").last.click()
    assert response.value.status == 400  # said, not a server error
    errors = page.locator(".field-errors")
    expect(errors.filter(has_text="732 829 321")).to_contain_text("SIREN")
    expect(errors.filter(has_text="W62300123")).to_contain_text("RNA")
    expect(page.locator("#id_siren")).to_have_value("732 829 321")
    assert Organisation.objects.get(slug="adere-laura").siren == ""

    page.fill("#id_siren", "732 829 320")
    page.fill("#id_rna", "W623001234")
    save(page)
    link = page.get_by_test_id("company-page")
    expect(link).to_have_attribute(
        "href", "https://annuaire-entreprises.data.gouv.fr/entreprise/732829320"
    )
    # The profile's identifiers read as labels, each with its capital: "Numéro RNA", not "numéro".
    labels = page.locator("dl.facts dt").all_inner_texts()
    assert labels == ["SIREN", "Numéro RNA"], labels


def test_a_ptce_is_edited_with_a_pilot_and_a_member(staff_page, live_server, directory):
    page, pole = staff_page, directory["pole"]
    page.goto(f"{live_server.url}{pole.get_absolute_url()}")
    with page.expect_navigation():
        page.get_by_test_id("staff-edit").click()
    page.select_option("#id_stage", "consolidated")
    page.fill("#id_founded_year", "2014")
    pick(page, "id_members-0-organisation", "maison de", "Maison de l’emploi")
    page.select_option("#id_members-0-role", MembershipRole.PILOT)
    page.fill("#id_members-0-start_date", "2015-01-01")
    pick(page, "id_members-1-organisation", "adere", "ADERE LAURA")
    save(page)

    pilots = page.locator("section[aria-labelledby=pilots-title]")
    expect(pilots).to_contain_text("Maison de l’emploi")
    members = {(m.organisation.slug, m.role) for m in pole.memberships.all()}
    assert members == {("mde", "pilot"), ("adere-laura", "member")}
    pole.refresh_from_db()
    assert (pole.stage, pole.founded_year) == ("consolidated", 2014)

    # Saved again unchanged: the members and their dates stay.
    with page.expect_navigation():
        page.get_by_test_id("staff-edit").click()
    expect(page.locator("input[name$='-start_date'][value='2015-01-01']")).to_have_count(1)
    save(page)
    assert {(m.organisation.slug, m.role, str(m.start_date)) for m in pole.memberships.all()} == {
        ("mde", "pilot", "2015-01-01"),
        ("adere-laura", "member", "None"),
    }


def test_a_ptce_of_an_intercommunality_is_saved_as_it_was_shown(staff_page, live_server, places):
    """The territory input shows "Name (code, intercommunalité (EPCI))": read back as that EPCI,
    not refused as unknown (the level's own parentheses once broke the reading)."""
    epci = Territory.objects.filter(level=Level.EPCI).first()
    pole = Pole.objects.create(
        name="PTCE de l’Artois", slug="ptce-de-l-artois", territory=epci, summary="Un pôle."
    )
    page = staff_page
    page.goto(f"{live_server.url}/ptce/{pole.slug}/modifier/")
    assert page.get_by_label("Territoire").input_value().endswith(", intercommunalité (EPCI))")
    save(page)
    assert page.url == f"{live_server.url}/ptce/{pole.slug}/"
    pole.refresh_from_db()
    assert pole.territory == epci


def test_the_first_click_on_save_after_picking_a_member_saves(staff_page, live_server, directory):
    """The person picks a member in the search box and clicks "Enregistrer" at once: the box loses
    the focus on the press, and it must not shrink then, or the button moves from under the
    pointer before the release and the click is lost (the walk found it: a second click saved)."""
    page, pole = staff_page, directory["pole"]
    page.goto(f"{live_server.url}{pole.get_absolute_url()}")
    with page.expect_navigation():
        page.get_by_test_id("staff-edit").click()
    page.locator("#id_members-0-organisation-ts-control").click()
    page.keyboard.type("adere", delay=30)
    page.locator(".ts-dropdown .option", has_text="ADERE LAURA").first.click()
    button = page.locator("form.staff-form button[type=submit]").last
    before = button.bounding_box()["y"]
    page.evaluate("document.activeElement.blur()")
    assert button.bounding_box()["y"] == before  # nothing below the picker moves on blur
    # Back into the box, as the person does: a click on the box itself. Its text input is moved
    # off-screen by tom-select while the chosen item is highlighted, so it is not what one clicks.
    page.locator(".ts-wrapper:has(#id_members-0-organisation-ts-control) .ts-control").click()
    page.keyboard.press("Escape")
    with page.expect_navigation(wait_until="domcontentloaded", timeout=30_000):
        button.click()
    assert pole.memberships.filter(organisation__name="ADERE LAURA").exists()
