"""What crawlers and feed readers get: published pages only, in French and English."""

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.utils.text import slugify

from initiatives.models import Initiative, Organisation, Pole
from initiatives.services import publish, withdraw
from territoires.models import Level, Territory

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ATOM = "{http://www.w3.org/2005/Atom}"
SCHEMAS = Path(__file__).parent / "schemas"  # sitemaps.org's, with Google's hreflang links


def place(level, code, name, parent=None, **extra):
    return Territory.objects.create(
        level=level, code=code, name=name, slug=slugify(name), parent=parent, **extra
    )


def initiative(name, territory, published=True, **extra):
    item = Initiative.objects.create(
        name=name, slug=slugify(name), territory=territory, summary=f"{name}, en bref.", **extra
    )
    return publish(item) if published else item


@pytest.fixture
def france(db):
    region = place(Level.REGION, "32", "Hauts-de-France")
    pas_de_calais = place(Level.DEPARTEMENT, "62", "Pas-de-Calais", region)
    bethune = place(Level.EPCI, "200072460", "CA de Béthune-Bruay", pas_de_calais)
    bruay = place(Level.COMMUNE, "62178", "Bruay-la-Buissière", pas_de_calais, epci=bethune)
    empty = place(Level.COMMUNE, "62001", "Ablain-Saint-Nazaire", pas_de_calais)
    other_region = place(Level.REGION, "84", "Auvergne-Rhône-Alpes")
    return {
        "region": region,
        "pas_de_calais": pas_de_calais,
        "bethune": bethune,
        "bruay": bruay,
        "empty": empty,
        "other_region": other_region,
    }


def sitemap_urls(client, section):
    response = client.get(f"/sitemap-{section}.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {
        url.findtext(f"{SITEMAP}loc"): {
            link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")
        }
        for url in root.findall(f"{SITEMAP}url")
    }


# Sitemap


def test_sitemap_index_lists_every_section_with_something_in_it(france, client):
    def listed():
        response = client.get("/sitemap.xml")
        assert response.status_code == 200
        root = ET.fromstring(response.content)
        return {s.findtext(f"{SITEMAP}loc") for s in root.findall(f"{SITEMAP}sitemap")}

    # An empty sitemap is not valid (sitemaps.org wants a <url>): nothing published, pages only.
    assert listed() == {"http://testserver/sitemap-pages.xml"}
    initiative("Maison des échanges", france["bruay"])
    publish(Organisation.objects.create(name="Maison des échanges", slug="maison"))
    assert listed() == {
        f"http://testserver/sitemap-{section}.xml"
        for section in ["pages", "initiatives", "acteurs", "territoires"]
    }


def test_sitemap_lists_published_initiatives_in_both_languages(france, client):
    initiative("Maison des échanges", france["bruay"])
    withdraw(initiative("Projet retiré", france["bruay"]))
    initiative("Projet en préparation", france["bruay"], published=False)

    urls = sitemap_urls(client, "initiatives")

    assert set(urls) == {
        "http://testserver/initiatives/maison-des-echanges/",
        "http://testserver/en/initiatives/maison-des-echanges/",
    }
    assert urls["http://testserver/initiatives/maison-des-echanges/"] == {
        "fr": "http://testserver/initiatives/maison-des-echanges/",
        "en": "http://testserver/en/initiatives/maison-des-echanges/",
        "x-default": "http://testserver/initiatives/maison-des-echanges/",
    }


def test_a_large_section_is_split_into_files_each_reading_its_own_rows(
    france, client, monkeypatch, django_assert_num_queries
):
    """Four addresses per file here (5,000 in production): five initiatives in two languages
    are three files, listed by the index; each row's two languages share a file, every address
    is in exactly one, and each file reads only its own rows."""
    from lxml import etree

    from observatoire import sitemaps

    monkeypatch.setattr(sitemaps._Bilingual, "limit", 4)
    names = [f"Initiative {n}" for n in range(5)]
    for name in names:
        initiative(name, france["bruay"])
    initiative("Brouillon", france["bruay"], published=False)

    index = ET.fromstring(client.get("/sitemap.xml").content)
    files = [s.findtext(f"{SITEMAP}loc") for s in index.findall(f"{SITEMAP}sitemap")]
    assert [f for f in files if "initiatives" in f] == [
        "http://testserver/sitemap-initiatives.xml",
        "http://testserver/sitemap-initiatives.xml?p=2",
        "http://testserver/sitemap-initiatives.xml?p=3",
    ]
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "alternates.xsd")))
    seen = []
    for page in (1, 2, 3):
        with django_assert_num_queries(2):  # the number of rows, then this file's rows
            response = client.get("/sitemap-initiatives.xml", {"p": page})
        assert schema.validate(etree.fromstring(response.content)), schema.error_log
        urls = [u.findtext(f"{SITEMAP}loc") for u in ET.fromstring(response.content)]
        assert len(urls) == (4 if page < 3 else 2)
        slugs = {url.rsplit("/", 2)[-2] for url in urls}
        assert all(url.replace("/en/", "/") in urls for url in urls)  # both languages here
        assert len(slugs) == len(urls) // 2
        seen += urls
    expected = {
        f"http://testserver{p}initiatives/{slugify(n)}/" for n in names for p in ["/", "/en/"]
    }
    assert sorted(seen) == sorted(expected)
    assert client.get("/sitemap-initiatives.xml", {"p": 4}).status_code == 404


