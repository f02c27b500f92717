"""Citations read by the tools researchers use: bibtexparser and pybtex (BibTeX), rispy (RIS), the
official CSL-JSON schema and citeproc-py (CSL-JSON). None of them is written here.

The awkward cases are all in one work: a corporate author, "Lefèvre, Élise", a title with
{braces}, a tilde and a backslash, and an address with %, _ and &.
"""

import datetime as dt
import json
import warnings
from pathlib import Path

import bibtexparser
import jsonschema
import pybtex
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as citeproc_formatter
from citeproc.source.json import CiteProcJSON
from django.conf import settings
from django.urls import reverse
from pybtex.database import parse_string

from publications import citation
from publications.citation import PUBLISHER, Citable
from tests.terrain import conftest as fieldwork_fixtures

users = fieldwork_fixtures.users
fieldwork = fieldwork_fixtures.fieldwork
published = fieldwork_fixtures.published

SCHEMA = Path(settings.BASE_DIR) / "publications" / "schemas" / "csl" / "csl-data.json"
TITLE = "Les {accolades}, le tilde ~ et la barre \\ oblique : 50 % des pôles"
URL = "https://example.org/donnees_2024/%C3%A9t%C3%A9?format=csv&page=2"


@pytest.fixture
def awkward():
    return Citable(
        key_slug="panorama-des-pôles",
        kind="dataset",
        title=TITLE,
        authors=["Lefèvre, Élise", PUBLISHER],
        date=dt.date(2024, 7, 3),
        url=URL,
        version="1.0",
        abstract="Ce que nous avons appris.\n\nEn deux paragraphes.",
        licence="Licence Ouverte 2.0",
        licence_url="https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        keywords=["coopération", "ESS"],
    )


def read_bibtex(text):
    """bibtexparser: the raw fields, and the fields decoded from LaTeX with the names split."""
    raw = bibtexparser.parse_string(text)
    decoded = bibtexparser.parse_string(
        text,
        append_middleware=[SeparateCoAuthors(), SplitNameParts(), LatexDecodingMiddleware()],
    )
    assert not raw.failed_blocks and not decoded.failed_blocks
    (raw_entry,), (entry,) = raw.entries, decoded.entries
    return raw_entry, entry


def test_bibtexparser_reads_back_every_field(awkward):
    raw, entry = read_bibtex(citation.bibtex(awkward))
    assert entry.key == "lefevre2024panoramadespoles"  # transliterated, not "lefvre"
    assert entry["title"] == TITLE
    assert raw["url"] == URL  # verbatim: not escaped, and read as is
    first, corporate = entry["author"]
    assert (first.last, first.first) == (["Lefèvre"], ["Élise"])
    # Braced: one name, not first name "Observatoire", last name "coopératives".
    assert corporate.first == [] and corporate.last == ["{" + PUBLISHER + "}"]
    assert entry["publisher"] == PUBLISHER and entry["version"] == "1.0"
    assert entry["abstract"] == "Ce que nous avons appris. En deux paragraphes."


def test_pybtex_reads_and_formats_it(awkward):
    text = citation.bibtex(awkward)
    entry = parse_string(text, "bibtex").entries["lefevre2024panoramadespoles"]
    first, corporate = entry.persons["author"]
    assert (first.last_names, first.first_names) == (["Lefèvre"], ["Élise"])
    assert corporate.last_names == ["{" + PUBLISHER + "}"] and corporate.first_names == []
    assert entry.fields["url"] == URL
    formatted = pybtex.format_from_string(text, style="plain", output_backend="text")
    assert f"Élise Lefèvre and {PUBLISHER}." in formatted
    assert f"URL: {URL}" in formatted


def test_unbalanced_braces_keep_the_file_readable(awkward):
    awkward.title = "Une accolade { sans sa paire"
    text = citation.bibtex(awkward) + citation.bibtex(awkward).replace("lefevre", "autre")
    assert len(parse_string(text, "bibtex").entries) == 2  # pybtex counts braces as BibTeX does
    assert len(bibtexparser.parse_string(text).entries) == 2


