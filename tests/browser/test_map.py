"""The map in a real browser: clusters, then the initiative and its profile; accessible; on a phone;
embedded in a partner's page. There are no map tiles offline: the map must work without them.
"""

import random
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from carte import geo

pytestmark = pytest.mark.browser

TILES = re.compile(r"^https://tile\.openstreetmap\.org/")


def is_geojson(response) -> bool:
    return "/carte/initiatives.geojson" in response.url


@pytest.fixture
def seeded(territory_factory):
    """One initiative in Lyon to look for, and forty others over France to cluster it with."""
    from initiatives.models import Initiative
    from initiatives.services import publish

    level = territory_factory.Level
    region = territory_factory(level.REGION, "84", "Auvergne-Rhône-Alpes")
    lyon = territory_factory(level.COMMUNE, "69123", "Lyon", parent=region)
    rng = random.Random(7)

    def make(name, slug, latitude, longitude):
        initiative = Initiative.objects.create(
            name=name,
            slug=slug,
            summary="Une coopération entre voisins.",
            territory=lyon,
            latitude=latitude,
            longitude=longitude,
        )
        initiative.themes.add("alimentation")
        return publish(initiative)

    for n in range(40):
        make(f"Initiative {n}", f"initiative-{n}", rng.uniform(43, 50), rng.uniform(-1, 6))
    return make("Épicerie coopérative de la Croix-Rousse", "epicerie-croix-rousse", 45.7745, 4.8320)


@pytest.fixture
def offline_tiles(page):
    """No internet in tests: refuse tile requests at once rather than wait for them to fail."""
    page.route(TILES, lambda route: route.abort())
    return page


@pytest.fixture
def server_clusters(monkeypatch):
    """Few rows in tests: make the server cluster from 10 initiatives in view, not 500."""
    monkeypatch.setattr(geo, "POINTS_UP_TO", 10)


def open_map(page, url):
    with page.expect_response(is_geojson) as response:
        page.goto(url)
    assert response.value.status == 200
    return response.value.json()


def set_view(page, latitude, longitude, zoom):
    with page.expect_response(is_geojson) as response:
        page.evaluate(
            "([lat, lng, zoom]) => window.observatoireMap.setView([lat, lng], zoom)",
            [latitude, longitude, zoom],
        )
    return response.value.json()


def test_clusters_then_the_initiative_and_its_profile(
    page, live_server, seeded, offline_tiles, server_clusters, assert_accessible, screenshot
):
    body = open_map(page, live_server.url + "/carte/")

    assert body["kind"] == "clusters"
    assert body["total"] == 41
    clusters = page.locator(".map-cluster")
    clusters.first.wait_for()
    assert clusters.count() == len(body["features"])
    assert page.locator("#map-status").inner_text().startswith("41")
    assert_accessible(page)
    screenshot(page, "map-national")

    # Clicking a cluster zooms into it and asks the server again.
    zoom_before = page.evaluate("() => window.observatoireMap.getZoom()")
    with page.expect_response(is_geojson):
        clusters.first.click()
    assert page.evaluate("() => window.observatoireMap.getZoom()") > zoom_before

    # Close to Lyon there are few initiatives: points, and the one we look for has a marker.
    body = set_view(page, 45.7745, 4.8320, 15)
    assert body["kind"] == "points"
    marker = page.locator('img.leaflet-marker-icon[alt="Épicerie coopérative de la Croix-Rousse"]')
    marker.click()
    link = page.locator(".leaflet-popup-content a")
    assert link.get_attribute("href") == seeded.get_absolute_url()
    # The popup fades in; axe would measure contrast halfway through.
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"
    )
    assert_accessible(page)
    screenshot(page, "map-popup")

    with page.expect_navigation():
        link.click()
    assert page.url == live_server.url + seeded.get_absolute_url()
    assert seeded.name in page.locator("h1").inner_text()


def test_the_map_keeps_the_filters_of_its_url(page, live_server, seeded, offline_tiles):
    with page.expect_request(is_geojson) as request:
        page.goto(live_server.url + "/carte/?territoire=region:84&theme=alimentation")

    assert "territoire=region%3A84" in request.value.url
    assert "theme=alimentation" in request.value.url
    assert "bbox=" in request.value.url and "zoom=" in request.value.url
    # The form shows the filters, and the snippet carries them to partners.
    assert page.locator("#id_territoire").input_value() == "region:84"
    assert (
        "embed/?territoire=region%3A84&amp;theme=alimentation"
        in page.locator("#embed-code").input_value()
    )


def test_the_embed_snippet_is_copied(page, live_server, seeded, offline_tiles):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_map(page, live_server.url + "/carte/")

    copy = page.locator("[data-copy=embed-code]")
    copy.click()

    expect(page.locator(".copy-feedback")).to_have_text(copy.get_attribute("data-copied"))
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith('<iframe src="' + live_server.url + "/carte/embed/")
    assert copied == page.locator("#embed-code").input_value()


def test_the_map_works_on_a_phone(
    phone_page,
    live_server,
    seeded,
    server_clusters,
    assert_fits_width,
    assert_accessible,
    screenshot,
):
    phone_page.route(TILES, lambda route: route.abort())
    body = open_map(phone_page, live_server.url + "/carte/")

    assert body["features"]
    phone_page.locator(".map-cluster").first.wait_for()
    box = phone_page.locator("#map").bounding_box()
    assert box["width"] <= 375 and box["height"] >= 250
    assert_fits_width(phone_page)
    assert_accessible(phone_page)
    # Opened, the filters stack and still fit.
    phone_page.locator(".map-filters summary").click()
    expect(phone_page.locator("#id_territoire")).to_be_visible()
    assert_fits_width(phone_page)
    screenshot(phone_page, "map-phone")


@pytest.fixture
def partner_site(live_server):
    """A partner's page on another origin (127.0.0.1, its own port) framing the embed and the site.

    A real local server, not a routed response: Chromium refuses to let a page whose address it
    does not know frame one on localhost (local network access checks).
    """
    embed = live_server.url + "/carte/embed/?territoire=region:84"
    site = live_server.url + "/carte/"
    html = (
        '<!doctype html><html lang="fr"><title>Partner</title>'
        f'<iframe id="embed" title="Carte" src="{embed}"></iframe>'
        f'<iframe id="site" title="Site" src="{site}"></iframe></html>'
    ).encode()

    class Partner(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(html)))
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Partner)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_a_partner_can_frame_the_embed_but_not_the_site(
    page, live_server, seeded, offline_tiles, partner_site
):
    with page.expect_response(is_geojson):
        page.goto(partner_site)

    framed = page.frame_locator("#embed")
    framed.locator("img.leaflet-marker-icon, .map-cluster").first.wait_for()
    credit = framed.locator(".embed-credit a")
    assert credit.get_attribute("href") == live_server.url + "/carte/?territoire=region%3A84"
    assert credit.get_attribute("target") == "_blank"
    # The site's own pages refuse to be framed: Chromium shows its error page in that frame.
    # (goto waited for the load event, which waits for both frames.)
    refused = page.locator("#site").element_handle().content_frame()
    assert not refused.url.startswith(live_server.url)
    assert refused.locator("#map").count() == 0


def test_the_embed_alone_is_accessible(
    page, live_server, seeded, offline_tiles, server_clusters, assert_accessible
):
    open_map(page, live_server.url + "/carte/embed/")
    page.locator(".map-cluster").first.wait_for()

    assert page.locator(".site-header").count() == 0
    assert_accessible(page)
