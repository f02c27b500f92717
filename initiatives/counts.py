"""Published initiatives per territory: what territory pages count, without counting the rows.

On PostgreSQL a trigger keeps, for each territory, how many published initiatives it holds
directly and how many of those have a position (migration 0016): a territory page sums the rows of
the territories below it (one per territory holding any) instead of grouping every published
initiative there. Elsewhere the same rows come from grouping the initiatives.
"""

from typing import NamedTuple

from django.db import connection
from django.db.models import Count, Q

from territoires.counts import Counted, counted_children, grouped_counts
from territoires.models import Level

from .models import Initiative

TABLE = "initiatives_published_per_territory"


def published_totals() -> tuple[int, int]:
    """How many initiatives are published, and how many territories hold some directly.

    On PostgreSQL, from the count rows (one per territory holding any: 10,500 at national scale,
    read by an index-only scan) rather than from the 85,000 published initiatives, whose
    distinct territories took 390 ms of a cold home page.
    """
    if connection.vendor != "postgresql":
        published = Initiative.objects.published().order_by()
        return published.count(), published.values("territory").distinct().count()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT coalesce(sum(published), 0), count(*) FROM {TABLE} WHERE published > 0"
        )
        initiatives, territories = cursor.fetchone()
    return int(initiatives), territories


def per_region() -> dict[str, int]:
    """{path of a région or overseas collectivity: its published initiatives}.

    On PostgreSQL, summed from the count rows; grouping the 85,000 published initiatives by the
    first step of their territory's path took 47 ms of a cold territory index.
    """
    if connection.vendor != "postgresql":
        return grouped_counts(None, Initiative.objects.published())[0]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT left(path, strpos(path, '/')), sum(published) FROM {TABLE} "
            f"WHERE published > 0 GROUP BY 1"
        )
        return {path: int(count) for path, count in cursor.fetchall()}


def published_places() -> list[tuple[str, int | None]]:
    """(path, EPCI id) of each territory holding published initiatives directly.

    On PostgreSQL, from the count rows (10,500 at national scale) rather than the distinct
    territories of 85,000 published initiatives (the sitemap's territories: 500 ms).
    """
    if connection.vendor != "postgresql":
        rows = Initiative.objects.published().order_by()
        return list(rows.values_list("territory__path", "territory__epci").distinct())
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.path, t.epci_id FROM {TABLE} c "
            f"JOIN territoires_territory t ON t.id = c.territory_id WHERE c.published > 0"
        )
        return cursor.fetchall()


def published_per_territory(territory) -> list[Counted]:
    """The territories in or below `territory` holding published initiatives, with how many
    (`n`) and how many of those have a position (`located`)."""
    if connection.vendor != "postgresql":
        rows = (
            Initiative.objects.published()
            .in_territory(territory)
            .order_by()
            .values_list("territory", "territory__path", "territory__level", "territory__epci")
            .annotate(
                n=Count("pk"),
                located=Count("pk", filter=Q(latitude__isnull=False, longitude__isnull=False)),
            )
        )
        return [Counted(*row) for row in rows]
    if territory.level == Level.EPCI:
        where, params = "(t.id = %s OR t.epci_id = %s)", [territory.pk, territory.pk]
    else:
        where, params = "t.path LIKE %s", [territory.path.replace("%", r"\%") + "%"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.id, t.path, t.level, t.epci_id, c.published, c.located FROM {TABLE} c "
            f"JOIN territoires_territory t ON t.id = c.territory_id "
            f"WHERE c.published > 0 AND {where}",
            params,
        )
        return [Counted(*row) for row in cursor.fetchall()]


class RolledUp(NamedTuple):
    """What a territory page shows of the counts."""

    total: int  # published initiatives in or below the territory
    located: bool  # whether any of them has a position
    by_path: dict[str, int]  # per child territory, as territoires.counts.counted_children
    by_id: dict[int, int]


def rolled_up(territory) -> RolledUp:
    """The territory's total and its children's counts, summed by PostgreSQL.

    `published_per_territory` gives one row per territory holding any (1,300 in the largest
    région), which Python then summed per child: reading, building and summing them took 4 ms of
    the page's 28 in-process. Grouped by child in the statement, a région gives back 8 rows.
    """
    if connection.vendor != "postgresql":
        counted = published_per_territory(territory)
        by_path, by_id = counted_children(territory, counted)
        return RolledUp(
            sum(row.n for row in counted), any(row.located for row in counted), by_path, by_id
        )
    if territory.level == Level.EPCI:
        # Its member communes (and itself): each member is a child, counted by id.
        sql = (
            f"SELECT NULL, t.id, sum(c.published), sum(c.located) FROM {TABLE} c "
            f"JOIN territoires_territory t ON t.id = c.territory_id "
            f"WHERE c.published > 0 AND (t.id = %s OR t.epci_id = %s) GROUP BY t.id"
        )
        params = [territory.pk, territory.pk]
    else:
        size = len(territory.path)
        # As counted_children: the child holding the row ("r84/d01/" for "r84/d01/c01053/" under
        # "r84/"), none for a row on the territory itself; and in a département, its EPCI.
        child = (
            f"CASE WHEN c.path = %s THEN NULL ELSE "
            f"left(c.path, {size} + strpos(substr(c.path, {size + 1}), '/')) END"
        )
        epci = (
            "CASE WHEN t.level = 'epci' THEN t.id ELSE t.epci_id END"
            if territory.level == Level.DEPARTEMENT
            else "NULL::integer"
        )
        # The count rows keep their territory's path (migration 0020): only the rows below are
        # read, by an index-only scan, and joined to their territories for a département only.
        join = (
            "JOIN territoires_territory t ON t.id = c.territory_id "
            if territory.level == Level.DEPARTEMENT
            else ""
        )
        sql = (
            f"SELECT {child}, {epci}, sum(c.published), sum(c.located) FROM {TABLE} c {join}"
            f"WHERE c.published > 0 AND c.path LIKE %s GROUP BY 1, 2"
        )
        params = [territory.path, territory.path.replace("%", r"\%") + "%"]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    total, located, by_path, by_id = 0, False, {}, {}
    for child, epci, n, with_position in rows:
        total += n
        located = located or bool(with_position)
        if child is not None:
            by_path[child] = by_path.get(child, 0) + n
        if epci is not None and epci != territory.pk:
            by_id[epci] = by_id.get(epci, 0) + n
    return RolledUp(total, located, by_path, by_id)


def recount() -> None:
    """Count again from the initiatives, after a bulk load that turned the triggers off."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(
            f"""
            INSERT INTO {TABLE} (territory_id, published, located, path)
            SELECT i.territory_id, count(*), count(*) FILTER (
                WHERE i.latitude IS NOT NULL AND i.longitude IS NOT NULL
            ), t.path
            FROM initiatives_initiative i JOIN territoires_territory t ON t.id = i.territory_id
            WHERE i.state = 'published' GROUP BY i.territory_id, t.path
            """
        )