def test_rispy_reads_the_ris_record(awkward):
    (record,) = rispy.loads(citation.ris(awkward))
    assert record["type_of_reference"] == "DATA"
    assert record["title"] == TITLE
    assert record["authors"] == ["Lefèvre, Élise", PUBLISHER]
    assert record["urls"] == [URL]
    assert record["year"] == "2024" and record["date"] == "2024/07/03"
    assert record["publisher"] == PUBLISHER
    assert record["keywords"] == ["coopération", "ESS"]
    assert record["edition"] == "1.0"


def validate_csl(text):
    data = json.loads(text)
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    return data


def formatted_by_citeproc(data) -> tuple[str, str]:
    """The in-text citation and the bibliography entry, by citeproc-py (Harvard style)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py does not use the citation-key variable
        source = CiteProcJSON(data)
        style = CitationStylesStyle("harvard-cite-them-right", validate=False)
        bibliography = CitationStylesBibliography(style, source, citeproc_formatter.plain)
        cited = Citation([CitationItem(data[0]["id"])])
        bibliography.register(cited)
        inline = bibliography.cite(cited, lambda item: None)
        return str(inline), str(bibliography.bibliography()[0])


def test_csl_json_is_valid_against_the_official_schema_and_citeproc_formats_it(awkward):
    data = validate_csl(citation.csl_json(awkward))
    assert data[0]["author"] == [{"family": "Lefèvre", "given": "Élise"}, {"literal": PUBLISHER}]
    inline, entry = formatted_by_citeproc(data)
    assert inline == f"(Lefèvre and {PUBLISHER}, 2024)"
    assert entry.startswith(f"Lefèvre, É. and {PUBLISHER} (2024)")
    assert TITLE in entry and URL in entry


def test_the_old_licence_key_would_have_been_refused():
    """The schema forbids unknown keys: a CSL-JSON with `license` fails, ours has none."""
    schema = json.loads(SCHEMA.read_text())
    item = {"id": "x", "type": "dataset", "title": "t", "license": "Licence Ouverte 2.0"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([item], schema)


# --- Through the pages ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_publication_offers_its_citation_in_three_files(client, publications):
    publication = publications["open"]
    html = client.get(publication.get_absolute_url()).content.decode()
    for fmt in ["bib", "ris", "json"]:
        assert reverse("publications:citation", args=[publication.slug, fmt]) in html
    get = lambda fmt: client.get(reverse("publications:citation", args=[publication.slug, fmt]))  # noqa: E731
    bib = get("bib")
    assert bib["Content-Type"].startswith("application/x-bibtex")
    _raw, entry = read_bibtex(bib.content.decode())
    assert entry["url"] == "http://testserver" + publication.get_absolute_url()
    (record,) = rispy.loads(get("ris").content.decode())
    assert record["authors"] == ["Dupont, Marie", "Martin, Paul"]
    data = validate_csl(get("json").content.decode())
    assert formatted_by_citeproc(data)[0] == "(Dupont and Martin, 2024)"
    assert get("docx").status_code == 404


@pytest.mark.django_db
def test_a_published_finding_offers_bibtex_csl_json_and_ris(client, published):
    finding = published["finding"]
    finding.themes.add("confiance")
    html = client.get(finding.get_absolute_url()).content.decode()
    assert "@techreport{observatoire" in html
    for fmt in ["bib", "ris", "json"]:
        assert reverse("publications:finding-citation", args=[finding.slug, fmt]) in html
    get = lambda fmt: client.get(reverse("publications:finding-citation", args=[finding.slug, fmt]))  # noqa: E731
    _raw, entry = read_bibtex(get("bib").content.decode())
    assert entry["title"] == finding.title
    assert entry["author"][0].last == ["{" + PUBLISHER + "}"]
    (record,) = rispy.loads(get("ris").content.decode())
    assert record["type_of_reference"] == "RPRT" and record["authors"] == [PUBLISHER]
    assert "confiance" in record["keywords"]
    data = validate_csl(get("json").content.decode())
    assert data[0]["author"] == [{"literal": PUBLISHER}]
    year = finding.published_at.year
    assert formatted_by_citeproc(data)[0] == f"({PUBLISHER}, {year})"


@pytest.mark.django_db
def test_an_unpublished_finding_has_no_citation(client, fieldwork):
    finding = fieldwork["finding"]  # a draft
    assert (
        client.get(reverse("publications:finding-citation", args=[finding.slug, "bib"])).status_code
        == 404
    )
