"""The home page in a real browser: French at the root, English under /en/, accessible, phone-sized.

Translations may not be compiled yet, so these tests check the `lang` attribute and the URL, never
the words on the page.
"""

from urllib.parse import urlsplit

import pytest
from django.utils import timezone

pytestmark = pytest.mark.browser


@pytest.fixture
def published_initiative(territory_factory):
    """One published initiative, so the home page shows its figures and a card, not only text."""
    from initiatives.models import Initiative
    from observatoire.publishing import State

    region = territory_factory(territory_factory.Level.REGION, "84", "Auvergne-Rhône-Alpes")
    return Initiative.objects.create(
        name="Coopérative d'habitants et de commerces de proximité du plateau",
        slug="cooperative-plateau",
        summary="Une coopérative qui rassemble habitants, commerçants et collectivités.",
        territory=region,
        state=State.PUBLISHED,
        published_at=timezone.now(),
    )


def html_lang(page) -> str:
    return page.locator("html").get_attribute("lang")


def path_of(page) -> str:
    return urlsplit(page.url).path


def test_home_in_french_then_english(
    page, live_server, published_initiative, assert_accessible, screenshot
):
    response = page.goto(live_server.url + "/")
    assert response.status == 200
    assert path_of(page) == "/"
    assert html_lang(page) == "fr"
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    screenshot(page, "home-fr")

    # The switch is a POST form to Django's set_language, which redirects to the English URL.
    page.get_by_test_id("lang-en").click()
    page.wait_for_url(live_server.url + "/en/")
    assert path_of(page) == "/en/"
    assert html_lang(page) == "en"
    assert page.get_by_test_id("lang-fr").is_visible()
    assert_accessible(page)
    screenshot(page, "home-en")


def test_switch_from_english_back_to_french(page, live_server):
    # set_language lives outside the language prefix; from /en/ it must still find the French page.
    page.goto(live_server.url + "/en/")
    assert html_lang(page) == "en"
    with page.expect_navigation():
        page.get_by_test_id("lang-fr").click()
    assert path_of(page) == "/"
    assert html_lang(page) == "fr"


@pytest.mark.parametrize("path", ["/", "/en/"])
def test_home_fits_a_phone(
    phone_page, live_server, published_initiative, path, assert_fits_width, assert_accessible
):
    response = phone_page.goto(live_server.url + path)
    assert response.status == 200
    assert phone_page.evaluate("() => window.innerWidth") == 375
    assert_fits_width(phone_page)
    # The language switch stays reachable on a phone.
    other = "en" if path == "/" else "fr"
    switch = phone_page.get_by_test_id(f"lang-{other}")
    assert switch.is_visible()
    box = switch.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert_accessible(phone_page)
