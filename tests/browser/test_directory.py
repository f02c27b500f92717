"""The directory and a profile in a real browser: accessible at desktop and phone widths, htmx
updating the list in place while the URL keeps every filter, and the same without JavaScript.

There are no map tiles offline: tile requests are refused at once, the marker still shows.
"""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils.text import slugify

pytestmark = pytest.mark.browser

TILES = re.compile(r"^https://tile\.openstreetmap\.org/")
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}


@pytest.fixture
def directory(db):
    """Thirty published initiatives in two régions, with themes, stages, a PTCE and actors."""
    from initiatives.models import Initiative, LegalForm, Organisation, Pole, Role, RoleKind, Stage
    from initiatives.services import publish
    from territoires.models import Level, Territory

    def place(level, code, name, parent=None, **extra):
        return Territory.objects.create(
            level=level, code=code, name=name, slug=slugify(name), parent=parent, **extra
        )

    hdf = place(Level.REGION, "32", "Hauts-de-France")
    pas_de_calais = place(Level.DEPARTEMENT, "62", "Pas-de-Calais", hdf)
    epci = place(Level.EPCI, "200072460", "CA de Béthune-Bruay, Artois-Lys Romane", pas_de_calais)
    bruay = place(Level.COMMUNE, "62178", "Bruay-la-Buissière", pas_de_calais, epci=epci)
    lyon = place(
        Level.COMMUNE,
        "69123",
        "Lyon",
        place(Level.DEPARTEMENT, "69", "Rhône", place(Level.REGION, "84", "Auvergne-Rhône-Alpes")),
    )
    pole = publish(
        Pole.objects.create(
            name="PTCE de l'Artois", slug="ptce-artois", summary="Un pôle.", territory=bruay
        )
    )
    coop = publish(
        Organisation.objects.create(name="Scic Habitat", slug="scic", legal_form=LegalForm.SCIC)
    )
    stages = [Stage.RUNNING, Stage.EMERGING, Stage.CONSOLIDATED]
    themes = ["mobilité", "alimentation", "habitat"]
    for index in range(30):
        where = bruay if index % 3 else lyon
        item = Initiative.objects.create(
            name=f"Coopérative n° {index:02d} au nom assez long pour passer à la ligne",
            slug=f"cooperative-{index:02d}",
            summary="Une coopération entre habitants, entreprises et collectivités du territoire.",
            territory=where,
            stage=stages[index % 3],
            start_date=datetime.date(2010 + index % 5, 1, 1),
            latitude=50.48 + index * 0.001 if where == bruay else 45.76,
            longitude=2.55 if where == bruay else 4.83,
            sectoral_interaction=bool(index % 2),
        )
        item.themes.add("coopération", themes[index % 3])
        Role.objects.create(initiative=item, organisation=coop, kind=RoleKind.LEAD)
        if where == bruay:
            item.poles.add(pole)
        publish(item)
    return {"profile": "/initiatives/cooperative-01/"}


@pytest.fixture
def offline_tiles(page):
    page.route(TILES, lambda route: route.abort())
    return page


def query_of(page) -> dict:
    return parse_qs(urlsplit(page.url).query)


def results_heading(page):
    return page.locator("#results-title")


def test_directory_is_accessible_on_a_desktop(
    page, live_server, directory, assert_accessible, screenshot
):
    response = page.goto(live_server.url + "/initiatives/")
    assert response.status == 200
    assert page.locator("h1").count() == 1
    assert page.locator(".cards > .card").count() == 24
    assert_accessible(page)
    # With filters chosen, notices shown and the territory tree opened one level.
    page.goto(live_server.url + "/initiatives/?territoire=region:32&stade=running&stade=bogus")
    assert page.locator(".notices").is_visible()
    assert_accessible(page)
    screenshot(page, "directory-desktop")


def test_directory_fits_a_phone(
    phone_page, live_server, directory, assert_accessible, assert_fits_width, screenshot
):
    page = phone_page
    page.goto(live_server.url + "/initiatives/")
    assert_fits_width(page)
    # On a phone the filters are folded so that the results come first; one tap opens them.
    filters = page.locator("#filters")
    assert filters.get_attribute("open") is None
    page.locator("#filters > summary").click()
    assert page.locator("#f-tri").is_visible()
    assert_fits_width(page)
    assert_accessible(page)
    screenshot(page, "directory-phone")


