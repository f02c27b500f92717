"""Languages: French at the root, English under /en/, and a switch that keeps the reader's page."""

import pytest

pytestmark = pytest.mark.django_db


def test_home_answers_in_french_at_the_root(client):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()
    assert response["Content-Language"] == "fr"


def test_home_answers_in_english_under_en(client):
    response = client.get("/en/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert response["Content-Language"] == "en"


def test_home_offers_the_switch_to_the_other_language(client):
    assert 'data-testid="lang-en"' in client.get("/").content.decode()
    assert 'data-testid="lang-fr"' in client.get("/en/").content.decode()


@pytest.mark.parametrize("page", ["/", "/territoires/", "/comptes/login/"])
def test_switching_to_english_redirects_to_the_english_url_of_the_same_page(client, page):
    response = client.post("/i18n/setlang/", {"language": "en", "next": page})
    assert response.status_code == 302
    assert response["Location"] == f"/en{page}"
    assert response.cookies["django_language"].value == "en"


def test_switching_back_to_french_redirects_to_the_unprefixed_url(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/territoires/"})
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/en/territoires/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "fr"
    assert response["Location"] == "/territoires/"


def test_switching_language_keeps_the_query_string(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/territoires/?q=Lille"})
    assert response["Location"] == "/en/territoires/?q=Lille"


def test_switching_language_never_redirects_to_another_site(client):
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "https://evil.example/phish"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_the_english_page_after_switching_is_in_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert response.redirect_chain == [("/en/", 302)]
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_malformed_query_string_on_home_never_answers_500(client, prefix):
    client.raise_request_exception = False
    response = client.get(f"{prefix}/?page=abc&x=%ZZ")
    assert response.status_code < 500
    assert response.status_code == 200 or 400 <= response.status_code < 500
