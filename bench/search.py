"""Site search with 200 distinct queries: the page against its own SQL, that SQL against ts_rank.

Issue 18: fast when the cache cannot help. No query string repeats, so the public page cache
never answers: every request is a full render.

- Every gunicorn worker first answers the warm-up queries (`warm_every_worker`): the statements
  each shape of search compiles once per process are then compiled, as other figures warm
  their pages.
- The queries are built from the data: single words and pairs of words drawn from initiative
  and organisation names and summaries, accents dropped as people often type them, one in ten
  with a typo (a letter replaced, dropped or doubled), none repeated, from a fixed seed.
- Each query's URL is first rendered once in this process (under another host name than
  gunicorn's, so the server's page cache has no entry for it) to capture every statement the
  view and its template run; then it is requested once through gunicorn (the page). Those
  statements are replayed on a plain psycopg connection (in autocommit as the view runs them,
  or in one transaction where the view opened one for its fallback's SET LOCAL; prepared where
  the view runs them prepared, the place names and the rows shown): the floor of the page.
  Target: page <= 1.5 x its SQL, p50 and p95.
- The reference: a plain `ts_rank` query over the same GIN indexes and the same rows, one per
  kind of result (`SELECT id, ts_rank(search_vector, q) ... WHERE state = 'published' AND
  search_vector @@ q ORDER BY rank DESC LIMIT 5` on each table the overview shows; `is_current`
  for the territories). The indexes cover only those rows (they are partial), so the reference
  says which rows it ranks as the search does. Target: the search SQL <= 2 x the reference,
  p50 and p95.
"""

import random
import re
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

from django.db import connection
from django.test import Client as DjangoClient
from django.test.utils import CaptureQueriesContext

from observatoire import search as site_search

from . import Result, figure
from .measure import RawSQL, captured, percentile
from .pages import FLOOR
from .server import WORKERS, Client, start

PAGE_TARGET = 1.5
SQL_TARGET = 2.0
QUERIES = {"small": 50, "full": 200}
SEED = 18
WARMUP = 5  # extra queries, distinct from the measured ones, run first and not counted
WORKER_WARMUP = 12  # more of them, asked of every worker first (`warm_every_worker`)
WORD = re.compile(r"[^\W\d_]{4,}")
# Words nobody types alone: articles, prepositions, the commonest verbs of the summaries.
STOP_WORDS = {
    "dans", "pour", "avec", "sans", "leur", "leurs", "une", "des", "les", "aux", "sur", "sous",
    "entre", "vers", "chez", "cette", "elle", "elles", "ils", "nous", "vous", "qui", "que",
    "dont", "sont", "font", "fait", "plus", "tout", "tous", "toute", "toutes", "ainsi",
}  # fmt: skip
# Each kind's table and the rows the search may show (its published() or current() queryset),
# which its GIN index covers (migrations initiatives 0021, territoires 0004, terrain 0012).
KIND_TABLES = {
    "initiatives": ("initiatives_initiative", "state = 'published'"),
    "acteurs": ("initiatives_organisation", "state = 'published'"),
    "ptce": ("initiatives_pole", "state = 'published'"),
    "territoires": ("territoires_territory", "is_current"),
    "enseignements": ("terrain_finding", "state = 'published'"),
}
REFERENCE = (
    "SELECT id, ts_rank(search_vector, q) AS rank FROM {table}, "
    "websearch_to_tsquery('{config}', %s) AS q WHERE {public} AND search_vector @@ q "
    "ORDER BY rank DESC LIMIT {limit}"
)


def unaccented(text: str) -> str:
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )


def typo(word: str, rng: random.Random) -> str:
    """One slip of the fingers: a letter replaced, dropped or doubled (never the first one)."""
    i = rng.randrange(1, len(word))
    slip = rng.randrange(3)
    if slip == 0:
        return word[:i] + rng.choice("aeiourstnl".replace(word[i], "")) + word[i + 1 :]
    if slip == 1:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def texts() -> list[str]:
    """Names and summaries of published initiatives and organisations, spread over the tables."""
    with connection.cursor() as cursor:
        cursor.execute(
            "(SELECT name, summary FROM initiatives_initiative WHERE state = 'published' "
            "AND id % 41 = 0 ORDER BY id LIMIT 300) UNION ALL "
            "(SELECT name, summary FROM initiatives_organisation WHERE state = 'published' "
            "AND id % 23 = 0 ORDER BY id LIMIT 200)"
        )
        return [text for row in cursor.fetchall() for text in row if text]


def make_queries(count: int, seed: int = SEED) -> list[str]:
    """`count` distinct queries from the data, deterministic for a seed and a dataset."""
    rng = random.Random(seed)
    sources = [
        words
        for text in texts()
        if (words := [w for w in WORD.findall(unaccented(text).lower()) if w not in STOP_WORDS])
    ]
    queries, seen, attempts = [], set(), 0
    while len(queries) < count and attempts < count * 100:
        attempts += 1
        words = rng.choice(sources)
        if len(words) > 1 and rng.random() < 0.5:
            i, j = sorted(rng.sample(range(len(words)), 2))
            picked = [words[i], words[j]]
        else:
            picked = [rng.choice(words)]
        if len(queries) % 10 == 9:  # one in ten: a typo in one of its words
            k = rng.randrange(len(picked))
            picked[k] = typo(picked[k], rng)
        query = " ".join(picked)
        if query in seen or (len(picked) == 2 and picked[0] == picked[1]):
            continue
        seen.add(query)
        queries.append(query)
    return queries


