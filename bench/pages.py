"""Directory, profile and territory pages against the floor: p50 and p95, over gunicorn.

The floor is `/bench/floor/` (bench/urls.py): the base layout rendered by a plain view through the
same gunicorn workers and middleware. Floor and page requests alternate on one connection.
"""

from django.db import connection

from . import Result, figure
from .measure import interleave, percentile, samples
from .server import Client, start

TARGET = 3.0
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
            "profile": profile_paths(40),
            "territory": [f"/territoires/region/{code}/", f"/territoires/region/{code}/?page=3"],
        }
    return context["page_subjects"]


def compare(client: Client, paths: list[str], rounds: int) -> tuple[list[float], list[float]]:
    errors = []

    def timed(path):
        status, seconds, _size = client.timed(path)
        if status != 200:
            errors.append(f"{path}: {status}")
        return seconds

    floors, pages = interleave(
        lambda i: timed(FLOOR), lambda i: timed(paths[i % len(paths)]), rounds
    )
    if errors:
        raise RuntimeError(f"pages answered with errors: {errors[:5]}")
    return floors, pages


@figure("pages", order=20)
def pages(context: dict) -> list[Result]:
    client = Client(start(context))
    rounds = samples(context, small=60, full=150)
    results = []
    for name, paths in subjects(context).items():
        floors, times = compare(client, paths, rounds)
        details = {"paths": paths, "rounds": rounds}
        if name == "territory":
            details["region"] = context["dense_region"]
        for q in (50, 95):
            results.append(
                Result(
                    f"{name} page p{q}",
                    percentile(times, q) * 1000,
                    percentile(floors, q) * 1000,
                    unit=" ms",
                    target=TARGET,
                    details=details,
                )
            )
    return results
