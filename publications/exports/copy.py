"""CSV written by PostgreSQL itself: `COPY (<the export's query>) TO STDOUT WITH (FORMAT csv)`.

The bench's floor is this very COPY; the Python writer reached a third of it (cProfile: the
server-side cursor's fetches, building Python values for every cell, then formatting them again).
Here the cells are formatted in SQL exactly as the Python writer formats them (`true`/`false`,
ISO dates, `T`-separated UTC datetimes, `.0` on integral coordinates, no `""` for empty text, a
quote before text a spreadsheet would take for a formula) and
the URL is concatenated in SQL, so both paths give the same bytes (tests/publications). COPY sends
one data row per message (libpq: PQgetCopyData returns one row at a time) ending in `\\n`; rows
are re-ended with `\\r\\n` like the Python writer's. PostgreSQL only; the other databases and the
row sources assembled in Python (findings' quotes) keep the Python writer.
"""

import io
import re
from collections.abc import Iterator

import psycopg
from django.db import connections
from django.db.models import F, Func, TextField, Value
from django.db.models.functions import Cast, Concat, NullIf

from observatoire import csvsafe

from .columns import ExportSpec

# Kinds whose rows are a plain values() queryset (no GROUP BY: territories count initiatives,
# and the cells added to a grouped query made it ten times slower) of columns of these types.
KINDS = {"initiatives", "organisations", "ptces"}
TYPES = {"string", "integer", "number", "boolean", "date", "datetime", "array"}
ROWS_PER_CHUNK = 2000
# What UrlMaker replaces in its template, and the row key it puts there.
URL_MARKS = {"SLUG": "slug", "LEVEL": "level", "CODE": "code"}


def supported(spec: ExportSpec, queryset) -> bool:
    return (
        connections[queryset.db].vendor == "postgresql"
        and spec.name in KINDS
        and all(column.type in TYPES for column in spec.columns)
    )


class _Text(Func):
    output_field = TextField()


def _boolean(key):
    return _Text(
        F(key),
        template="CASE WHEN %(expressions)s THEN 'true' WHEN NOT %(expressions)s THEN 'false' END",
    )


def _number(key):
    """float8 prints the shortest exact digits like Python's repr, less repr's `.0` on integers."""
    return _Text(
        F(key),
        template="CASE WHEN %(expressions)s = trunc(%(expressions)s) "
        "AND abs(%(expressions)s) < 1e15 THEN %(expressions)s::text || '.0' "
        "ELSE %(expressions)s::text END",
    )


def _datetime(key):
    """`datetime.isoformat()` of the UTC value Django reads: microseconds only when not zero."""
    utc = "(%(expressions)s AT TIME ZONE 'UTC')"
    return _Text(
        F(key),
        template=f"CASE WHEN %(expressions)s IS NULL THEN NULL "
        f"WHEN date_trunc('second', %(expressions)s) = %(expressions)s "
        f"THEN to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || '+00:00' "
        f"ELSE to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS.US') || '+00:00' END",
    )


def _url(spec: ExportSpec, template: str):
    keys = {"SLUG": "id"} if spec.url_kwarg == "pk" else URL_MARKS
    parts = []
    for piece in re.split(r"(SLUG|LEVEL|CODE)", template):
        if piece in URL_MARKS:
            parts.append(Cast(F(keys[piece]), TextField()))
        elif piece:
            parts.append(Value(piece))
    return Concat(*parts, output_field=TextField()) if len(parts) > 1 else parts[0]


def _cell(spec: ExportSpec, column, url_template: str):
    key = column.key
    if column.name == "url":
        return _url(spec, url_template)
    if column.type == "boolean":
        return _boolean(key)
    if column.type == "number":
        return _number(key)
    if column.type == "date":
        return _Text(F(key), Value("YYYY-MM-DD"), function="to_char")
    if column.type == "datetime":
        return _datetime(key)
    if column.type == "integer":
        return Cast(F(key), TextField())
    # Text: COPY quotes an empty string ("") where csv.writer writes nothing; a cell a spreadsheet
    # would run as a formula gets the quote the Python writer gives it (observatoire/csvsafe.py).
    return csvsafe.sql(NullIf(Cast(F(key), TextField()), Value(""), output_field=TextField()))


def statement(spec: ExportSpec, queryset, url_template: str) -> tuple[str, list]:
    cells = {f"copy_{i}": _cell(spec, c, url_template) for i, c in enumerate(spec.columns)}
    query = queryset.values(**cells).query
    sql, params = query.get_compiler(queryset.db).as_sql()
    return f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", list(params)


def csv_chunks(spec: ExportSpec, queryset, url_template: str) -> Iterator[bytes | str]:
    """The header (as the Python writer writes it), then PostgreSQL's rows, 2,000 per chunk."""
    header = io.StringIO()
    csvsafe.writer(header, lineterminator="\r\n").writerow(spec.column_names)
    yield header.getvalue()
    sql, params = statement(spec, queryset, url_template)
    connection = connections[queryset.db]
    connection.ensure_connection()
    cursor = psycopg.ClientCursor(connection.connection)
    with cursor, cursor.copy(cursor.mogrify(sql, params)) as copy:
        rows = []
        for row in copy:
            rows.append(bytes(row)[:-1])
            if len(rows) == ROWS_PER_CHUNK:
                rows.append(b"")
                yield b"\r\n".join(rows)
                rows = []
        if rows:
            rows.append(b"")
            yield b"\r\n".join(rows)
