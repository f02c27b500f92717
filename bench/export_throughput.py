"""CSV export throughput: `/export/initiatives.csv` over gunicorn against PostgreSQL's COPY.

The floor is `COPY (<the export's own query>) TO STDOUT WITH CSV`: the same rows and columns
written by the database alone. Both are read to the end; rows per second, best of the rounds.
(Peak memory of the same export is bench/export_memory.py.)
"""

import time

import psycopg
from django.db import connection
from django.test import RequestFactory

from . import Result, figure
from .measure import RawSQL, interleave
from .server import Client, start

TARGET = 0.5
PATH = "/export/initiatives.csv"


def export_sql() -> str:
    """The export's query for an anonymous request, parameters inlined by psycopg."""
    from publications.exports.kinds import SPECS

    queryset, _filterset = SPECS["initiatives"].rows(RequestFactory().get(PATH).GET)
    sql, params = queryset.query.get_compiler(connection=connection).as_sql()
    connection.ensure_connection()
    with psycopg.ClientCursor(connection.connection) as cursor:
        return cursor.mogrify(sql, params)


@figure("export throughput", order=45)
def export_throughput(context: dict) -> Result:
    client = Client(start(context))
    raw = RawSQL()
    sql = export_sql()
    rows = {}

    def copy(i):
        started = time.perf_counter()
        count = 0
        statement = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
        with raw.connection.cursor() as cursor, cursor.copy(statement) as out:
            for block in out:
                count += bytes(block).count(b"\n")
        seconds = time.perf_counter() - started
        rows["copy"] = count
        return count / seconds

    def export(i):
        started = time.perf_counter()
        status, body = client.get(PATH)
        seconds = time.perf_counter() - started
        if status != 200:
            raise RuntimeError(f"{PATH} answered {status}")
        rows["export"] = body.count(b"\n") - 1  # less the header
        return rows["export"] / seconds

    try:
        floors, exports = interleave(copy, export, rounds=3, warmup=1)
    finally:
        raw.close()
    return Result(
        "CSV export throughput",
        max(exports),
        max(floors),
        unit=" rows/s",
        kind="min",
        target=TARGET,
        notes=f"{rows.get('export')} rows exported, {rows.get('copy')} copied",
        details={"rows": rows, "export": exports, "copy": floors},
    )
