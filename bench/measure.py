"""Interleaved timing: a subject and its floor alternate, so a busy machine slows both alike."""

import time
from collections.abc import Callable

import psycopg
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation between the closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def samples(context: dict, small: int, full: int) -> int:
    return small if context["scale"] == "small" else full


def interleave(
    floor: Callable[[int], float], subject: Callable[[int], float], rounds: int, warmup: int = 3
) -> tuple[list[float], list[float]]:
    """Seconds of `floor(i)` and `subject(i)` for i in range(rounds), alternating which goes first.

    Each callable returns the seconds it measured itself (so setup is not timed).
    """
    for i in range(warmup):
        floor(i)
        subject(i)
    floors, subjects = [], []
    for i in range(rounds):
        if i % 2:
            subjects.append(subject(i))
            floors.append(floor(i))
        else:
            floors.append(floor(i))
            subjects.append(subject(i))
    return floors, subjects


def captured_sql(function: Callable) -> list[str]:
    """The SQL statements `function()` runs through Django, with their parameters inlined."""
    with CaptureQueriesContext(connection) as queries:
        function()
    return [query["sql"] for query in queries.captured_queries]


def captured(queries: list[dict]) -> list:
    """What `RawSQL.run` replays of captured queries: each statement's SQL with its values
    inlined, or `(sql, params)` for one the site ran prepared (observatoire/compiled.py)."""
    return [query.get("prepared") or query["sql"] for query in queries]


class RawSQL:
    """A plain psycopg connection to the bench database, for the floors that are 'the same SQL'."""

    def __init__(self):
        database = settings.DATABASES["default"]
        self.connection = psycopg.connect(
            host=database.get("HOST") or "127.0.0.1",
            port=database.get("PORT") or 5432,
            user=database.get("USER") or "postgres",
            password=database.get("PASSWORD") or None,
            dbname=database["NAME"],
            autocommit=True,
            # As the site's connection (settings): a statement prepared is planned generically.
            options="-c plan_cache_mode=force_generic_plan",
        )
        # Only what the site prepares is prepared here (`run`): psycopg would otherwise prepare a
        # text it sees a fifth time (its default threshold), which Django's cursors never do, so
        # a floor repeated over rounds became cheaper than the same SQL on the page.
        self.connection.prepare_threshold = None

    def run(self, statements: list) -> float:
        """Seconds to run the statements one after the other and fetch every row they return.

        A statement is SQL with its values inlined, or `(sql, params)` for one the page ran
        prepared (`captured`): it is then prepared here too, once per connection, as the site's
        connection prepares it once per process.
        """
        started = time.perf_counter()
        with self.connection.cursor() as cursor:
            for statement in statements:
                if isinstance(statement, tuple):
                    cursor.execute(statement[0], statement[1], prepare=True)
                else:
                    # No parameters: psycopg sends the text as it is (a doubled % would reach
                    # the server as two, and pg_trgm's %> operator would not parse).
                    cursor.execute(statement)
                if cursor.description is not None:
                    cursor.fetchall()
        return time.perf_counter() - started

    def close(self):
        self.connection.close()
