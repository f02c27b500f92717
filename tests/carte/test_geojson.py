"""The map's GeoJSON: only published initiatives, only what is in view, the directory's filters,
clusters computed by the database at low zoom, a 400 that says what is wrong, constant queries."""

import math
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carte import geo
from initiatives.models import Stage
from initiatives.services import withdraw

FRANCE = "-5.2,41.3,9.6,51.1"
LYON = "4.7,45.6,5.0,45.9"


def get_map(client, **params):
    return client.get(reverse("carte:geojson"), params)


def names(body):
    return sorted(feature["properties"]["name"] for feature in body["features"])


def grid_cells(bbox: str, zoom: int) -> int:
    """How many grid cells of this zoom the box touches: the most clusters a response may hold."""
    west, south, east, north = (float(part) for part in bbox.split(","))
    size = geo.cell_size(zoom)
    columns = math.floor(east / size) - math.floor(west / size) + 1
    rows = math.floor(north / size) - math.floor(south / size) + 1
    return columns * rows


def scatter(make_initiative, territory, count, seed=1, **fields):
    """`count` initiatives spread over metropolitan France, the same ones every run."""
    rng = random.Random(seed)
    return [
        make_initiative(territory, rng.uniform(42.5, 50.5), rng.uniform(-4.0, 7.5), **fields)
        for _ in range(count)
    ]


def test_only_published_initiatives_are_on_the_map(client, places, make_initiative):
    make_initiative(places["lyon"], 45.76, 4.84, name="Published")
    make_initiative(places["lyon"], 45.75, 4.85, name="Draft", published=False)
    withdrawn = make_initiative(places["lyon"], 45.74, 4.86, name="Withdrawn")
    withdraw(withdrawn)

    body = get_map(client, bbox=FRANCE, zoom=5).json()

    assert names(body) == ["Published"]
    assert body["total"] == 1


def test_only_what_is_in_the_box_is_sent(client, places, make_initiative):
    make_initiative(places["lyon"], 45.76, 4.84, name="In Lyon")
    make_initiative(places["paris"], 48.86, 2.35, name="In Paris")
    make_initiative(places["paris"], None, None, name="Nowhere on the map")

    assert names(get_map(client, bbox=LYON, zoom=11).json()) == ["In Lyon"]
    assert names(get_map(client, bbox=FRANCE, zoom=5).json()) == ["In Lyon", "In Paris"]


def test_without_a_box_the_whole_world_is_in_view(client, places, make_initiative):
    make_initiative(places["lyon"], 45.76, 4.84, name="Lyon")
    make_initiative(places["paris"], -21.11, 55.53, name="La Réunion")

    response = get_map(client)

    assert response.status_code == 200
    assert names(response.json()) == ["La Réunion", "Lyon"]


def test_the_directory_filters_apply(client, places, make_initiative):
    make_initiative(places["lyon"], 45.76, 4.84, name="Lyon food", themes=["food"])
    make_initiative(places["lyon"], 45.77, 4.83, name="Lyon housing", stage=Stage.EMERGING)
    make_initiative(places["paris"], 48.86, 2.35, name="Paris food", themes=["food"])

    assert names(get_map(client, bbox=FRANCE, territoire="region:84").json()) == [
        "Lyon food",
        "Lyon housing",
    ]
    assert names(get_map(client, bbox=FRANCE, theme="food").json()) == ["Lyon food", "Paris food"]
    both = get_map(client, bbox=FRANCE, theme="food", territoire="region:84").json()
    assert names(both) == ["Lyon food"]
    assert names(get_map(client, bbox=FRANCE, stade="emerging").json()) == ["Lyon housing"]


@pytest.mark.parametrize(
    ("params", "facet"),
    [
        ({"theme": "no-such-theme"}, "Thème"),
        ({"territoire": "region:99"}, "Territoire"),
        ({"stade": "flying"}, "Stade"),
    ],
)
def test_an_unknown_filter_value_is_reported_and_ignored(
    client, places, make_initiative, params, facet
):
    make_initiative(places["lyon"], 45.76, 4.84, name="Lyon")

    response = get_map(client, bbox=FRANCE, **params)

    assert response.status_code == 200
    body = response.json()
    assert names(body) == ["Lyon"]
    # One sentence, in French, naming the facet it is about: "Thème: …", "Territoire: …".
    (message,) = body["messages"]
    assert message.split(":")[0] == facet


@pytest.mark.parametrize(
    ("bbox", "words"),
    [
        ("1,2,3", "quatre nombres"),
        ("a,b,c,d", "quatre nombres"),
        ("1,2,3,4,5", "quatre nombres"),
        ("nan,41,9,51", "quatre nombres"),
        ("-5,41,inf,51", "quatre nombres"),
        ("9,41,-5,51", "l’ouest doit être inférieur à l’est"),
        ("-5,51,9,41", "le sud inférieur au nord"),
        ("-5,41,-5,51", "l’ouest doit être inférieur à l’est"),
        ("-200,41,9,51", "longitudes (ouest, est)"),
        ("-5,-95,9,51", "latitudes (sud, nord)"),
    ],
)
def test_a_malformed_box_is_a_400_that_says_why(client, db, bbox, words):
    response = get_map(client, bbox=bbox, zoom=5)

    assert response.status_code == 400
    assert words in response.json()["error"]


