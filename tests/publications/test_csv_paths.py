"""The CSV export's two writers: PostgreSQL's COPY and the Python writer give the same bytes."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from initiatives.models import Initiative
from publications.exports import copy, formats
from publications.exports.kinds import SPECS

pytestmark = pytest.mark.django_db
BASE = "https://observatoire.example"


def written(chunks) -> bytes:
    return b"".join(formats.encoded(chunks))


def three_writers(name, query=""):
    spec = SPECS[name]
    queryset, _filterset = spec.rows(RequestFactory().get("/" + query).GET)
    python = written(formats.csv_tuple_chunks(spec, queryset, BASE))
    dicts = written(formats.csv_chunks(spec, queryset.iterator(), formats.UrlMaker(spec, BASE)))
    sql = written(copy.csv_chunks(spec, queryset, formats.UrlMaker(spec, BASE).template))
    return python, dicts, sql


@pytest.fixture
def awkward(directory):
    """Cells that format differently unless both writers agree: empty text, integral and negative
    coordinates, quotes, newlines, a lever set, a datetime with and without microseconds."""
    first, second, third = directory["initiatives"]
    Initiative.objects.filter(pk=first.pk).update(
        summary='Line one\nline "two", three',
        latitude=50.0,
        longitude=-0.5,
        sectoral_interaction=True,
        website="",
        published_at=datetime.datetime(2024, 3, 1, 9, 0, 0, 123456, tzinfo=datetime.UTC),
    )
    Initiative.objects.filter(pk=second.pk).update(
        latitude=None, longitude=None, end_date=datetime.date(2020, 12, 31)
    )
    Initiative.objects.filter(pk=third.pk).update(
        published_at=timezone.now().replace(microsecond=0)
    )
    return directory


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
@pytest.mark.parametrize("name", sorted(copy.KINDS))
@pytest.mark.parametrize("query", ["", "?territoire=commune:62178", "?tri=-name"])
def test_copy_and_python_writers_give_the_same_bytes(awkward, name, query):
    python, dicts, sql = three_writers(name, query)
    assert python == dicts == sql
    rows = list(csv.reader(io.StringIO(sql.decode())))
    assert rows[0] == SPECS[name].column_names
    assert all(len(row) == len(rows[0]) for row in rows)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_the_csv_parses_back_with_every_row(awkward):
    _python, _dicts, sql = three_writers("initiatives")
    rows = list(csv.DictReader(io.StringIO(sql.decode())))
    assert len(rows) == Initiative.objects.published().count() == 3
    first = next(row for row in rows if row["summary"].startswith("Line one"))
    assert first["summary"] == 'Line one\nline "two", three'
    assert (first["website"], first["latitude"], first["longitude"]) == ("", "50.0", "-0.5")
    assert first["published_at"] == "2024-03-01T09:00:00.123456+00:00"
    assert first["sectoral_interaction"] == "true"


def test_the_view_uses_copy_on_postgresql_with_the_bom_and_the_log(client, awkward, monkeypatch):
    used = []
    real = copy.csv_chunks
    monkeypatch.setattr(copy, "csv_chunks", lambda *a: used.append(1) or real(*a))
    response = client.get("/export/initiatives.csv?bom=1")
    data = b"".join(response.streaming_content)
    assert data.startswith("\ufeff".encode())
    assert len(list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))) == 4
    assert used == ([1] if connection.vendor == "postgresql" else [])
    from publications.models import Download

    assert Download.objects.filter(export="initiatives.csv").count() == 1
