"""Streamed writers: CSV (optional BOM), JSON array, NDJSON and GeoJSON, one row at a time.

Rows come from `values()` over a server-side cursor (`iterator(chunk_size=...)`), so memory stays
flat whatever the number of rows; each writer yields text chunks that the response encodes.
"""

import datetime
import io
import json
from collections.abc import Iterable, Iterator
from itertools import islice

from django.db.models import QuerySet
from django.urls import reverse

from observatoire import csvsafe

from . import copy
from .columns import ARRAY_SEPARATOR, ExportSpec

CHUNK_SIZE = 2000
PK_MARK = "8675309"  # a number no route has, replaced by each row's id
BOM = "\ufeff"
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "ndjson": "application/x-ndjson",
    "geojson": "application/geo+json",
}


class UrlMaker:
    """One reverse() per export: the public address differs only by the slug (or level and code)."""

    def __init__(self, spec: ExportSpec, base: str):
        self.spec = spec
        if spec.name == "territories":
            template = reverse(spec.url_pattern, kwargs={"level": "LEVEL", "code": "CODE"})
        elif spec.url_kwarg == "pk":
            template = reverse(spec.url_pattern, kwargs={"pk": PK_MARK}).replace(PK_MARK, "SLUG")
        else:
            template = reverse(spec.url_pattern, kwargs={"slug": "SLUG"})
        self.template = base + template

    def __call__(self, row: dict) -> str:
        if self.spec.name == "territories":
            return self.template.replace("LEVEL", row["level"]).replace("CODE", row["code"])
        if self.spec.url_kwarg == "pk":
            return self.template.replace("SLUG", str(row["id"]))
        return self.template.replace("SLUG", row["slug"])


def records(spec: ExportSpec, rows: Iterable[dict], url: UrlMaker) -> Iterator[dict]:
    """Each row as an ordered dict of the spec's columns, typed for JSON."""
    for row in rows:
        record = {}
        for column in spec.columns:
            if column.name == "url":
                value = url(row)
            else:
                value = row.get(column.key)
                if column.type == "array":
                    value = value.split(ARRAY_SEPARATOR) if value else []
                elif isinstance(value, datetime.date | datetime.datetime):
                    value = value.isoformat()
            record[column.name] = value
        yield record


def _csv_getter(column, url: UrlMaker):
    """The function giving this column's CSV cell from a values() row, chosen once per export."""
    key = column.key
    if column.name == "url":
        return url
    if column.type == "boolean":
        return lambda row: "" if (v := row.get(key)) is None else ("true" if v else "false")
    if column.type in ("date", "datetime"):
        return lambda row: "" if (v := row.get(key)) is None else v.isoformat()
    if column.type == "array":
        return lambda row: ARRAY_SEPARATOR.join(v) if isinstance(v := row.get(key), list) else v
    return lambda row: row.get(key)  # the csv writer writes None as an empty cell


def _cell(column):
    """How a tuple cell becomes this column's CSV text, or None when the writer's own is right."""
    if column.type == "boolean":
        return lambda v: "" if v is None else ("true" if v else "false")
    if column.type in ("date", "datetime"):
        return lambda v: "" if v is None else v.isoformat()
    if column.type == "array":
        return lambda v: ARRAY_SEPARATOR.join(v) if isinstance(v, list) else v
    return None


def _url_keys(spec: ExportSpec) -> list[str]:
    if spec.name == "territories":
        return ["level", "code"]
    return ["id"] if spec.url_kwarg == "pk" else ["slug"]


def _write(spec: ExportSpec, rows: Iterable, cells) -> Iterator[str]:
    buffer = io.StringIO()
    # Text cells that a spreadsheet would run as formulas are quoted (observatoire/csvsafe.py).
    writer = csvsafe.writer(buffer, lineterminator="\r\n")
    writer.writerow(spec.column_names)
    rows = iter(rows)
    while batch := list(islice(rows, CHUNK_SIZE)):
        writer.writerows(map(cells, batch) if cells else batch)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def csv_chunks(spec: ExportSpec, rows: Iterable[dict], url: UrlMaker) -> Iterator[str]:
    """CSV from values() rows (dicts), for the row sources that are not querysets."""
    getters = [_csv_getter(column, url) for column in spec.columns]
    return _write(spec, rows, lambda row: [get(row) for get in getters])