def test_a_facet_updates_the_list_in_place_and_the_url_keeps_it(page, live_server, directory):
    page.goto(live_server.url + "/initiatives/")
    page.evaluate("() => { window.sameDocument = true; }")
    assert "30" in results_heading(page).inner_text()

    page.locator("label[for='f-stade-emerging']").click()
    page.wait_for_function("() => location.search.includes('stade=emerging')")
    results_heading(page).filter(has_text="10").wait_for()
    assert page.evaluate("() => window.sameDocument") is True  # no full reload
    # Counts of the other facets follow; the ticked box keeps the focus for keyboard users.
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.id === 'f-stade-emerging'"
    )
    assert page.locator("#f-stade-emerging").is_checked()
    # Only what was chosen: no empty "any year", no default sort.
    assert query_of(page) == {"stade": ["emerging"]}

    page.locator("#f-tri").select_option("-name")
    page.wait_for_function("() => location.search.includes('tri=-name')")
    assert query_of(page)["stade"] == ["emerging"]

    # Territory links are plain links, also swapped in place.
    page.get_by_role("link", name="Hauts-de-France").click()
    page.wait_for_function("() => location.search.includes('territoire=region')")
    results_heading(page).filter(has_text="10").wait_for()
    assert page.evaluate("() => window.sameDocument") is True

    # The URL alone reproduces the view.
    url = page.url
    page.goto(url)
    assert "10" in results_heading(page).inner_text()
    assert page.locator("#f-stade-emerging").is_checked()
    assert page.locator("#f-tri").input_value() == "-name"


def test_a_ptce_beyond_the_busiest_is_found_by_typing_its_name(page, live_server, directory):
    """Ten PTCEs count more initiatives than the Artois one: it is no box, a person types it."""
    from initiatives.models import Initiative, Pole
    from initiatives.services import publish

    initiatives = list(Initiative.objects.all())
    territory = Pole.objects.get(slug="ptce-artois").territory
    for number in range(10):
        pole = publish(
            Pole.objects.create(
                name=f"Pôle coopératif {number}",
                slug=f"pole-{number}",
                summary="Un pôle.",
                territory=territory,
            )
        )
        pole.initiatives.add(*initiatives)
    page.goto(live_server.url + "/initiatives/")
    assert page.locator("#f-ptce-ptce-artois").count() == 0
    page.evaluate("() => { window.sameDocument = true; }")

    typed = page.locator("#f-ptce-name")  # "Another PTCE, by its name"
    typed.fill("artois")
    typed.press("Enter")
    results_heading(page).filter(has_text="20").wait_for()
    assert page.evaluate("() => window.sameDocument") is True
    # Now chosen, it shows as a ticked box among the others; the field is empty again.
    assert page.locator("#f-ptce-ptce-artois").is_checked()
    assert page.locator("#f-ptce-name").input_value() == ""


def test_pages_change_in_place_and_focus_moves_to_the_results(page, live_server, directory):
    page.goto(live_server.url + "/initiatives/?theme=coop%C3%A9ration")
    page.evaluate("() => { window.sameDocument = true; }")
    page.get_by_role("link", name=re.compile("Next|Suivant")).click()
    page.wait_for_function("() => location.search.includes('page=2')")
    page.wait_for_function("() => document.activeElement.id === 'results-title'")
    assert page.evaluate("() => window.sameDocument") is True
    assert page.locator(".cards > .card").count() == 6
    assert query_of(page)["theme"] == ["coopération"]
    page.go_back()
    page.wait_for_function("() => !location.search.includes('page=2')")
    page.locator(".cards > .card").nth(23).wait_for()


def test_the_directory_works_without_javascript(browser, live_server, directory):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    try:
        page = context.new_page()
        page.goto(live_server.url + "/initiatives/")
        page.locator("#f-stade-emerging").check()
        page.locator("#f-annee").select_option("2011")
        with page.expect_navigation():
            page.locator("#directory-form button[type=submit]").click()
        query = query_of(page)
        assert query["stade"] == ["emerging"] and query["annee"] == ["2011"]
        assert page.locator(".cards > .card").count() == 2  # numbers 01 and 16
    finally:
        context.close()


