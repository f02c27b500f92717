"""A territory typed as people type it, in a real browser: the map filtered by name or postcode,
picked among the suggestions the input offers; the agenda and the directory read "62".

Real places of the official package (Pas-de-Calais and Rhône, tests/territoires/subset.py).
"""

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from territoires.models import Level, PostalCode, Territory
from tests.territoires.subset import load_subset

pytestmark = pytest.mark.browser
TILES = "https://tile.openstreetmap.org/**"


@pytest.fixture
def places(db, tmp_path):
    load_subset(tmp_path / "data", regions={"32", "84"}, departements={"62", "69"})
    return {
        code: Territory.objects.get(level=Level.COMMUNE, code=code)
        for code in ["62178", "62041", "69123", "62700"]
    }


@pytest.fixture
def initiatives(places):
    from initiatives.models import Initiative
    from initiatives.services import publish

    def make(name, slug, place, latitude, longitude):
        initiative = Initiative.objects.create(
            name=name,
            slug=slug,
            summary="Une coopération entre voisins.",
            territory=place,
            latitude=latitude,
            longitude=longitude,
        )
        return publish(initiative)

    return [
        make("Maison des échanges", "maison", places["62178"], 50.4833, 2.55),
        make("Légumerie d'Arras", "legumerie", places["62041"], 50.291, 2.7775),
        make("Épicerie de la Croix-Rousse", "epicerie", places["69123"], 45.7745, 4.832),
    ]


def is_geojson(response) -> bool:
    return "/carte/initiatives.geojson" in response.url


def pick_suggestion(page, field, typed: str, suggestion: str, while_open=None) -> None:
    """Type into the territory input, wait for the suggestions, and click the one wanted."""
    field.click()
    field.press_sequentially(typed, delay=30)
    listbox = page.locator(f"#{field.get_attribute('aria-controls')}")
    expect(listbox).to_have_attribute("role", "listbox")
    expect(listbox.get_by_role("option").first).to_contain_text(suggestion)
    if while_open:
        while_open(page)
    listbox.get_by_role("option", name=suggestion).first.click()
    expect(field).to_have_value(suggestion)
    expect(listbox).to_be_hidden()


def apply_and_read_map(page) -> tuple[dict, dict]:
    with page.expect_response(is_geojson) as response:
        page.get_by_role("button", name="Appliquer les filtres").click()
    query = parse_qs(urlparse(response.value.url).query)
    return query, response.value.json()


def names(collection) -> set[str]:
    return {feature["properties"]["name"] for feature in collection["features"]}


@pytest.mark.parametrize(
    "typed, suggestion, value, expected",
    [
        (
            "Pas-de-Calais",
            "Pas-de-Calais (62, département)",
            "departement:62",
            {"Maison des échanges", "Légumerie d'Arras"},
        ),
        (
            "62700",
            "Bruay-la-Buissière (62178, commune)",
            "commune:62178",
            {"Maison des échanges"},
        ),
    ],
    ids=["by name", "by postcode"],
)
def test_a_territory_picked_among_suggestions_filters_the_map(
    page,
    live_server,
    initiatives,
    typed,
    suggestion,
    value,
    expected,
    screenshot,
    assert_accessible,
):
    page.route(TILES, lambda route: route.abort())
    with page.expect_response(is_geojson):
        page.goto(f"{live_server.url}/carte/")
    page.get_by_text("Filtres", exact=True).click()
    field = page.locator("#id_territoire")

    pick_suggestion(page, field, typed, suggestion, while_open=assert_accessible)
    query, collection = apply_and_read_map(page)

    # The map's data, its list and its embed name the territory by its internal code.
    assert query["territoire"] == [value]
    expect(page.locator("#embed-code")).to_contain_text(f"territoire={value.replace(':', '%3A')}")
    assert names(collection) == expected
    expect(page.locator("#map-status")).to_contain_text(str(len(expected)))
    screenshot(page, f"map-territory-{typed.lower()}")


def test_a_postcode_typed_without_picking_is_read_and_the_page_says_as_what(
    page, live_server, initiatives
):
    page.route(TILES, lambda route: route.abort())
    with page.expect_response(is_geojson):
        page.goto(f"{live_server.url}/carte/?territoire=62700")

    # 62700 is Bruay-la-Buissière's postcode, not Regnauville, whose INSEE code is 62700.
    assert PostalCode.objects.filter(code="62700").get().territory.name == "Bruay-la-Buissière"
    expect(page.get_by_role("status").filter(has_text="62700")).to_have_text(
        "«\u00a062700\u00a0» a été lu comme Bruay-la-Buissière (62178, commune)."
    )
    expect(page.locator("#map-status")).to_contain_text("1")


def test_the_agenda_and_the_directory_read_a_departement_code(
    page, live_server, initiatives, places
):
    from datetime import timedelta

    from django.utils import timezone

    from agenda import services
    from agenda.models import Event

    soon = timezone.now() + timedelta(days=3)
    for title, place in [("Forum à Arras", places["62041"]), ("Forum à Lyon", places["69123"])]:
        services.publish(Event.objects.create(title=title, starts_at=soon, territory=place))

    page.goto(f"{live_server.url}/agenda/?territoire=62")
    expect(page.get_by_text("Forum à Arras")).to_be_visible()
    expect(page.get_by_text("Forum à Lyon")).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text="Pas-de-Calais")).to_be_visible()

    page.goto(f"{live_server.url}/initiatives/?territoire=62")
    results = page.locator("#directory-results")
    expect(results.get_by_role("link", name="Maison des échanges")).to_be_visible()
    expect(results.get_by_role("link", name="Épicerie de la Croix-Rousse")).to_have_count(0)
    expect(results).to_contain_text(
        "«\u00a062\u00a0» a été lu comme Pas-de-Calais (62, département)."
    )
    # The directory's own input shows the territory it uses, as its suggestion would read.
    expect(page.locator("#f-territoire")).to_have_value("Pas-de-Calais (62, département)")
