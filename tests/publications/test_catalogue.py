"""The DCAT-AP catalogue: read back by rdflib's own parsers (Turtle and JSON-LD) and validated by
pySHACL against the official DCAT-AP 3.0.1 shapes shipped in tests/publications/shapes/."""

import datetime
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pyshacl import validate
from rdflib import BNode, Graph, Namespace, URIRef

from publications.exports.kinds import SPECS
from publications.models import Audience, Licence

from .conftest import make_publication

# Plain namespaces: rdflib's closed DCAT warns when pytest looks for attributes it lacks.
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPES = Path(__file__).parent / "shapes"
SHAPE_SETS = {
    # The generated full profile, then the hand-written mandatory shapes with the class ranges
    # (the two files the EU's own DCAT-AP validator offers).
    "SHACL": ["dcat-ap-3.0.1-SHACL.ttl"],
    "shapes+range": ["dcat-ap-3.0.1-shapes.ttl", "dcat-ap-3.0.1-range.ttl"],
}
FORMATS = {"ttl": "turtle", "jsonld": "json-ld"}
PUBLIC = URIRef("http://publications.europa.eu/resource/authority/access-right/PUBLIC")
RESTRICTED = URIRef("http://publications.europa.eu/resource/authority/access-right/RESTRICTED")

pytestmark = pytest.mark.django_db


def shapes(name) -> Graph:
    graph = Graph()
    for file in SHAPE_SETS[name]:
        graph.parse(SHAPES / file, format="turtle")
    return graph


def fetch(client, fmt, prefix="") -> Graph:
    response = client.get(prefix + reverse(f"publications:catalogue-{fmt}"))
    assert response.status_code == 200
    expected = "text/turtle" if fmt == "ttl" else "application/ld+json"
    assert response["Content-Type"].startswith(expected)
    return Graph().parse(data=response.content.decode(), format=FORMATS[fmt])


@pytest.fixture
def catalogued(publications, partner):
    """Beside the fixtures' open dataset and partners' report: a partners-only dataset, an open one
    with all rights reserved and a PDF, a draft and an embargoed one (neither may be listed)."""
    restricted = make_publication("Tableau partenaires", audience=Audience.PARTNERS)
    reserved = make_publication("Séries annuelles", licence=Licence.ALL_RIGHTS)
    reserved.files.update(media_type="application/pdf")
    publications["open"].files.update(media_type="text/csv")
    draft = make_publication("Brouillon de données")
    draft.state = "draft"
    draft.save()
    embargoed = make_publication(
        "Données sous embargo", embargo_until=datetime.date.today() + datetime.timedelta(days=9)
    )
    return {**publications, "restricted": restricted, "reserved": reserved, "draft": draft,
            "embargoed": embargoed}  # fmt: skip


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("shape_set", SHAPE_SETS)
def test_catalogue_is_valid_dcat_ap(client, catalogued, fmt, shape_set):
    conforms, _report, text = validate(fetch(client, fmt), shacl_graph=shapes(shape_set))
    assert conforms, text


def test_the_shapes_do_refuse_a_catalogue_missing_a_mandatory_property(client, catalogued):
    """The validation above can fail: without its titles, a dataset breaks DCAT-AP."""
    graph = fetch(client, "ttl")
    dataset = next(graph.subjects(DCTERMS.identifier, None))
    graph.remove((dataset, DCTERMS.title, None))
    for shape_set in SHAPE_SETS:
        conforms, report, _text = validate(graph, shacl_graph=shapes(shape_set))
        assert not conforms
        assert set(report.objects(None, SH.resultPath)) == {DCTERMS.title}
        assert set(report.objects(None, SH.focusNode)) == {dataset}


def test_turtle_and_json_ld_say_the_same(client, catalogued):
    turtle, json_ld = fetch(client, "ttl"), fetch(client, "jsonld")
    assert len(turtle) == len(json_ld) > 100
    # Blank nodes (authors, formats) aside, every statement is in both.
    named = {t for t in turtle if all(not isinstance(term, BNode) for term in t)}
    assert named <= set(json_ld)


