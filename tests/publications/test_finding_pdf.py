"""A finding as a PDF: consented quotes only, cached until the finding or its consents change."""

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse

from terrain import services
from tests.terrain import conftest as fieldwork_fixtures

users = fieldwork_fixtures.users
fieldwork = fieldwork_fixtures.fieldwork
published = fieldwork_fixtures.published

pytestmark = pytest.mark.django_db

QUOTE = "la confiance est venue des échanges réguliers"


@pytest.fixture
def rendered(monkeypatch):
    """The PDF's HTML instead of WeasyPrint's output, and how many times it was made."""
    made = []

    def render_pdf(template, context, base_url):
        made.append(template)
        return b"%PDF-" + render_to_string(template, context).encode("utf-8")

    monkeypatch.setattr("publications.pdf.render_pdf", render_pdf)
    cache.clear()
    return made


def pdf_url(slug="confiance-echanges"):
    return reverse("publications:finding-pdf", args=[slug])


def test_finding_as_pdf_with_weasyprint(client, published):
    cache.clear()
    response = client.get(pdf_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client.get(pdf_url()).content == response.content


def test_finding_pdf_has_quotes_sources_and_citation_and_is_cached(client, published, rendered):
    html = client.get(pdf_url()).content.decode()
    assert QUOTE in html and "— Paul" in html
    assert "/initiatives/maison-des-echanges/" in html
    assert "/enseignements/confiance-echanges/" in html
    assert 'class="cite"' in html and "Licence Ouverte 2.0" in html
    client.get(pdf_url())
    assert len(rendered) == 1  # the second request came from the cache


def test_withdrawn_consent_is_reflected_in_the_pdf_at_once(client, published, rendered):
    assert QUOTE in client.get(pdf_url()).content.decode()
    services.withdraw_consent(published["helene_consent"])
    html = client.get(pdf_url()).content.decode()
    assert QUOTE not in html
    assert 'class="notice"' in html  # the quotes removed are said to be
    assert len(rendered) == 2


def test_finding_changes_make_a_new_pdf(client, published, rendered):
    client.get(pdf_url())
    finding = published["finding"]
    finding.summary = "Une autre leçon."
    finding.save()
    assert "Une autre leçon." in client.get(pdf_url()).content.decode()


def test_unpublished_finding_has_no_pdf(client, fieldwork, rendered):
    assert client.get(pdf_url()).status_code == 404
    assert rendered == []


def test_public_finding_page_links_to_its_pdf(client, published):
    html = client.get(published["finding"].get_absolute_url()).content.decode()
    assert pdf_url() in html