def test_sitemap_lists_published_organisations_and_ptces_only(france, client):
    publish(Organisation.objects.create(name="Maison des échanges", slug="maison"))
    Organisation.objects.create(name="Association en création", slug="en-creation")
    publish(
        Pole.objects.create(
            name="PTCE", slug="ptce-artois", summary="Un pôle.", territory=france["bruay"]
        )
    )
    Pole.objects.create(name="Brouillon", slug="ptce-brouillon", territory=france["bruay"])

    assert set(sitemap_urls(client, "acteurs")) == {
        "http://testserver/acteurs/maison/",
        "http://testserver/en/acteurs/maison/",
    }
    assert set(sitemap_urls(client, "ptce")) == {
        "http://testserver/ptce/ptce-artois/",
        "http://testserver/en/ptce/ptce-artois/",
    }


def test_sitemap_lists_territories_holding_published_initiatives_and_their_ancestors(
    france, client
):
    initiative("Maison des échanges", france["bruay"])
    initiative("Projet en préparation", france["empty"], published=False)

    urls = {url for url in sitemap_urls(client, "territoires") if "/en/" not in url}

    assert urls == {
        "http://testserver/territoires/region/32/",
        "http://testserver/territoires/departement/62/",
        "http://testserver/territoires/epci/200072460/",
        "http://testserver/territoires/commune/62178/",
    }


def test_sitemap_of_an_empty_site_is_valid(db, client):
    for section in ["initiatives", "acteurs", "ptce", "territoires"]:
        assert sitemap_urls(client, section) == {}
    assert "http://testserver/" in sitemap_urls(client, "pages")


def test_sitemap_queries_do_not_grow_with_initiatives(france, client, django_assert_num_queries):
    for count in (5, 50):
        for number in range(count):
            initiative(f"Initiative {count} {number}", france["bruay"])
        # The number of rows (the number of files), then this file's rows.
        with django_assert_num_queries(2):
            assert client.get("/sitemap-initiatives.xml").status_code == 200
        # The paths of initiatives, then of PTCEs, then the territories themselves.
        with django_assert_num_queries(3):
            assert client.get("/sitemap-territoires.xml").status_code == 200
        # Per model section, its number of rows; for each that has some (here the initiatives),
        # its latest change; the territories' three.
        with django_assert_num_queries(10):
            assert client.get("/sitemap.xml").status_code == 200


def test_unknown_sitemap_section_is_not_found(db, client):
    assert client.get("/sitemap-nothing.xml").status_code == 404


@pytest.mark.parametrize("page", ["abc", "99999"])
def test_bad_sitemap_page_is_not_a_server_error(db, client, page):
    assert client.get("/sitemap-pages.xml", {"p": page}).status_code == 404


# robots.txt


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_admin_and_accounts(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    for path in ["/admin/", "/comptes/", "/en/admin/", "/en/comptes/"]:
        assert f"Disallow: {path}" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /" not in lines
    assert "Crawl-delay: 1" in lines  # CRAWL_DELAY, seconds between requests (Bing, Yandex)


# Atom feed


def test_feed_lists_newly_published_initiatives_latest_first(france, client):
    initiative("Première", france["bruay"])
    initiative("Seconde", france["bruay"])
    initiative("Brouillon", france["bruay"], published=False)

    response = client.get("/initiatives/flux.atom")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Seconde", "Première"]
    assert entries[0].find(f"{ATOM}link").get("href") == "http://testserver/initiatives/seconde/"
    assert entries[0].findtext(f"{ATOM}summary") == "Seconde, en bref."
    assert root.find(f"{ATOM}author") is not None


def test_feed_in_english_links_to_english_pages(france, client):
    initiative("Première", france["bruay"])
    root = ET.fromstring(client.get("/en/initiatives/flux.atom").content)
    [entry] = root.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}link").get("href") == "http://testserver/en/initiatives/premiere/"
    assert root.findtext(f"{ATOM}title") == "Newly published initiatives"


def test_feed_queries_do_not_grow_with_entries(france, client, django_assert_num_queries):
    for count in (5, 30):
        for number in range(count):
            item = initiative(f"Initiative {count} {number}", france["bruay"])
            item.themes.add("gouvernance", "mobilité")
        with django_assert_num_queries(2):
            assert client.get("/initiatives/flux.atom").status_code == 200


def test_every_page_advertises_the_feed(db, client):
    html = client.get("/").content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Initiatives récemment publiées" '
        'href="/initiatives/flux.atom">'
    ) in html