def test_map_markers_load_when_static_names_are_hashed(browser, live_server, directory):
    """In production leaflet.css names its images with a hash ("marker-icon.2273e3d8ad92.png");
    Leaflet then guessed "marker-icon.png" next to the page, a 404 on every map. Here the
    stylesheet is rewritten the same way: the marker must still load (_leaflet.html)."""

    def hashed_css(route):
        response = route.fetch()
        body = response.text().replace("marker-icon.png", "marker-icon.2273e3d8ad92.png")
        route.fulfill(response=response, body=body)

    page = browser.new_page()
    try:
        page.route(TILES, lambda route: route.abort())
        page.route("**/vendor/leaflet/leaflet.css", hashed_css)
        missing = []
        page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
        page.goto(live_server.url + directory["profile"])
        marker = page.locator("#profile-map img.leaflet-marker-icon")
        marker.wait_for()
        page.wait_for_function(
            "document.querySelector('#profile-map img.leaflet-marker-icon').complete"
        )
        assert marker.evaluate("img => img.naturalWidth") > 0
        assert "/static/vendor/leaflet/images/marker-icon" in marker.get_attribute("src")
        assert missing == []
    finally:
        page.close()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_profile_is_accessible_with_its_map(
    browser, live_server, directory, width, assert_accessible, assert_fits_width, screenshot
):
    context = browser.new_context(viewport=VIEWPORTS[width], locale="fr-FR")
    try:
        page = context.new_page()
        page.route(TILES, lambda route: route.abort())
        response = page.goto(live_server.url + directory["profile"])
        assert response.status == 200
        page.locator("#profile-map .leaflet-marker-icon").wait_for()
        assert page.locator("h1").count() == 1
        assert page.locator("#nearby-title").is_visible()
        assert page.locator("#similar-title").is_visible()
        assert_fits_width(page)
        assert_accessible(page)
        screenshot(page, f"profile-{width}")
    finally:
        context.close()


def test_export_and_map_links_follow_an_htmx_facet(page, live_server, directory, offline_tiles):
    """A partner ticks a facet (htmx swaps the results), then clicks "CSV": the file holds what
    the page shows, not the first load's selection; the map link opens the same selection."""
    import csv

    page.goto(live_server.url + "/initiatives/")
    page.evaluate("() => { window.sameDocument = true; }")
    page.locator("label[for='f-stade-emerging']").click()
    page.wait_for_function("() => location.search.includes('stade=emerging')")
    results_heading(page).filter(has_text="10").wait_for()
    assert page.evaluate("() => window.sameDocument") is True  # swapped in place, not reloaded

    links = page.get_by_test_id("export-links")
    with page.expect_download() as download:
        links.get_by_role("link", name="CSV", exact=True).click()
    with open(download.value.path(), encoding="utf-8-sig") as downloaded:
        rows = list(csv.DictReader(downloaded))
    assert len(rows) == 10
    numbers = sorted(int(row["slug"].rsplit("-", 1)[1]) for row in rows)
    assert numbers == [n for n in range(30) if n % 3 == 1]  # the emerging ones, and only them

    # The JSON link was swapped too: a second facet, then the file follows again.
    page.locator("#f-annee").select_option("2011")
    page.wait_for_function("() => location.search.includes('annee=2011')")
    results_heading(page).filter(has_text="2").wait_for()
    href = links.get_by_role("link", name="JSON", exact=True).get_attribute("href")
    answer = page.request.get(live_server.url + href)
    assert sorted(item["slug"] for item in answer.json()) == ["cooperative-01", "cooperative-16"]

    with page.expect_response(is_geojson_answer) as geojson:
        page.get_by_test_id("map-link").click()
    assert query_of(page) == {"stade": ["emerging"], "annee": ["2011"]}
    assert geojson.value.json()["total"] == 2


def is_geojson_answer(response) -> bool:
    return "/carte/initiatives.geojson" in response.url
