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


# Parameters: refused with the parameter named, never silently dropped


def errors(client, query, path="initiative-list", status=400):
    response = client.get(reverse(f"api:{path}") + query)
    assert response.status_code == status, response.content
    return response.json()


def test_unknown_parameter_is_a_400_naming_it_and_what_is_taken(client, directory):
    body = errors(client, "?teritoire=region:84&tri=name")
    assert set(body) == {"teritoire", "tri"}  # `tri`: the API pages by id, it does not sort
    assert "territoire" in body["teritoire"][0]


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("?stade=running&stade=flying", "stade"),
        ("?type_acteur=", "type_acteur"),
        ("?annee=2016.5", "annee"),
        ("?annee=1200", "annee"),
        ("?territoire=region", "territoire"),
        ("?territoire=region:84&territoire=region:32", "territoire"),
        ("?theme=%00", "theme"),
        ("?taille=null", "taille"),
        ("?taille=0", "taille"),
        ("?taille=501", "taille"),
        ("?cursor=abc", "cursor"),
    ],
)
def test_malformed_values_are_a_400_naming_the_parameter(client, directory, query, parameter):
    assert list(errors(client, query)) == [parameter]


def test_unknown_choice_says_which_values_are_taken(client, directory):
    [message] = errors(client, "?stade=flying")["stade"]
    assert "flying" in message and "running" in message


def test_a_well_formed_name_of_nothing_is_a_404_that_says_which(client, directory):
    detail = errors(client, "?territoire=region:99", status=404)["detail"]
    assert detail.startswith("territoire:") and "region:99" in detail
    detail = errors(client, "?theme=inconnu", status=404)["detail"]
    assert detail.startswith("theme:") and "inconnu" in detail


def test_understood_filters_and_page_size_still_apply(client, directory):
    data = client.get(reverse("api:initiative-list") + "?theme=mobilit%C3%A9&taille=1").json()
    assert [item["slug"] for item in data["results"]] == ["maison-des-echanges"]
    assert client.get(reverse("api:territory-list") + "?niveau=commune").status_code == 200


def test_an_object_takes_no_query_parameter(client, directory):
    url = reverse("api:initiative-detail", args=["maison-des-echanges"])
    assert client.get(url + "?format=json").status_code == 200
    response = client.get(url + "?territoire=region:84")
    assert response.status_code == 400 and list(response.json()) == ["territoire"]


@pytest.mark.parametrize("path", ["/api/v1/initiatives/a/b/", "/api/v1/events/x/", "/api/v2/"])
def test_any_other_api_address_is_a_json_404(client, db, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_schema_documents_every_error_and_the_nulls(client, db):
    schema = client.get(reverse("api:schema") + "?format=json").json()
    for path, item in schema["paths"].items():
        assert {"200", "400", "401", "404", "429"} <= set(item["get"]["responses"]), path
    components = schema["components"]["schemas"]
    assert components["Territory"]["properties"]["parent_code"]["type"] == ["string", "null"]
    assert {"type": "null"} in components["Event"]["properties"]["territory"]["oneOf"]
    assert "oneOf" not in components["Organisation"]["properties"]["website"]
