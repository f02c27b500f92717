"""The sitemap beyond the directory: publications, findings, agenda events, the map and data pages.

Every file is validated with lxml against the sitemaps.org schemas shipped in
tests/observatoire/schemas/, and every address it lists is fetched and answers 200.
"""

import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from django.utils.text import slugify
from lxml import etree

from agenda.models import Event
from initiatives.models import Initiative
from initiatives.services import publish
from publications.models import Kind, Publication
from terrain.models import Finding, Season
from territoires.models import Level, Territory

SCHEMAS = Path(__file__).parent / "schemas"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
NEW_SECTIONS = ("publications", "enseignements", "agenda")


def schema(name) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def valid_xml(client, path, schema_name):
    response = client.get(path)
    assert response.status_code == 200
    document = etree.fromstring(response.content)
    validator = schema(schema_name)
    assert validator.validate(document), validator.error_log
    return document


def locations(client, section) -> set[str]:
    document = valid_xml(client, f"/sitemap-{section}.xml", "alternates.xsd")
    return set(document.xpath("//sm:url/sm:loc/text()", namespaces=NS))


@pytest.fixture
def site(db):
    region = Territory.objects.create(
        level=Level.REGION, code="32", name="Hauts-de-France", slug="hauts-de-france"
    )
    initiative = publish(
        Initiative.objects.create(
            name="Maison des échanges", slug="maison", territory=region, summary="En bref."
        )
    )

    def publication(title, **extra):
        item = Publication.objects.create(
            title=title, slug=slugify(title), kind=Kind.DATASET, authors="Dupont, Marie",
            date=datetime.date(2024, 5, 2), **extra,
        )  # fmt: skip
        return item

    publish(publication("Annuaire 2024"))
    publish(publication("Sous embargo", embargo_until=timezone.localdate() + datetime.timedelta(9)))
    publication("Brouillon")
    season = Season.objects.create(title="Saison", start_date=datetime.date(2024, 5, 1))
    now = timezone.now()
    published = {"state": "published", "published_at": now}
    Finding.objects.create(season=season, title="Confiance", slug="confiance", **published)
    Finding.objects.create(season=season, title="En cours", slug="en-cours")
    events = [
        Event.objects.create(title="Rencontre", starts_at=now + datetime.timedelta(days=3),
                             territory=region, **published),
        Event.objects.create(title="L'an dernier", starts_at=now - datetime.timedelta(days=365),
                             **published),
    ]  # fmt: skip
    Event.objects.create(title="Proposition", starts_at=now + datetime.timedelta(days=5))
    return {"initiative": initiative, "events": events}


def test_index_is_valid_and_names_the_new_sections(client, site):
    document = valid_xml(client, "/sitemap.xml", "siteindex.xsd")
    listed = document.xpath("//sm:sitemap/sm:loc/text()", namespaces=NS)
    for section in NEW_SECTIONS:
        assert f"http://testserver/sitemap-{section}.xml" in listed


def test_sections_list_published_rows_only_in_both_languages(client, site):
    french = {section: {u for u in locations(client, section) if "/en/" not in u}
              for section in NEW_SECTIONS}  # fmt: skip
    assert french["publications"] == {"http://testserver/publications/annuaire-2024/"}
    assert french["enseignements"] == {"http://testserver/enseignements/confiance/"}
    assert french["agenda"] == {
        f"http://testserver/agenda/evenements/{event.pk}/" for event in site["events"]
    }
    english = locations(client, "publications") - french["publications"]
    assert english == {"http://testserver/en/publications/annuaire-2024/"}


def test_pages_section_has_the_map_and_the_data_pages(client, site):
    pages = locations(client, "pages")
    for path in ("/carte/", "/donnees/", "/publications/", "/enseignements/", "/agenda/"):
        assert "http://testserver" + path in pages
        assert "http://testserver/en" + path in pages


def test_every_listed_address_answers(client, site):
    index = valid_xml(client, "/sitemap.xml", "siteindex.xsd")
    sections = index.xpath("//sm:sitemap/sm:loc/text()", namespaces=NS)
    checked = 0
    for section in sections:
        document = valid_xml(client, urlsplit(section).path, "alternates.xsd")
        urls = document.xpath("//sm:url/sm:loc/text() | //xhtml:link/@href", namespaces=NS)
        for url in set(urls):
            assert client.get(urlsplit(url).path).status_code == 200, url
            checked += 1
    assert checked >= 30


def test_the_schema_refuses_a_broken_sitemap(client, site):
    """The validation above can fail: a <url> without <loc> is not a sitemap."""
    document = etree.fromstring(client.get("/sitemap-agenda.xml").content)
    url = document.find("sm:url", NS)
    url.remove(url.find("sm:loc", NS))
    assert not schema("alternates.xsd").validate(document)


def make(section, name):
    now = timezone.now()
    if section == "publications":
        return publish(
            Publication.objects.create(title=name, slug=slugify(name), kind=Kind.REPORT,
                                       authors="Dupont, Marie", date=now.date())
        )  # fmt: skip
    published = {"state": "published", "published_at": now}
    if section == "enseignements":
        season = Season.objects.first()
        return Finding.objects.create(season=season, title=name, slug=slugify(name), **published)
    return Event.objects.create(title=name, starts_at=now, **published)


@pytest.mark.parametrize("section", NEW_SECTIONS)
def test_new_sections_queries_do_not_grow(client, site, section, django_assert_num_queries):
    for count in (1, 10):
        for number in range(count):
            make(section, f"Ligne {count} {number}")
        with django_assert_num_queries(2):  # the number of rows, then this file's rows
            assert client.get(f"/sitemap-{section}.xml").status_code == 200
