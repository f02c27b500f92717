"""The map's queries: published initiatives in a bounding box, as points or as counts per grid cell.

The directory's FilterSet is applied first (the same query parameters as `/initiatives/`), then the
box. Few initiatives in view, or a street-level zoom: points, which the browser groups with
leaflet.markercluster. Otherwise the database groups them into a grid whose cell size follows the
zoom, so a national view of 100,000 initiatives is a few hundred counts, not 100,000 rows.
"""

import math
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connections
from django.db.models import Avg, Count, F, Max, Min, Q, QuerySet, Value
from django.db.models.functions import Floor
from django.urls import reverse
from django.utils.translation import gettext as _
from taggit.models import TaggedItem

from initiatives.filters import InitiativeFilterSet
from initiatives.models import Initiative, Stage

POINTS_UP_TO = 500  # this many in view or fewer: send every point
POINTS_FROM_ZOOM = 14  # a neighbourhood: send points whatever their number...
MAX_POINTS = 2000  # ...but never more than this (the response says it was truncated)
MAX_ZOOM = 22
CELLS_PER_TILE = 4  # a 256-pixel tile holds 4 x 4 cells: one cluster every 64 pixels at most
DIGITS = 5  # about a metre: enough for a marker, fewer bytes than a float's 17 digits


class MapQueryError(ValueError):
    """A query parameter the map cannot use; the message is a sentence for the caller (HTTP 400)."""


@dataclass(frozen=True)
class BBox:
    west: float
    south: float
    east: float
    north: float

    def lookups(self) -> dict:
        return {
            "longitude__gte": self.west,
            "longitude__lte": self.east,
            "latitude__gte": self.south,
            "latitude__lte": self.north,
        }


WORLD = BBox(-180.0, -90.0, 180.0, 90.0)


def parse_bbox(raw: str | None) -> BBox:
    """`west,south,east,north` in degrees; absent means the whole world."""
    if raw is None or not raw.strip():
        return WORLD
    parts = raw.split(",")
    try:
        values = [float(part) for part in parts]
    except ValueError:
        values = []
    if len(values) != 4 or not all(math.isfinite(value) for value in values):
        raise MapQueryError(
            _("bbox must be four numbers separated by commas: west,south,east,north.")
        )
    bbox = BBox(*values)
    if not (-180 <= bbox.west <= 180 and -180 <= bbox.east <= 180):
        raise MapQueryError(_("bbox: longitudes (west, east) must lie between -180 and 180."))
    if not (-90 <= bbox.south <= 90 and -90 <= bbox.north <= 90):
        raise MapQueryError(_("bbox: latitudes (south, north) must lie between -90 and 90."))
    if not (bbox.west < bbox.east and bbox.south < bbox.north):
        raise MapQueryError(_("bbox: west must be less than east, and south less than north."))
    return bbox


def parse_zoom(raw: str | None, bbox: BBox) -> int:
    """The map's zoom level; absent, the zoom at which the box fills a map about 1,000 px wide."""
    if raw is None or not raw.strip():
        zoom = math.floor(math.log2(1440 / (bbox.east - bbox.west)))
        return min(max(zoom, 0), MAX_ZOOM)
    try:
        zoom = int(raw)
    except ValueError:
        zoom = -1
    if not 0 <= zoom <= MAX_ZOOM:
        raise MapQueryError(
            _("zoom must be a whole number between 0 and %(max)d.") % {"max": MAX_ZOOM}
        )
    return zoom


def cell_size(zoom: int) -> float:
    """Side of a grid cell in degrees: 360° span 2**zoom tiles at this zoom."""
    return 360 / (2**zoom * CELLS_PER_TILE)


def filtered(params) -> tuple[QuerySet, InitiativeFilterSet]:
    """Published initiatives that pass the directory's filters, one row each, unordered."""
    filterset = InitiativeFilterSet(params, queryset=Initiative.objects.published())
    queryset = filterset.qs
    if queryset.query.distinct:
        # A filter across a many-valued relation (themes, roles, PTCEs) joined rows and asked for
        # DISTINCT; counting and averaging over those joins would count an initiative twice.
        queryset = Initiative.objects.published().filter(pk__in=queryset.values("pk"))
    return queryset.order_by(), filterset


def filter_messages(filterset: InitiativeFilterSet) -> list[str]:
    """Readable sentences for the filter values that were ignored (the page shows the same)."""
    if not filterset.is_bound or filterset.is_valid():
        return []
    form = filterset.form
    return [
        f"{form.fields[name].label if name in form.fields else name}: {message}"
        for name, messages in form.errors.items()
        for message in messages
    ]


def located(queryset: QuerySet) -> QuerySet:
    return queryset.filter(latitude__isnull=False, longitude__isnull=False)