def csv_tuple_chunks(spec: ExportSpec, queryset, base: str) -> Iterator[str]:
    """CSV from `values_list()` tuples in the columns' order, a few thousand rows per write.

    cProfile on the benchmark's 10,000 initiatives: the dict rows and one getter call per cell
    were most of the Python time. Tuples go to `writerows` as they are when no column needs
    formatting; otherwise only the boolean, date and array cells are converted, and the url is
    built from the key columns appended after the exported ones.
    """
    keys = [column.key for column in spec.columns if column.name != "url"]
    extra = [key for key in _url_keys(spec) if key not in keys] if _has_url(spec) else []
    rows = queryset.values_list(*keys, *extra).iterator(chunk_size=CHUNK_SIZE)
    columns = [column for column in spec.columns if column.name != "url"]
    converted = [(i, cell) for i, column in enumerate(columns) if (cell := _cell(column))]
    where = next((i for i, column in enumerate(spec.columns) if column.name == "url"), None)
    if where is None and not converted:
        return _write(spec, rows, None)
    url = UrlMaker(spec, base)
    names = _url_keys(spec)
    position = {key: i for i, key in enumerate([*keys, *extra])}
    url_positions = [position[key] for key in names] if where is not None else []
    width = len(keys)

    def cells(row):
        if where is not None:
            link = url(dict(zip(names, [row[i] for i in url_positions], strict=True)))
        row = list(row[:width])
        for i, cell in converted:
            row[i] = cell(row[i])
        if where is not None:
            row.insert(where, link)
        return row

    return _write(spec, rows, cells)


def _has_url(spec: ExportSpec) -> bool:
    return any(column.name == "url" for column in spec.columns)


def with_bom(chunks: Iterable[str]) -> Iterator[str]:
    yield BOM
    yield from chunks


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def json_chunks(items: Iterable[dict]) -> Iterator[str]:
    yield "["
    for index, item in enumerate(items):
        yield ("," if index else "") + "\n" + _dumps(item)
    yield "\n]\n"


def ndjson_chunks(items: Iterable[dict]) -> Iterator[str]:
    for item in items:
        yield _dumps(item) + "\n"


def feature(item: dict) -> dict:
    located = item.get("latitude") is not None and item.get("longitude") is not None
    geometry = (
        {"type": "Point", "coordinates": [round(item["longitude"], 6), round(item["latitude"], 6)]}
        if located
        else None
    )
    properties = {k: v for k, v in item.items() if k not in ("latitude", "longitude")}
    return {"type": "Feature", "id": item.get("id"), "geometry": geometry, "properties": properties}


def geojson_chunks(items: Iterable[dict]) -> Iterator[str]:
    yield '{"type":"FeatureCollection","features":['
    for index, item in enumerate(items):
        yield ("," if index else "") + "\n" + _dumps(feature(item))
    yield "\n]}\n"


def stream(spec: ExportSpec, queryset, fmt: str, *, base: str = "", bom=False) -> Iterator[str]:
    """The text chunks of an export; the queryset is read through a server-side cursor."""
    if fmt == "csv":
        if not isinstance(queryset, QuerySet):  # rows assembled in Python (findings' quotes)
            rows = queryset.iterator(chunk_size=CHUNK_SIZE)
            chunks = csv_chunks(spec, rows, UrlMaker(spec, base))
        elif copy.supported(spec, queryset):
            chunks = copy.csv_chunks(spec, queryset, UrlMaker(spec, base).template)
        else:
            chunks = csv_tuple_chunks(spec, queryset, base)
        return with_bom(chunks) if bom else chunks
    rows = queryset.iterator(chunk_size=CHUNK_SIZE)
    items = records(spec, rows, UrlMaker(spec, base))
    if fmt == "json":
        return json_chunks(items)
    if fmt == "ndjson":
        return ndjson_chunks(items)
    return geojson_chunks(items)


def encoded(chunks: Iterable[str | bytes]) -> Iterator[bytes]:
    """UTF-8 bytes; the chunks PostgreSQL wrote (COPY) are bytes already."""
    for chunk in chunks:
        yield chunk if isinstance(chunk, bytes) else chunk.encode("utf-8")
