"""`/export/...`: same filters as the pages, stable columns, streamed, BOM on request, logged."""

import csv
import io
import json

import pytest
from django.urls import reverse
from taggit.models import Tag

from publications.exports.kinds import INITIATIVES, SPECS
from publications.models import Download

pytestmark = pytest.mark.django_db


def url(name, fmt):
    return reverse("publications:export", kwargs={"name": name, "fmt": fmt})


def body(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def test_csv_has_the_spec_columns_in_order_and_published_rows_only(client, directory):
    response = client.get(url("initiatives", "csv"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(body(response))))
    assert rows[0] == INITIATIVES.column_names
    names = sorted(row[2] for row in rows[1:])
    assert names == ["ADERE achats", "Maison des échanges", "Épicerie solidaire"]


def test_csv_applies_the_directory_filters(client, directory):
    slug = Tag.objects.get(name="mobilité").slug
    response = client.get(url("initiatives", "csv") + f"?territoire=commune:62178&theme={slug}")
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert [row["name"] for row in rows] == ["Maison des échanges"]
    assert rows[0]["themes"] == "mobilité|échange"
    assert rows[0]["ptces"] == "ptce-artois"


def test_bom_only_when_asked(client, directory):
    assert not body(client.get(url("initiatives", "csv"))).startswith("\ufeff")
    assert body(client.get(url("initiatives", "csv") + "?bom=1")).startswith("\ufeff")


def test_json_array_and_ndjson_carry_typed_values(client, directory):
    items = json.loads(body(client.get(url("initiatives", "json") + "?tri=name")))
    assert [item["name"] for item in items][0] == "ADERE achats"
    assert isinstance(items[0]["themes"], list)
    assert isinstance(items[0]["sectoral_interaction"], bool)
    lines = body(client.get(url("initiatives", "ndjson"))).splitlines()
    assert len(lines) == 3 and all(json.loads(line)["id"] for line in lines)


def test_geojson_is_a_feature_collection_of_points(client, directory):
    data = json.loads(body(client.get(url("initiatives", "geojson"))))
    assert data["type"] == "FeatureCollection"
    feature = data["features"][0]
    assert feature["geometry"]["type"] == "Point"
    assert len(feature["geometry"]["coordinates"]) == 2
    assert "latitude" not in feature["properties"]


@pytest.mark.parametrize("name", sorted(SPECS))
@pytest.mark.parametrize("fmt", ["csv", "json", "ndjson", "geojson"])
def test_every_kind_exports_in_every_format(client, directory, name, fmt):
    response = client.get(url(name, fmt))
    if fmt == "geojson" and not SPECS[name].has_geometry:
        assert response.status_code == 404  # findings have no position
        return
    assert response.status_code == 200
    assert body(response) or fmt == "ndjson"  # no findings or events here: no line at all


def test_territories_with_initiatives_counts_them(client, directory):
    rows = list(csv.DictReader(io.StringIO(body(client.get(url("territories", "csv"))))))
    counts = {row["code"]: row["initiatives_count"] for row in rows}
    assert counts == {"62178": "2", "69123": "1"}


def test_export_reads_rows_without_a_query_per_row(
    client, directory, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        body(client.get(url("initiatives", "csv")))


def test_every_export_is_logged_with_its_filters(client, partner, directory):
    client.force_login(partner)
    body(client.get(url("initiatives", "csv") + "?territoire=region:32&stade=running"))
    download = Download.objects.get()
    assert download.user == partner
    assert download.organisation.slug == "banque-coop"
    assert download.export == "initiatives.csv"
    assert download.filters == "territoire=region:32&stade=running"


@pytest.mark.parametrize(
    "query",
    [
        "territoire=region:99999",
        "theme=%27%3B%20DROP%20TABLE%20initiatives_initiative%3B--",
        "annee=abc&stade=nope",
        "tri=%27%20OR%201%3D1",
        "ptce=%00",
        "territoire=%27%20OR%20%271%27%3D%271",
    ],
)
def test_malformed_filters_never_give_a_server_error(client, directory, query):
    response = client.get(url("initiatives", "csv") + "?" + query)
    assert response.status_code in (200, 400)
    body(response)


def test_unknown_export_is_a_404(client, db):
    assert client.get(url("secrets", "csv")).status_code == 404
    assert client.get(url("initiatives", "xlsx")).status_code == 404


def test_directory_page_links_to_exports_with_its_filters(client, directory):
    html = client.get("/initiatives/?territoire=region:32").content.decode()
    assert url("initiatives", "csv") + "?territoire=region%3A32" in html


def test_data_dictionary_explains_every_column(client, db):
    html = client.get(reverse("publications:dictionary")).content.decode()
    for spec in SPECS.values():
        for column in spec.columns:
            assert f"<code>{column.name}</code>" in html


def test_datapackage_describes_each_export_typed(client, db):
    package = client.get(reverse("publications:datapackage")).json()
    resources = {resource["name"]: resource for resource in package["resources"]}
    assert set(resources) == set(SPECS)
    fields = resources["initiatives"]["schema"]["fields"]
    assert [field["name"] for field in fields] == INITIATIVES.column_names
    assert {field["name"]: field["type"] for field in fields}["start_date"] == "date"