def extent(queryset: QuerySet) -> list[float] | None:
    """[west, south, east, north] of the located initiatives of the queryset, in one query."""
    box = located(queryset).aggregate(
        west=Min("longitude"), south=Min("latitude"), east=Max("longitude"), north=Max("latitude")
    )
    if box["west"] is None:
        return None
    return [round(box[key], DIGITS) for key in ("west", "south", "east", "north")]


def clusters(queryset: QuerySet, zoom: int) -> list[dict]:
    """One feature per non-empty grid cell: count, mean position, and the cell's own extent."""
    size = cell_size(zoom)
    cells = (
        queryset.order_by()
        .annotate(cell_x=Floor(F("longitude") / size), cell_y=Floor(F("latitude") / size))
        .values("cell_x", "cell_y")
        .annotate(
            count=Count("pk"),
            mean_lat=Avg("latitude"),
            mean_lng=Avg("longitude"),
            west=Min("longitude"),
            south=Min("latitude"),
            east=Max("longitude"),
            north=Max("latitude"),
        )
        .order_by("cell_y", "cell_x")
    )
    return [
        {
            "type": "Feature",
            "bbox": [round(cell[key], DIGITS) for key in ("west", "south", "east", "north")],
            "geometry": {
                "type": "Point",
                "coordinates": [round(cell["mean_lng"], DIGITS), round(cell["mean_lat"], DIGITS)],
            },
            "properties": {"count": cell["count"]},
        }
        for cell in cells
    ]


def _with_theme_names(queryset: QuerySet) -> QuerySet:
    """PostgreSQL aggregates each row's theme names in the same query (GROUP BY the row)."""
    return queryset.annotate(
        theme_names=ArrayAgg(
            "themes__name",
            distinct=True,
            filter=Q(themes__isnull=False),
            order_by="themes__name",
            default=Value([]),
        )
    )


def _theme_names_by_id(ids: list[int]) -> dict[int, list[str]]:
    """Elsewhere (SQLite), one more query for the themes of every row at once."""
    names: dict[int, list[str]] = {pk: [] for pk in ids}
    rows = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Initiative), object_id__in=ids
    ).values_list("object_id", "tag__name")
    for pk, name in rows:
        names[pk].append(name)
    return {pk: sorted(set(values)) for pk, values in names.items()}


def points(queryset: QuerySet, limit: int) -> list[dict]:
    """One feature per initiative, from plain rows: one query on PostgreSQL, two elsewhere.

    Building model instances and prefetched themes for up to 2,000 rows cost 20 times the SQL.
    """
    fields = ("pk", "name", "slug", "stage", "latitude", "longitude", "territory__name")
    aggregated = connections[queryset.db].vendor == "postgresql"
    rows = queryset.order_by("name", "pk")
    if aggregated:
        rows = _with_theme_names(rows).values(*fields, "theme_names")
    else:
        rows = rows.values(*fields)
    rows = list(rows[:limit])
    themes = {} if aggregated else _theme_names_by_id([row["pk"] for row in rows])
    stages = {value: str(label) for value, label in Stage.choices}
    # One reverse() for all rows: the profile URL is the same but for the slug.
    placeholder = "slug-placeholder"
    head, tail = reverse("initiatives:detail", kwargs={"slug": placeholder}).split(placeholder)
    return [
        {
            "type": "Feature",
            "id": row["pk"],
            "geometry": {
                "type": "Point",
                "coordinates": [round(row["longitude"], DIGITS), round(row["latitude"], DIGITS)],
            },
            "properties": {
                "name": row["name"],
                "url": f"{head}{row['slug']}{tail}",
                "territory": row["territory__name"],
                "stage": stages.get(row["stage"], row["stage"]),
                "themes": row["theme_names"] if aggregated else themes[row["pk"]],
            },
        }
        for row in rows
    ]


def feature_collection(params) -> dict:
    """The GeoJSON answer for the map's query parameters; raises MapQueryError for a 400."""
    bbox = parse_bbox(params.get("bbox"))
    zoom = parse_zoom(params.get("zoom"), bbox)
    queryset, filterset = filtered(params)
    in_view = located(queryset).filter(**bbox.lookups())
    # The grid's counts also give the total, so a national view costs one scan, not two.
    cells = clusters(in_view, zoom) if zoom < POINTS_FROM_ZOOM else None
    total = sum(cell["properties"]["count"] for cell in cells) if cells is not None else None
    if cells is not None and total > POINTS_UP_TO:
        kind, features = "clusters", cells
    else:
        # One row more than is sent tells whether the answer is complete without counting.
        kind, features = "points", points(in_view, MAX_POINTS + 1)
        if len(features) > MAX_POINTS:
            features = features[:MAX_POINTS]
            total = total if total is not None else in_view.count()
        elif total is None:
            total = len(features)
    return {
        "type": "FeatureCollection",
        "kind": kind,
        "zoom": zoom,
        "total": total,
        "truncated": len(features) < total,
        "messages": filter_messages(filterset),
        "features": features,
    }
