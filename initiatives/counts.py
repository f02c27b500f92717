"""Published initiatives per territory: what territory pages count, without counting the rows.

On PostgreSQL a trigger keeps, for each territory, how many published initiatives it holds
directly and how many of those have a position (migration 0016): a territory page sums the rows of
the territories below it (one per territory holding any) instead of grouping every published
initiative there. Elsewhere the same rows come from grouping the initiatives.
"""

from django.db import connection
from django.db.models import Count, Q

from territoires.counts import Counted
from territoires.models import Level

from .models import Initiative

TABLE = "initiatives_published_per_territory"


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


def recount() -> None:
    """Count again from the initiatives, after a bulk load that turned the triggers off."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(
            f"""
            INSERT INTO {TABLE} (territory_id, published, located)
            SELECT territory_id, count(*), count(*) FILTER (
                WHERE latitude IS NOT NULL AND longitude IS NOT NULL
            )
            FROM initiatives_initiative WHERE state = 'published' GROUP BY territory_id
            """
        )
