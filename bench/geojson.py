"""The map's GeoJSON over the densest région's bounding box against the same SQL run directly."""

from django.db import connection
from django.test import RequestFactory

from carte import geo

from . import Result, figure
from .measure import RawSQL, captured_sql, interleave, percentile, samples
from .pages import subjects
from .server import Client, start

TARGET = 2.0


def region_bbox(code: str) -> str:
    """west,south,east,north of the région's published, located initiatives."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT min(i.longitude), min(i.latitude), max(i.longitude), max(i.latitude)
            FROM initiatives_initiative i JOIN territoires_territory t ON t.id = i.territory_id
            WHERE i.state = 'published' AND i.latitude IS NOT NULL AND t.path LIKE %s
            """,
            [f"r{code}/%"],
        )
        return ",".join(f"{value:.4f}" for value in cursor.fetchone())


def _compare(context, client, label, params) -> Result:
    request = RequestFactory().get("/carte/initiatives.geojson", params)
    statements = captured_sql(lambda: geo.feature_collection(request.GET))
    path = request.get_full_path()
    raw = RawSQL()
    try:
        floors, answers = interleave(
            lambda i: raw.run(statements),
            lambda i: client.timed(path)[1],
            samples(context, small=40, full=80),
        )
    finally:
        raw.close()
    return Result(
        f"GeoJSON bbox p50 ({label})",
        percentile(answers, 50) * 1000,
        percentile(floors, 50) * 1000,
        unit=" ms",
        target=TARGET,
        details={"path": path, "statements": len(statements)},
    )


@figure("geojson", order=40)
def geojson(context: dict) -> list[Result]:
    client = Client(start(context))
    code = context["dense_region"]["code"] if "dense_region" in context else None
    if code is None:
        subjects(context)
        code = context["dense_region"]["code"]
    bbox = region_bbox(code)
    results = []
    # The région as a whole (clusters) and a city-sized box inside it (points).
    west, south, east, north = (float(v) for v in bbox.split(","))
    mid_x, mid_y = (west + east) / 2, (south + north) / 2
    city = f"{mid_x - 0.1:.4f},{mid_y - 0.06:.4f},{mid_x + 0.1:.4f},{mid_y + 0.06:.4f}"
    for label, params in (
        ("région, clusters", {"bbox": bbox}),
        ("city, points", {"bbox": city, "zoom": "14"}),
    ):
        results.append(_compare(context, client, label, params))
    return results