@pytest.mark.parametrize("zoom", ["-1", "23", "five", "5.5"])
def test_a_bad_zoom_is_a_400_that_says_why(client, db, zoom):
    response = get_map(client, bbox=FRANCE, zoom=zoom)

    assert response.status_code == 400
    assert "zoom" in response.json()["error"]


def test_points_carry_what_the_popup_needs(client, places, make_initiative):
    initiative = make_initiative(
        places["lyon"], 45.76, 4.84, name="Épicerie", stage=Stage.EMERGING, themes=["food", "bio"]
    )

    response = get_map(client, bbox=LYON, zoom=12)

    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert body["kind"] == "points"
    (feature,) = body["features"]
    assert feature["id"] == initiative.pk
    assert feature["geometry"] == {"type": "Point", "coordinates": [4.84, 45.76]}
    assert feature["properties"] == {
        "name": "Épicerie",
        "url": initiative.get_absolute_url(),
        "territory": "Lyon",
        "stage": str(Stage.EMERGING.label),
        "themes": ["bio", "food"],
    }


def test_profile_links_follow_the_language(client, places, make_initiative):
    initiative = make_initiative(places["lyon"], 45.76, 4.84)

    body = client.get("/en/carte/initiatives.geojson", {"bbox": LYON}).json()

    assert body["features"][0]["properties"]["url"] == f"/en/initiatives/{initiative.slug}/"


def test_a_national_view_is_a_few_clusters_whose_counts_add_up(
    client, places, make_initiative, monkeypatch
):
    monkeypatch.setattr(geo, "POINTS_UP_TO", 100)
    scatter(make_initiative, places["paris"], 300)
    make_initiative(places["paris"], 48.86, 2.35, published=False)

    body = get_map(client, bbox=FRANCE, zoom=5).json()

    assert body["kind"] == "clusters"
    assert body["total"] == 300
    assert sum(feature["properties"]["count"] for feature in body["features"]) == 300
    assert len(body["features"]) <= grid_cells(FRANCE, 5) < 50
    for feature in body["features"]:
        west, south, east, north = feature["bbox"]
        lng, lat = feature["geometry"]["coordinates"]
        assert west <= lng <= east and south <= lat <= north
        # A cluster never spans more than its cell.
        assert east - west <= geo.cell_size(5) and north - south <= geo.cell_size(5)


def test_zooming_in_makes_the_cells_smaller(client, places, make_initiative, monkeypatch):
    monkeypatch.setattr(geo, "POINTS_UP_TO", 10)
    scatter(make_initiative, places["paris"], 60)

    coarse = get_map(client, bbox=FRANCE, zoom=3).json()
    fine = get_map(client, bbox=FRANCE, zoom=7).json()

    assert coarse["kind"] == fine["kind"] == "clusters"
    assert len(coarse["features"]) < len(fine["features"])
    assert sum(f["properties"]["count"] for f in fine["features"]) == 60


def test_clusters_count_an_initiative_once_whatever_the_joins(
    client, places, make_initiative, monkeypatch
):
    monkeypatch.setattr(geo, "POINTS_UP_TO", 0)
    make_initiative(places["lyon"], 45.76, 4.84, themes=["food", "housing"])
    make_initiative(places["lyon"], 45.77, 4.85, themes=["food"])

    body = get_map(client, bbox=FRANCE, zoom=5, theme=["food", "housing"]).json()

    assert body["kind"] == "clusters"
    assert body["total"] == 2
    assert [feature["properties"]["count"] for feature in body["features"]] == [2]


def test_at_street_zoom_points_are_sent_but_never_too_many(
    client, places, make_initiative, monkeypatch
):
    monkeypatch.setattr(geo, "POINTS_UP_TO", 2)
    monkeypatch.setattr(geo, "MAX_POINTS", 3)
    for offset in range(5):
        make_initiative(places["lyon"], 45.76 + offset / 10000, 4.84)

    body = get_map(client, bbox="4.83,45.75,4.85,45.77", zoom=geo.POINTS_FROM_ZOOM).json()

    assert body["kind"] == "points"
    assert body["total"] == 5
    assert len(body["features"]) == 3
    assert body["truncated"] is True


@pytest.mark.parametrize("points_up_to", [500, 0], ids=["points", "clusters"])
def test_query_count_does_not_grow_with_the_rows(
    client, places, make_initiative, monkeypatch, points_up_to
):
    monkeypatch.setattr(geo, "POINTS_UP_TO", points_up_to)
    params = {"bbox": FRANCE, "zoom": 5, "theme": "food", "territoire": "region:11"}

    def queries_with(count):
        scatter(make_initiative, places["paris"], count, seed=count, themes=["food", "bio"])
        with CaptureQueriesContext(connection) as context:
            body = get_map(client, **params).json()
        return len(context.captured_queries), body

    few, few_body = queries_with(5)
    many, many_body = queries_with(45)

    assert few_body["total"] == 5 and many_body["total"] == 50
    assert few == many
