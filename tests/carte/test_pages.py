"""The map page and the embed: the directory's filters, a copyable snippet, framing rules."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .test_geojson import scatter


def test_the_map_page_has_the_filters_the_map_and_the_snippet(client, places):
    response = client.get(reverse("carte:map"), {"territoire": "region:84", "page": "2"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="territoire"' in html and 'name="theme"' in html
    assert 'name="tri"' not in html  # sorting means nothing on a map
    # The filters travel to the data URL, the list and the embed; the page number does not.
    assert 'data-geojson-url="/carte/initiatives.geojson?territoire=region%3A84"' in html
    assert 'href="/initiatives/?territoire=region%3A84"' in html
    assert "&lt;iframe src=&quot;http://testserver/carte/embed/?territoire=region%3A84&quot;" in (
        html.replace('"', "&quot;")
    )
    assert 'data-copy="embed-code"' in html
    assert "vendor/leaflet/leaflet.js" in html
    assert "vendor/leaflet.markercluster/leaflet.markercluster.js" in html


def test_the_snippet_is_html_a_partner_can_paste(client, places):
    response = client.get(reverse("carte:map"), {"theme": ["food", "housing"]})

    # The textarea shows `&amp;` so that the pasted attribute is valid HTML.
    assert "embed/?theme=food&amp;amp;theme=housing" in response.content.decode()


def test_the_navigation_links_to_the_map(client, db):
    html = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("carte:map")}"' in html


def test_with_filters_the_map_opens_on_what_they_select(client, places, make_initiative):
    make_initiative(places["lyon"], 45.76, 4.84)
    make_initiative(places["lyon"], 45.70, 4.90)
    make_initiative(places["paris"], 48.86, 2.35)

    filtered = client.get(reverse("carte:map"), {"territoire": "region:84"}).content.decode()
    unfiltered = client.get(reverse("carte:map")).content.decode()

    assert 'data-extent="4.84,45.7,4.9,45.76"' in filtered
    assert "data-extent" not in unfiltered  # metropolitan France


def test_a_bad_filter_still_shows_the_map_with_a_message(client, places):
    response = client.get(reverse("carte:map"), {"territoire": "region:99", "stade": "flying"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "region:99" in html
    assert 'id="map"' in html


def directives(response) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def test_the_embed_may_be_framed_by_any_site(client, places):
    response = client.get(reverse("carte:embed"), {"territoire": "region:84"})

    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    policy = directives(response)
    assert policy["frame-ancestors"] == "*"
    assert policy["script-src"] == "'self'"  # the rest of the site's policy still applies


def test_the_embed_has_no_site_chrome_and_links_back(client, places):
    html = client.get(reverse("carte:embed"), {"territoire": "region:84"}).content.decode()

    assert "site-header" not in html and "site-footer" not in html
    assert 'data-embedded="true"' in html
    assert 'href="http://testserver/carte/?territoire=region%3A84" target="_blank"' in html


@pytest.mark.parametrize(
    "name", ["home", "carte:map", "initiatives:list", "carte:geojson", "territoires:list"]
)
def test_every_other_page_refuses_to_be_framed(client, db, name):
    response = client.get(reverse(name))

    assert response["X-Frame-Options"] == "DENY"
    assert directives(response)["frame-ancestors"] == "'none'"


@pytest.mark.parametrize("name", ["carte:map", "carte:embed"])
def test_page_query_count_does_not_grow_with_the_rows(client, places, make_initiative, name):
    params = {"territoire": "region:11", "theme": "food"}

    def queries_with(count):
        scatter(make_initiative, places["paris"], count, seed=count, themes=["food"])
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse(name), params).status_code == 200
        return len(context.captured_queries)

    assert queries_with(5) == queries_with(45)


def _options(html: str, name: str) -> list[tuple[str, str, bool]]:
    from lxml import html as lxml_html

    select = lxml_html.fromstring(html).xpath(f'//select[@name="{name}"]')[0]
    return [(o.get("value"), o.text_content(), o.get("selected") is not None) for o in select]


def test_the_ptce_filter_lists_the_published_ptces_as_django_would_and_follows_publication(
    client, places, settings
):
    """The PTCE select is written in Python (observatoire.widgets.ManyOptions): parsed, it is
    the select Django's own widget renders; the page is cached, and a PTCE published since is
    offered on the next visit."""
    from django import forms

    from initiatives.models import Pole
    from initiatives.services import publish

    def pole(name, slug):
        return Pole.objects.create(
            name=name, slug=slug, summary="Un pôle.", territory=places["lyon"]
        )

    publish(pole("Pôle <Lyon> & Rhône", "pole-lyon"))
    publish(pole("Pôle Paris", "pole-paris"))
    pole("Pôle en préparation", "pole-brouillon")

    html = client.get(reverse("carte:map"), {"ptce": "pole-lyon"}).content.decode()
    shown = _options(html, "ptce")
    django_select = forms.SelectMultiple(
        choices=[(p.slug, p.name) for p in Pole.objects.published().order_by("name")]
    ).render("ptce", ["pole-lyon"])
    assert sorted(shown) == sorted(_options(django_select, "ptce"))
    assert ("pole-lyon", "Pôle <Lyon> & Rhône", True) in shown
    assert "pole-brouillon" not in html

    import uuid

    from django.core.cache import cache

    settings.PUBLIC_CACHE_SECONDS = 600  # the production setting, on the tests' Redis
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": f"map-{uuid.uuid4().hex}",
        }
    }
    cache.clear()
    assert client.get(reverse("carte:map")).headers["X-Cache"] == "miss"
    assert client.get(reverse("carte:map")).headers["X-Cache"] == "hit"
    publish(Pole.objects.get(slug="pole-brouillon"))
    again = client.get(reverse("carte:map"))
    assert "pole-brouillon" in [
        value for value, _label, _selected in _options(again.content.decode(), "ptce")
    ]
