"""Rows per child territory: how many of a queryset's rows lie under each child of a territory.

Generic over any queryset of rows with a `territory` (the directory counts its published
initiatives with it, for the territory pages it contributes to); this app knows no such model.
"""

from typing import NamedTuple

from django.db import connection
from django.db.models import BooleanField, Case, CharField, Count, F, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Left, StrIndex, Substr
from django.utils.translation import gettext_lazy as _

from observatoire.compiled import Compiled

from .models import Level, Territory

CHILD_HEADINGS = {
    Level.REGION: _("Régions"),
    Level.COLLECTIVITY: _("Overseas collectivities"),
    Level.DEPARTEMENT: _("Départements"),
    Level.EPCI: _("Intercommunalities (EPCI)"),
    Level.COMMUNE: _("Communes"),
    Level.AREA: _("Free areas"),
}


class Counted(NamedTuple):
    """Rows held directly by one territory: what `counted_children` rolls up."""

    territory: int
    path: str
    level: str
    epci: int | None
    n: int
    located: int = 0  # of which have a position


def _child_path(base_path: str):
    """SQL: the path of the child of `base_path` that holds an initiative's territory.

    "r84/d01/c01053/" under "r84/" gives "r84/d01/"; under "" it gives "r84/". A row on the
    territory itself gives `base_path` back.
    """
    size = len(base_path)
    slash = StrIndex(Substr("territory__path", size + 1), Value("/"))
    return Left("territory__path", Value(size) + slash, output_field=CharField())


def grouped_counts(territory, queryset) -> tuple[dict[str, int], dict[int, int]]:
    """Rows per child of `territory` (None: France), from one grouped query.

    Returns ({child path: count}, {child id: count}). The children of France are the régions, of
    a région its départements, of a département its communes (by path) and the EPCIs of those
    communes (by id, since an EPCI is a grouping of communes), of an EPCI its member communes.
    """
    queryset = queryset.order_by()
    if territory is not None and territory.level == Level.EPCI:
        rows = queryset.values("territory").annotate(n=Count("pk"))
        return {}, {row["territory"]: row["n"] for row in rows if row["territory"] != territory.pk}

    base_path = territory.path if territory is not None else ""
    keys = {"child": _child_path(base_path)}
    if territory is not None and territory.level == Level.DEPARTEMENT:
        # A row on an EPCI counts for it, as do those in its member communes.
        keys["epci"] = Case(
            When(territory__level=Level.EPCI, then=F("territory")),
            default=F("territory__epci"),
            output_field=IntegerField(),
        )
    by_path, by_id = {}, {}
    for row in queryset.annotate(**keys).values(*keys).annotate(n=Count("pk")):
        if row["child"] != base_path:
            by_path[row["child"]] = by_path.get(row["child"], 0) + row["n"]
        if row.get("epci"):
            by_id[row["epci"]] = by_id.get(row["epci"], 0) + row["n"]
    return by_path, by_id


def counted_children(territory, counted: list[Counted]) -> tuple[dict[str, int], dict[int, int]]:
    """`grouped_counts` from rows already counted per territory (each in or below `territory`)."""
    by_path, by_id = {}, {}
    if territory.level == Level.EPCI:
        return {}, {row.territory: row.n for row in counted if row.territory != territory.pk}
    size = len(territory.path)
    for row in counted:
        slash = row.path.find("/", size)
        child = row.path[: slash + 1] if slash >= 0 else territory.path  # on the territory itself
        if child != territory.path:
            by_path[child] = by_path.get(child, 0) + row.n
        if territory.level == Level.DEPARTEMENT:
            epci = row.territory if row.level == Level.EPCI else row.epci
            if epci:
                by_id[epci] = by_id.get(epci, 0) + row.n
    return by_path, by_id


# The children by path or by id, compiled once (observatoire/compiled.py), the paths and ids
# passed as arrays (`= ANY`, which reads the indexes as the IN lists did; `IN (SELECT unnest())`
# took 9 ms for a département's 600 communes, against 0.7).
_CHILDREN = Compiled(
    lambda paths, ids: (
        Territory.objects.current()
        .filter(
            RawSQL(
                '"territoires_territory"."path" = ANY(%s::text[]) '
                'OR "territoires_territory"."id" = ANY(%s::integer[])',
                (paths, ids),
                output_field=BooleanField(),
            )
        )
        .order_by("search_name", "pk")
    ),
    list,
    list,
)


def children_with_counts(
    territory,
    queryset=None,
    *,
    counted: list[Counted] | None = None,
    rolled: tuple[dict[str, int], dict[int, int]] | None = None,
):
    """The child territories holding rows of `queryset`, grouped by level: two queries in all.

    Or, given `counted` (the rows per territory, see `Counted`) or `rolled` (the counts per
    child, as `counted_children` gives them), one query: the children's.
    [{"level", "heading", "rows": [(territory, count), ...]}], in the order of the hierarchy.
    """
    if rolled is not None:
        by_path, by_id = rolled
    elif counted is not None:
        by_path, by_id = counted_children(territory, counted)
    else:
        by_path, by_id = grouped_counts(territory, queryset)
    if not by_path and not by_id:
        return []
    groups = {level: [] for level in CHILD_HEADINGS}
    if connection.vendor == "postgresql":
        children = _CHILDREN.rows(list(by_path), list(by_id))
    else:
        children = Territory.objects.current().filter(Q(path__in=by_path) | Q(pk__in=by_id))
        children = children.order_by("search_name", "pk")
    for child in children:  # "Béthune" before "Bruay", "Île" among I
        # Counted by id first: an EPCI holds the initiatives of its communes, not only its own.
        count = by_id.get(child.pk) or by_path.get(child.path)
        if count:
            groups[child.level].append((child, count))
    return [
        {"level": level, "heading": CHILD_HEADINGS[level], "rows": rows}
        for level, rows in groups.items()
        if rows
    ]