def test_catalogue_lists_every_export_and_published_datasets_only(client, catalogued):
    graph = fetch(client, "ttl")
    rows = graph.query(
        """SELECT ?id ?access WHERE {
             ?catalog a dcat:Catalog ; dcat:dataset ?dataset .
             ?dataset dct:identifier ?id ; dct:accessRights ?access }""",
        initNs={"dcat": DCAT, "dct": DCTERMS},
    )
    listed = {str(row.id): row.access for row in rows}
    assert listed == {
        **dict.fromkeys(SPECS, PUBLIC),
        catalogued["open"].slug: PUBLIC,
        catalogued["reserved"].slug: PUBLIC,
        catalogued["restricted"].slug: RESTRICTED,
    }


def test_files_are_distributions_with_their_licence_and_type(client, catalogued):
    graph = fetch(client, "jsonld")
    rows = graph.query(
        """SELECT ?id ?download ?media ?format ?licence ?size WHERE {
             ?dataset dct:identifier ?id ; dcat:distribution ?file .
             ?file dcat:downloadURL ?download ; dcat:byteSize ?size .
             OPTIONAL { ?file dcat:mediaType ?media } OPTIONAL { ?file dct:format ?format }
             OPTIONAL { ?file dct:license ?licence } }""",
        initNs={"dcat": DCAT, "dct": DCTERMS},
    )
    files = {str(row.id): row for row in rows}
    assert set(files) == {catalogued["open"].slug, catalogued["reserved"].slug}
    open_file = files[catalogued["open"].slug]
    item = catalogued["open"].files.get()
    assert str(open_file.download) == "http://testserver" + item.get_absolute_url()
    assert str(open_file.media) == "https://www.iana.org/assignments/media-types/text/csv"
    assert str(open_file.format).endswith("/file-type/CSV")
    assert str(open_file.licence) == "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
    assert int(open_file.size) == item.size > 0
    reserved = files[catalogued["reserved"].slug]
    assert reserved.licence is None and str(reserved.format).endswith("/file-type/PDF")


def test_exports_are_distributed_in_each_format_with_a_download_address(client, catalogued):
    graph = fetch(client, "ttl")
    downloads = {
        str(url) for url in graph.objects(None, DCAT.downloadURL) if "/export/" in str(url)
    }
    for spec in SPECS.values():
        for fmt in ("csv", "json", "ndjson") + (("geojson",) if spec.has_geometry else ()):
            url = "http://testserver" + reverse(
                "publications:export", kwargs={"name": spec.name, "fmt": fmt}
            )
            assert url in downloads
    # Each address in the catalogue is served.
    for url in sorted(downloads)[:3]:
        assert client.get(url.removeprefix("http://testserver")).status_code == 200


def test_identifiers_do_not_depend_on_the_language_asked(client, catalogued):
    french, english = fetch(client, "ttl"), fetch(client, "ttl", prefix="/en")

    def named(graph):
        return {subject for subject in graph.subjects() if isinstance(subject, URIRef)}

    assert named(french) == named(english)
    assert all("/en/" not in subject for subject in named(english))


def test_dictionary_page_and_datapackage_link_to_the_catalogue(client, db):
    html = client.get(reverse("publications:dictionary")).content.decode()
    package = client.get(reverse("publications:datapackage")).json()
    for name in ("catalogue-ttl", "catalogue-jsonld"):
        path = reverse(f"publications:{name}")
        assert f'href="{path}"' in html
        assert "http://testserver" + path in {link["path"] for link in package["catalogue"]}
        assert client.get(path).status_code == 200


def test_catalogue_queries_do_not_grow_with_publications(client, catalogued):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("publications:catalogue-ttl")).status_code == 200
        return len(queries)

    before = count()
    for number in range(3):
        make_publication(f"Jeu de données {number}").territories.add(
            catalogued["open"].territories.get()
        )
    assert count() == before
