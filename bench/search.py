"""Search page p50 against the same full-text SQL run directly on the same database.

The SQL is what `observatoire.search.search()` runs for the query, captured once in this process
(parameters inlined), then replayed on a plain psycopg connection, alternating with page requests.
"""

from urllib.parse import urlencode

from observatoire import search as site_search

from . import Result, figure
from .measure import RawSQL, captured_sql, interleave, percentile, samples
from .server import Client, start

TARGET = 1.5
QUERIES = ["recyclerie", "épicerie solidaire", "mobilité insertion", "jardin partagé Lyon"]


@figure("search", order=30)
def search(context: dict) -> Result:
    client = Client(start(context))
    statements = {query: captured_sql(lambda q=query: site_search.search(q)) for query in QUERIES}
    raw = RawSQL()
    rounds = samples(context, small=40, full=80)
    try:
        floors, pages = interleave(
            lambda i: raw.run(statements[QUERIES[i % len(QUERIES)]]),
            lambda i: client.timed("/recherche/?" + urlencode({"q": QUERIES[i % len(QUERIES)]}))[1],
            rounds,
        )
    finally:
        raw.close()
    return Result(
        "search p50",
        percentile(pages, 50) * 1000,
        percentile(floors, 50) * 1000,
        unit=" ms",
        target=TARGET,
        details={"queries": QUERIES, "statements": {q: len(s) for q, s in statements.items()}},
    )
