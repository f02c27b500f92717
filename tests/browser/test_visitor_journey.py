"""A visitor's whole journey through the public site, in a real browser: filter the directory by
région and theme, share the link, open a profile, climb the territory chain, find an initiative by
typing its name without accents, and see it on the map after zooming in.
"""

import re

import pytest
from django.utils.text import slugify

pytestmark = pytest.mark.browser

TILES = re.compile(r"^https://tile\.openstreetmap\.org/")


@pytest.fixture
def france_in_small(db):
    """Two régions with communes, initiatives on several themes, one of them the one we look for."""
    from initiatives.models import Initiative
    from initiatives.services import publish
    from territoires.models import Level, Territory

    def place(level, code, name, parent=None):
        return Territory.objects.create(
            level=level, code=code, name=name, slug=slugify(name), parent=parent
        )

    hdf = place(Level.REGION, "32", "Hauts-de-France")
    bruay = place(
        Level.COMMUNE,
        "62178",
        "Bruay-la-Buissière",
        place(Level.DEPARTEMENT, "62", "Pas-de-Calais", hdf),
    )
    aura = place(Level.REGION, "84", "Auvergne-Rhône-Alpes")
    lyon = place(Level.COMMUNE, "69123", "Lyon", place(Level.DEPARTEMENT, "69", "Rhône", aura))

    def initiative(name, where, theme, latitude, longitude):
        item = Initiative.objects.create(
            name=name,
            slug=slugify(name),
            summary="On n'y achète pas : on échange, on donne, on valorise, on recycle.",
            territory=where,
            latitude=latitude,
            longitude=longitude,
        )
        item.themes.add(theme)
        return publish(item)

    wanted = initiative("Maison des échanges", bruay, "économie circulaire", 50.4833, 2.55)
    initiative("Ressourcerie de Bruay", bruay, "insertion", 50.49, 2.56)
    initiative("Recyclerie lyonnaise", lyon, "économie circulaire", 45.76, 4.83)
    for n in range(12):
        initiative(f"Jardin partagé n° {n}", lyon, "alimentation", 45.70 + n / 100, 4.80)
    from observatoire.search import refresh_words

    refresh_words()  # what the hourly task does: the words a mistyped query is corrected to
    return wanted


def test_a_visitor_filters_shares_reads_climbs_searches_and_maps(
    browser, page, live_server, france_in_small, assert_accessible
):
    page.route(TILES, lambda route: route.abort())
    site = live_server.url

    # The directory, filtered by région then by theme.
    page.goto(site + "/initiatives/")
    page.get_by_role("link", name="Hauts-de-France").first.click()
    page.wait_for_function("() => location.search.includes('territoire=region%3A32')")
    page.get_by_label("Économie circulaire").check()
    page.wait_for_function("() => location.search.includes('theme=')")
    page.locator("#results-title").filter(has_text="1").wait_for()
    titles = page.locator(".cards > .card h2, .cards > .card h3").all_inner_texts()
    assert titles == ["Maison des échanges"]

    # The shared link, opened by someone else, shows the same list.
    shared = page.url
    other = browser.new_context(locale="fr-FR").new_page()
    other.goto(shared)
    assert other.locator(".cards > .card h2, .cards > .card h3").all_inner_texts() == titles
    other.context.close()

    # The profile, then up the territory chain to the région.
    page.get_by_role("link", name="Maison des échanges").click()
    page.wait_for_url(re.compile(r"/initiatives/maison-des-echanges/$"))
    assert page.locator("h1").inner_text() == "Maison des échanges"
    page.locator("nav .breadcrumb a", has_text="Pas-de-Calais").first.click()
    page.wait_for_url(re.compile(r"/territoires/departement/62/$"))
    page.locator(".breadcrumb a", has_text="Hauts-de-France").first.click()
    page.wait_for_url(re.compile(r"/territoires/region/32/$"))
    assert "Maison des échanges" in page.content()

    # Search without accents.
    page.goto(site + "/")
    page.locator("#home-search").fill("maison des echanges")
    page.locator("#home-search").press("Enter")
    page.wait_for_url(re.compile(r"/recherche/\?q=maison"))
    result = page.get_by_role("link", name=re.compile("Maison des"))
    assert result.first.is_visible()
    assert page.locator("mark").count() >= 1
    assert_accessible(page)

    # A typo: the page says which spelling it searched, and its result opens.
    page.locator("#search-q").fill("ressourcrie")
    page.locator("#search-q").press("Enter")
    page.wait_for_url(re.compile(r"/recherche/\?q=ressourcrie"))
    status = page.get_by_role("status").filter(has_text="ressourcerie")
    assert status.inner_text() == (
        "Aucun résultat pour «\u00a0ressourcrie\u00a0»\u00a0; "
        "résultats pour «\u00a0ressourcerie\u00a0»."
    )
    page.get_by_role("link", name="Ressourcerie de Bruay").click()
    page.wait_for_url(re.compile(r"/initiatives/ressourcerie-de-bruay/$"))
    assert page.locator("h1").inner_text() == "Ressourcerie de Bruay"

    # The map: zoom in on Bruay and the initiative has its own marker.
    with page.expect_response(lambda r: "/carte/initiatives.geojson" in r.url):
        page.goto(site + "/carte/")
    with page.expect_response(lambda r: "/carte/initiatives.geojson" in r.url) as response:
        page.evaluate("() => window.observatoireMap.setView([50.4833, 2.55], 15)")
    assert response.value.json()["kind"] == "points"
    page.locator('img.leaflet-marker-icon[alt="Maison des échanges"]').wait_for()
