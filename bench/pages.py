"""Directory, profile and territory pages against the floor: p50 and p95, over gunicorn.

The floor is `/bench/floor/` (bench/urls.py): the base layout rendered by a plain view through the
same gunicorn workers and middleware. Floor and page requests alternate on one connection.

Each kind of page is measured twice:
- as visitors get it (the figure with the target): every subject URL is requested once before
  the timing starts, as an earlier visitor would have, so the public cache holds what it holds in
  production while nothing public changes. Until this session the warm-up was three requests,
  which covered the directory's three URLs and the territory's two but not the forty profiles:
  their figure mixed first visits (27% of its requests) with cached ones.
- cache missed (issue 18's targets): the whole public cache is forgotten before every request,
  so each one is a full render with its queries (the fragment caches are forgotten too). This is
  what people wait for whenever the cache cannot help: a first visit, a crawler, a page after a
  change. Profile and territory <= 5 x the floor, the directory (unfiltered and with two facets)
  <= 10 x; docs/benchmarks.md keeps their history. The home page is held to 5 x as well.
"""

from django.db import connection

from observatoire import cache as public_cache

from . import Result, figure
from .measure import interleave, percentile, samples
from .server import Client, start

TARGET = 3.0
# Every request a miss (issue 18): what the code costs when the cache cannot help.
# The home page is not among issue 18's pages: it is the most visited one, and it is forgotten at
# every publication (its figures and latest initiatives), so it is held to a profile's target.
COLD_TARGETS = {
    "directory": 10.0,
    "directory, two facets": 10.0,
    "profile": 5.0,
    "territory": 5.0,
    "home": 5.0,
}
FLOOR = "/bench/floor/"


def densest_region() -> tuple[str, int]:
    """The région holding the most published initiatives, and how many."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT r.code, count(*) FROM initiatives_initiative i
            JOIN territoires_territory t ON t.id = i.territory_id
            JOIN territoires_territory r ON r.level = 'region'
                AND t.path LIKE r.path || '%%'
            WHERE i.state = 'published' GROUP BY r.code ORDER BY count(*) DESC LIMIT 1
            """
        )
        return cursor.fetchone()


def profile_paths(count: int) -> list[str]:
    """Published profiles spread over the table (every k-th by id), with their roles."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT slug FROM initiatives_initiative WHERE state = 'published' "
            "AND id %% 97 = 0 ORDER BY id LIMIT %s",
            [count],
        )
        return [f"/initiatives/{slug}/" for (slug,) in cursor.fetchall()]


def subjects(context: dict) -> dict[str, list[str]]:
    if "page_subjects" not in context:
        code, count = densest_region()
        context["dense_region"] = {"code": code, "published initiatives": count}
        context["page_subjects"] = {
            "directory": ["/initiatives/", "/initiatives/?page=7", "/initiatives/?stade=running"],
            # Two facets of the broad kind people combine (a région, a stage, a theme).
            "directory, two facets": [
                f"/initiatives/?territoire=region:{code}&stade=running",
                "/initiatives/?theme=insertion&stade=emerging",
                f"/initiatives/?territoire=region:{code}&theme=transition-ecologique",
            ],
            "profile": profile_paths(40),
            "territory": [f"/territoires/region/{code}/", f"/territoires/region/{code}/?page=3"],
            "home": ["/"],
        }
    return context["page_subjects"]


def compare(
    client: Client, paths: list[str], rounds: int, cold: bool = False
) -> tuple[list[float], list[float]]:
    """Floor and page timings: each path seen once first, or (`cold`) nothing cached each time."""
    errors = []

    def timed(path):
        status, seconds, _size = client.timed(path)
        if status != 200:
            errors.append(f"{path}: {status}")
        return seconds

    def page(i):
        if cold:
            public_cache.forget_everything()  # not timed: the next request finds nothing cached
        return timed(paths[i % len(paths)])

    warmup = 3 if cold else max(3, len(paths))
    floors, pages = interleave(lambda i: timed(FLOOR), page, rounds, warmup=warmup)
    if errors:
        raise RuntimeError(f"pages answered with errors: {errors[:5]}")
    return floors, pages


@figure("pages", order=20)
def pages(context: dict) -> list[Result]:
    client = Client(start(context))
    rounds = samples(context, small=60, full=150)
    results = []
    for cold in (False, True):
        for name, paths in subjects(context).items():
            if name not in COLD_TARGETS and cold:
                continue
            if not cold and name == "directory, two facets":
                continue
            floors, times = compare(client, paths, rounds, cold=cold)
            details = {"paths": paths, "rounds": rounds, "cache": "missed" if cold else "warm"}
            if name == "territory":
                details["region"] = context["dense_region"]
            for q in (50, 95):
                results.append(
                    Result(
                        f"{name} page{', cache missed,' if cold else ''} p{q}",
                        percentile(times, q) * 1000,
                        percentile(floors, q) * 1000,
                        unit=" ms",
                        target=COLD_TARGETS[name] if cold else TARGET,
                        details=details,
                    )
                )
    return results
