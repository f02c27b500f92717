"""The home page's map teaser: counts per cell of published initiatives in metropolitan France."""

import pytest
from django.core.cache import cache

from carte import teaser
from initiatives.models import Initiative
from initiatives.services import publish


@pytest.fixture
def places(territory_factory):
    level = territory_factory.Level
    region = territory_factory(level.REGION, "84", "Auvergne-Rhône-Alpes")
    reunion = territory_factory(level.REGION, "04", "La Réunion")
    cache.delete(teaser.CACHE_KEY)
    yield {"lyon": region, "reunion": reunion}
    cache.delete(teaser.CACHE_KEY)


def make(name, territory, latitude, longitude, published=True):
    item = Initiative.objects.create(
        name=name, slug=name.lower().replace(" ", "-"), summary="Résumé.", territory=territory,
        latitude=latitude, longitude=longitude,
    )  # fmt: skip
    return publish(item) if published else item


def test_the_teaser_counts_published_initiatives_of_metropolitan_france(places):
    for n in range(5):
        make(f"Lyon {n}", places["lyon"], 45.76 + n / 1000, 4.83)
    make("Draft", places["lyon"], 45.76, 4.83, published=False)
    make("Saint-Denis", places["reunion"], -20.88, 55.45)

    drawn = teaser.france_teaser()

    assert drawn["total"] == 5
    assert sum(dot["count"] for dot in drawn["dots"]) == 5
    assert all(
        0 <= dot["x"] <= drawn["width"] and 0 <= dot["y"] <= drawn["height"]
        for dot in drawn["dots"]
    )


def test_the_teaser_is_drawn_once_then_cached(places, django_assert_num_queries):
    make("Lyon", places["lyon"], 45.76, 4.83)
    with django_assert_num_queries(1):
        teaser.france_teaser()
    with django_assert_num_queries(0):
        assert teaser.france_teaser()["total"] == 1


@pytest.mark.parametrize("count", [5, 50])
def test_the_home_page_shows_the_teaser_in_constant_queries(
    client, places, count, django_assert_num_queries
):
    for n in range(count):
        make(f"Lyon {n}", places["lyon"], 45 + n / 100, 4 + n / 100)
    # The totals (one statement on the count rows), the PTCEs, the latest, the teaser's cells.
    with django_assert_num_queries(4):
        response = client.get("/")
    assert response.status_code == 200
    assert response.content.count(b"<circle") >= 1
    caption = response.content.split(b'id="teaser-caption">')[1]
    assert caption.startswith(f"{count} initiatives".encode())
