"""SQL queries per page, at a small and a large N: the count must not grow with the rows shown.

Counted in this process (django.test.Client, the bench settings, the bench database): the number
of queries does not depend on the server, only on the view.
"""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from . import Result, figure
from .pages import densest_region


def _smallest_region() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT r.code FROM territoires_territory r
            LEFT JOIN territoires_territory t ON t.path LIKE r.path || '%%'
            LEFT JOIN initiatives_initiative i ON i.territory_id = t.id AND i.state = 'published'
            WHERE r.level = 'region' GROUP BY r.code HAVING count(i.id) > 0
            ORDER BY count(i.id) LIMIT 1
            """
        )
        return cursor.fetchone()[0]


def _profiles() -> tuple[str, str]:
    """The published initiatives with the fewest and the most roles."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.slug FROM initiatives_initiative i JOIN initiatives_role r
            ON r.initiative_id = i.id WHERE i.state = 'published'
            GROUP BY i.id ORDER BY count(*), i.id LIMIT 1
            """
        )
        few = cursor.fetchone()[0]
        cursor.execute(
            """
            SELECT i.slug FROM initiatives_initiative i JOIN initiatives_role r
            ON r.initiative_id = i.id WHERE i.state = 'published'
            GROUP BY i.id ORDER BY count(*) DESC, i.id LIMIT 1
            """
        )
        return few, cursor.fetchone()[0]


def count(client: Client, path: str) -> int:
    client.get(path)  # warm the per-process caches (content types, translations)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return len(queries.captured_queries)


@figure("queries per page", order=10)
def queries(context: dict) -> list[Result]:
    from .database import prepare

    prepare(context)
    client = Client(HTTP_HOST="127.0.0.1")
    dense, _count = densest_region()
    few, many = _profiles()
    pairs = {
        "directory (1 row vs 24)": ("/initiatives/?q=zzzz&page=1&annee=2001", "/initiatives/"),
        "profile (fewest vs most roles)": (f"/initiatives/{few}/", f"/initiatives/{many}/"),
        "territory (smallest vs largest région)": (
            f"/territoires/region/{_smallest_region()}/",
            f"/territoires/region/{dense}/",
        ),
        "search (ruche vs solidaire)": ("/recherche/?q=ruche", "/recherche/?q=solidaire"),
        "GeoJSON (one commune vs France)": (
            "/carte/initiatives.geojson?bbox=2.33,48.85,2.35,48.86&zoom=16",
            "/carte/initiatives.geojson",
        ),
    }
    results = []
    for name, (small, large) in pairs.items():
        low, high = count(client, small), count(client, large)
        results.append(
            Result(
                f"SQL queries per page: {name}",
                high - low,
                kind="limit",
                target=0,
                notes=f"{low} then {high} queries",
                details={"small": small, "large": large, "queries": [low, high]},
            )
        )
    return results
