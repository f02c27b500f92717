"""Territory and PTCE pages in a real browser: accessible, phone-sized, the chain walkable.

There are no map tiles offline: tile requests are refused at once, the markers still show.
"""

import re

import pytest
from django.utils.text import slugify

pytestmark = pytest.mark.browser

TILES = re.compile(r"^https://tile\.openstreetmap\.org/")


@pytest.fixture
def bruay(db):
    """Bruay-la-Buissière in its EPCI, département and région, with initiatives and a PTCE."""
    from initiatives.models import Initiative, MembershipRole, Organisation, Pole, PoleMembership
    from initiatives.services import publish
    from territoires.models import Level, Territory

    def place(level, code, name, parent=None, **extra):
        return Territory.objects.create(
            level=level, code=code, name=name, slug=slugify(name), parent=parent, **extra
        )

    region = place(Level.REGION, "32", "Hauts-de-France", latitude=50.63, longitude=3.06)
    departement = place(Level.DEPARTEMENT, "62", "Pas-de-Calais", region)
    epci = place(Level.EPCI, "200072460", "CA de Béthune-Bruay, Artois-Lys Romane", departement)
    commune = place(
        Level.COMMUNE, "62178", "Bruay-la-Buissière", departement, epci=epci, population=21_000
    )
    lille = place(Level.COMMUNE, "59350", "Lille", place(Level.DEPARTEMENT, "59", "Nord", region))
    for name, where, lat, lng in [
        ("Maison des échanges", commune, 50.4833, 2.5500),
        ("Recyclerie du bassin minier", commune, 50.4900, 2.5600),
        ("Épicerie solidaire de Wazemmes", lille, 50.6280, 3.0500),
    ]:
        publish(
            Initiative.objects.create(
                name=name,
                slug=slugify(name),
                summary=f"{name} : une coopération entre habitants.",
                territory=where,
                latitude=lat,
                longitude=lng,
            )
        )
    pole = publish(
        Pole.objects.create(
            name="PTCE de l'Artois",
            slug="ptce-artois",
            summary="Un pôle territorial de coopération économique.",
            territory=commune,
        )
    )
    for name, role in [
        ("Maison des échanges", MembershipRole.PILOT),
        ("Scic Habitat Artois", MembershipRole.MEMBER),
        ("Le Labo de l'ESS", MembershipRole.SUPPORT),
    ]:
        organisation = publish(Organisation.objects.create(name=name, slug=slugify(name)))
        PoleMembership.objects.create(pole=pole, organisation=organisation, role=role)
    return {"commune": commune, "departement": departement, "region": region, "pole": pole}


@pytest.fixture
def offline_tiles(page):
    page.route(TILES, lambda route: route.abort())
    return page


def test_territory_page_is_accessible_and_shows_the_map(
    offline_tiles, live_server, bruay, assert_accessible, screenshot
):
    page = offline_tiles
    response = page.goto(live_server.url + "/territoires/region/32/")
    assert response.status == 200
    page.locator(".leaflet-marker-icon").first.wait_for()
    assert page.locator(".leaflet-marker-icon").count() == 3
    assert page.get_by_role("link", name="Pas-de-Calais").is_visible()
    assert_accessible(page)
    screenshot(page, "territory-region")


def test_a_territory_map_marker_leads_to_its_initiative(strict_page, live_server, bruay):
    # The markers come from the map's GeoJSON (the page embeds none), under the site's CSP.
    page = strict_page
    page.route(TILES, lambda route: route.abort())
    page.goto(live_server.url + "/territoires/departement/62/")
    marker = page.get_by_role("button", name="Recyclerie du bassin minier")
    marker.wait_for()
    assert page.locator(".leaflet-marker-icon").count() == 2
    marker.click()
    page.locator(".leaflet-popup").get_by_role("link", name="Recyclerie du bassin minier").click()
    page.wait_for_url(live_server.url + "/initiatives/recyclerie-du-bassin-minier/")
    assert page.locator("h1").inner_text() == "Recyclerie du bassin minier"


def test_commune_finder_is_accessible(page, live_server, bruay, assert_accessible):
    page.goto(live_server.url + "/territoires/")
    # Locators by structure, not by words: the page may be translated.
    search = page.locator("input[type=search][name=q]")
    search.fill("bruay la buissiere")
    search.press("Enter")
    page.get_by_role("link", name="Bruay-la-Buissière").wait_for()
    assert_accessible(page)


def test_ptce_page_is_accessible(page, live_server, bruay, assert_accessible, screenshot):
    response = page.goto(live_server.url + bruay["pole"].get_absolute_url())
    assert response.status == 200
    assert page.get_by_role("heading", name="PTCE de l'Artois").is_visible()
    assert_accessible(page)
    screenshot(page, "ptce-detail")


@pytest.mark.parametrize(
    "path", ["/territoires/", "/territoires/commune/62178/", "/ptce/", "/ptce/ptce-artois/"]
)
def test_pages_fit_a_phone(
    phone_page, live_server, bruay, path, assert_fits_width, assert_accessible
):
    phone_page.route(TILES, lambda route: route.abort())
    response = phone_page.goto(live_server.url + path)
    assert response.status == 200
    assert phone_page.evaluate("() => window.innerWidth") == 375
    assert_fits_width(phone_page)
    assert_accessible(phone_page)


def test_follow_the_chain_from_a_commune_up_to_its_region(offline_tiles, live_server, bruay):
    page = offline_tiles
    page.goto(live_server.url + "/territoires/commune/62178/")
    assert page.locator("h1").inner_text() == "Bruay-la-Buissière"
    breadcrumb = page.locator("nav:has(ol.breadcrumb)")

    breadcrumb.get_by_role("link", name="Pas-de-Calais").click()
    page.wait_for_url(live_server.url + "/territoires/departement/62/")
    assert page.locator("h1").inner_text() == "Pas-de-Calais"
    # The département lists the commune and its EPCI, each with its initiatives.
    assert page.get_by_role("link", name="Bruay-la-Buissière").is_visible()

    breadcrumb.get_by_role("link", name="Hauts-de-France").click()
    page.wait_for_url(live_server.url + "/territoires/region/32/")
    assert page.locator("h1").inner_text() == "Hauts-de-France"
