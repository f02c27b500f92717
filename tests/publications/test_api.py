"""`/api/v1/`: published rows, the pages' filters, cursor pages, bad input is a 400 not a 500."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_initiatives_list_is_published_only_with_the_pages_filters(client, directory):
    data = client.get(reverse("api:initiative-list")).json()
    assert {item["name"] for item in data["results"]} == {
        "Maison des échanges",
        "Épicerie solidaire",
        "ADERE achats",
    }
    data = client.get(reverse("api:initiative-list") + "?territoire=region:84").json()
    assert [item["slug"] for item in data["results"]] == ["adere-achats"]


def test_cursor_pages_and_bad_cursor_is_a_400(client, directory):
    first = client.get(reverse("api:initiative-list") + "?taille=2").json()
    assert len(first["results"]) == 2 and first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1
    response = client.get(reverse("api:initiative-list") + "?cursor=abc")
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["initiative", "organisation", "ptce", "territory", "publication"])
def test_every_endpoint_answers(client, publications, path):
    response = client.get(reverse(f"api:{path}-list") + "?territoire=%27%20OR%201%3D1&annee=x")
    assert response.status_code in (200, 400)


def test_partner_only_files_are_listed_only_with_a_partner_token(client, partner, publications):
    from publications.tokens import create_token

    url = reverse("api:publication-detail", args=[publications["partners"].slug])
    assert client.get(url).json()["files"] == []
    _token, key = create_token(partner, "t")
    files = client.get(url, HTTP_AUTHORIZATION=f"Token {key}").json()["files"]
    assert len(files) == 1


def test_cors_lets_other_sites_read(client, directory):
    response = client.get(reverse("api:initiative-list"), HTTP_ORIGIN="https://example.net")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_schema_and_documentation_pages(client, db):
    assert client.get(reverse("api:schema")).status_code == 200
    assert client.get(reverse("api:docs")).status_code == 200


def test_publications_list_only_published_initiatives_never_a_drafts_slug(client, publications):
    from initiatives.models import Initiative

    draft = Initiative.objects.get(slug="brouillon")
    publications["open"].initiatives.add(draft)
    for url in (
        reverse("api:publication-list"),
        reverse("api:publication-detail", args=[publications["open"].slug]),
    ):
        text = client.get(url).content.decode()
        assert "brouillon" not in text
        assert "maison-des-echanges" in text
