"""The company register client against a real HTTP server started here, serving canned answers
the way recherche-entreprises.api.gouv.fr does (and refusing with 429 + Retry-After once)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import translation

from initiatives import companies
from initiatives.models import LegalForm

# A canned answer in the API's shape (fields the client reads, and a few it does not).
ADERE = {
    "siren": "732829320",
    "nom_complet": "ADERE LAURA (ADERE)",
    "nom_raison_sociale": "ADERE LAURA",
    "sigle": "ADERE",
    "nature_juridique": "9220",
    "siege": {
        "siret": "73282932000074",
        "commune": "62178",
        "code_postal": "62700",
        "adresse": "1 RUE DE LA GARE 62700 BRUAY-LA-BUISSIERE",
        "latitude": "50.4833",
        "longitude": "2.55",
    },
    "complements": {"est_ess": True, "identifiant_association": "W623001234"},
    "dirigeants": [],
}


class Register:
    """What the server saw and how it should answer next."""

    def __init__(self):
        self.requests = []  # (monotonic time, path, query)
        self.busy_once = False
        self.retry_after = "1"
        self.status = 200
        self.body = None
        self.delay = 0.0


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the standard library's name
        register = self.server.register
        url = urlparse(self.path)
        register.requests.append((time.monotonic(), url.path, parse_qs(url.query)))
        if register.delay:
            time.sleep(register.delay)
        if register.busy_once:
            register.busy_once = False
            self.send_response(429)
            self.send_header("Retry-After", register.retry_after)
            self.end_headers()
            return
        if register.status != 200:
            self.send_response(register.status)
            self.end_headers()
            return
        query = parse_qs(url.query).get("q", [""])[0]
        body = register.body
        if body is None:
            found = [ADERE] if query in {ADERE["siren"], "adere"} else []
            body = json.dumps({"results": found, "total_results": len(found)}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(autouse=True)
def _english():
    # The messages are matched in English; the French ones are the .po's.
    with translation.override("en"):
        yield


@pytest.fixture
def register():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.register = Register()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.register.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server.register
    server.shutdown()
    server.server_close()


def test_a_company_is_found_by_siren_with_what_the_form_needs(register):
    company = companies.Client(register.url).by_siren("732 829 320")
    assert company.name == "ADERE LAURA"
    assert company.acronym == "ADERE"
    assert company.siret == "73282932000074"
    assert company.rna == "W623001234"
    assert company.commune_code == "62178"
    assert (company.latitude, company.longitude) == (50.4833, 2.55)
    assert company.legal_form == LegalForm.ASSOCIATION
    path, query = register.requests[0][1:]
    assert path == "/search"
    assert query["q"] == ["732829320"]


def test_an_unknown_siren_is_none(register):
    assert companies.Client(register.url).by_siren("552100554") is None


def test_a_429_is_waited_for_as_retry_after_says_then_answered(register):
    register.busy_once = True
    started = time.monotonic()
    company = companies.Client(register.url).by_siren("732829320")
    assert company.siren == "732829320"
    times = [t for t, _, _ in register.requests]
    assert len(times) == 2
    assert times[1] - times[0] >= 0.95  # Retry-After: 1
    assert time.monotonic() - started >= 0.95


def test_a_retry_after_too_long_to_wait_is_said_not_waited(register):
    register.busy_once = True
    register.retry_after = "120"
    with pytest.raises(companies.CompanySearchError, match="120"):
        companies.Client(register.url).search("adere")
    assert len(register.requests) == 1


def test_no_more_than_seven_requests_a_second(register):
    client = companies.Client(register.url, rate=7)
    threads = [threading.Thread(target=client.search, args=("adere",)) for _ in range(15)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    times = sorted(t for t, _, _ in register.requests)
    assert len(times) == 15
    # Any eight requests in a row span at least a second (seven intervals of 1/7 s), give or take
    # the scheduling of threads.
    for first, eighth in zip(times, times[7:], strict=False):
        assert eighth - first >= 0.95


def test_a_slow_register_ends_in_a_clear_error(register):
    register.delay = 1.0
    with pytest.raises(companies.CompanySearchError, match="did not answer within 0.2"):
        companies.Client(register.url, timeout=0.2).search("adere")


@pytest.mark.parametrize(
    "status, body, message",
    [(500, None, "HTTP 500"), (200, b"<html>", "could not be read"), (200, b"{}", "could not")],
)
def test_errors_are_sentences(register, status, body, message):
    register.status, register.body = status, body
    with pytest.raises(companies.CompanySearchError, match=message):
        companies.Client(register.url).search("adere")


def test_an_unreachable_register_is_said():
    with pytest.raises(companies.CompanySearchError, match="could not be reached"):
        companies.Client("http://127.0.0.1:9", timeout=1).search("adere")


def test_off_by_default_nothing_is_fetched(settings, register):
    settings.COMPANY_SEARCH_URL = register.url
    assert settings.COMPANY_SEARCH_ENABLED is False
    with pytest.raises(companies.CompanySearchError, match="not enabled"):
        companies.lookup("732829320")
    assert register.requests == []
