"""Limits that hold: a forged X-Forwarded-For is not a new client, and exports have a budget.

The attack: a script sends each request with another made-up `X-Forwarded-For`, hoping every
address counts as a new visitor with a fresh budget.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

from observatoire.clients import client_ip

pytestmark = pytest.mark.django_db

API = "/api/v1/initiatives/"


def forged(i: int) -> str:
    return f"203.0.113.{i}"


@pytest.fixture
def small_budgets(settings):
    cache.clear()
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anonymous": "3/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    settings.EXPORT_THROTTLE_RATE = "3/minute"
    yield
    cache.clear()


def export_url(name="initiatives", fmt="csv"):
    return reverse("publications:export", kwargs={"name": name, "fmt": fmt})


def test_without_a_trusted_proxy_rotating_forwarded_for_keeps_the_api_budget(
    client, settings, small_budgets, directory
):
    settings.TRUSTED_PROXIES = 0
    statuses = [client.get(API, HTTP_X_FORWARDED_FOR=forged(i)).status_code for i in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


def test_behind_one_proxy_only_the_address_it_saw_counts(
    client, settings, small_budgets, directory
):
    settings.TRUSTED_PROXIES = 1
    # The proxy appends the real address; what the client wrote before it changes every time.
    statuses = [
        client.get(API, HTTP_X_FORWARDED_FOR=f"{forged(i)}, 198.51.100.7").status_code
        for i in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    # Another visitor behind the same proxy has a budget of their own.
    other = client.get(API, HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert other.status_code == 200


def test_exports_are_limited_per_client_with_a_sentence_and_retry_after(
    client, settings, small_budgets, directory
):
    settings.TRUSTED_PROXIES = 0
    for i in range(3):
        response = client.get(export_url(), HTTP_X_FORWARDED_FOR=forged(i))
        assert response.status_code == 200
        b"".join(response.streaming_content)
    refused = client.get(export_url("organisations", "json"), HTTP_X_FORWARDED_FOR=forged(9))
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    sentence = refused.content.decode()
    assert "Trop de téléchargements" in sentence and "secondes" in sentence
    english = client.get("/en" + export_url())
    assert english.status_code == 429 and "Too many downloads" in english.content.decode()
    # PDFs are exports too.
    slug = directory["initiatives"][0].slug
    pdf = client.get(reverse("publications:initiative-pdf", kwargs={"slug": slug}))
    assert pdf.status_code == 429
    # Another address is another client.
    assert client.get(export_url(), REMOTE_ADDR="192.0.2.44").status_code == 200


def test_a_partner_token_has_its_own_export_budget(client, settings, small_budgets, partner):
    from publications.tokens import create_token

    _token, key = create_token(partner, "script")
    for _ in range(3):
        assert client.get(export_url("territories")).status_code == 200
    assert client.get(export_url("territories")).status_code == 429
    scripted = client.get(export_url("territories"), HTTP_AUTHORIZATION=f"Token {key}")
    assert scripted.status_code == 200


@pytest.mark.parametrize(
    ("proxies", "header", "expected"),
    [
        (0, "203.0.113.1", "127.0.0.1"),
        (1, "203.0.113.1", "203.0.113.1"),
        (1, "203.0.113.1, 198.51.100.7", "198.51.100.7"),
        (2, "203.0.113.1, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (1, "not-an-address", "127.0.0.1"),  # a proxy that forwards junk: the socket's address
        (1, "", "127.0.0.1"),
    ],
)
def test_client_address_is_read_from_the_trusted_end(rf, settings, proxies, header, expected):
    settings.TRUSTED_PROXIES = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=header, REMOTE_ADDR="127.0.0.1")
    assert client_ip(request) == expected