def view_sql(path: str) -> list:
    """Every statement the view and its template run for `path`, parameters inlined (or apart,
    for those it runs prepared: `measure.captured`).

    Rendered here under another host name than gunicorn's: the server still finds no page in the
    cache for it, and renders it in full with the same statements.
    """
    client = DjangoClient(SERVER_NAME="localhost", HTTP_ACCEPT_LANGUAGE="fr")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code} in process")
    return captured(queries.captured_queries)


def in_transaction(statements: list) -> list:
    """The statements as the page ran them: in a transaction where the view opened one (its
    fallback's SET LOCAL), otherwise each on its own, as Django runs them (autocommit)."""
    if any(isinstance(sql, str) and sql.startswith("SET LOCAL") for sql in statements):
        return ["BEGIN", *statements, "COMMIT"]
    return statements


def reference(query: str, limit: int = site_search.OVERVIEW_SIZE) -> list[str]:
    quoted = query.replace("'", "''")
    return [
        REFERENCE.format(
            table=table, public=public, config=site_search.CONFIG, limit=limit
        ).replace("%s", f"'{quoted}'")
        for table, public in KIND_TABLES.values()
    ]


def warm_every_worker(base: str, queries: list[str]) -> None:
    """Each warm-up query asked of every gunicorn worker (as many requests at once as twice
    the workers, each a distinct URL, so that none is answered from the page cache): a worker
    compiles a search statement once per shape (a place named, an EPCI, a typo), as other
    figures warm their pages, and that once-per-process cost is not what this figure measures."""

    def fetch(path):
        return Client(base).get(path)[0]

    with ThreadPoolExecutor(2 * WORKERS) as pool:
        for query in queries:
            paths = ["/recherche/?" + urlencode({"q": query, "w": n}) for n in range(2 * WORKERS)]
            list(pool.map(fetch, paths))


@figure("search", order=30)
def search(context: dict) -> list[Result]:
    base = start(context)
    client = Client(base)
    count = QUERIES[context["scale"]]
    # The measured queries are the same as without the workers' warm-up (drawn in order).
    queries = make_queries(count + WARMUP + WORKER_WARMUP)
    warm_every_worker(base, queries[count + WARMUP :])
    warmup, queries = queries[:WARMUP], queries[WARMUP : count + WARMUP]
    raw = RawSQL()
    pages, floors, replays, references, statements, errors = [], [], [], [], [], []
    try:
        for i, query in enumerate(warmup + queries):
            path = "/recherche/?" + urlencode({"q": query})
            # Captured first (not timed): the page and the replays then all find the rows this
            # query reads in PostgreSQL's buffers, rather than the page alone paying to load them.
            view_statements = view_sql(path)
            sql = in_transaction(view_statements)
            status, page_seconds, _size = client.timed(path)
            if status != 200:
                errors.append(f"{path}: {status}")
            floor_seconds = client.timed(FLOOR)[1]  # Django's own share of any page, for scale
            plain = reference(query)
            # Alternate which of the two replays runs first, as measure.interleave does.
            if i % 2:
                replay_seconds = raw.run(sql)
                reference_seconds = raw.run(plain)
            else:
                reference_seconds = raw.run(plain)
                replay_seconds = raw.run(sql)
            if i < WARMUP:
                continue
            pages.append(page_seconds)
            floors.append(floor_seconds)
            replays.append(replay_seconds)
            references.append(reference_seconds)
            statements.append(len(view_statements))
    finally:
        raw.close()
    if errors:
        raise RuntimeError(f"search answered with errors: {errors[:5]}")
    details = {
        "queries": len(queries),
        "distinct": len(set(queries)),
        "examples": queries[:12],
        "floor (/bench/floor/) ms": {
            "p50": round(percentile(floors, 50) * 1000, 2),
            "p95": round(percentile(floors, 95) * 1000, 2),
        },
        "statements per page": {
            "p50": percentile(statements, 50),
            "max": max(statements),
        },
    }
    label = f"{len(queries)} distinct queries"
    results = []
    for q in (50, 95):
        results.append(
            Result(
                f"search, {label}, p{q}",
                percentile(pages, q) * 1000,
                percentile(replays, q) * 1000,
                unit=" ms",
                target=PAGE_TARGET,
                notes="floor: the statements the view ran, replayed on psycopg",
                details=details,
            )
        )
    for q in (50, 95):
        results.append(
            Result(
                f"search SQL vs ts_rank, p{q}",
                percentile(replays, q) * 1000,
                percentile(references, q) * 1000,
                unit=" ms",
                target=SQL_TARGET,
                notes="floor: one ts_rank query per kind over the same GIN indexes",
                details=details,
            )
        )
    return results
