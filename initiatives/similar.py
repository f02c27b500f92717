"""Similar initiatives: the published ones sharing the most themes with a profile, newest first.

The ranking is (shared themes, descending; id, descending): among initiatives sharing as many
themes, the most recently created come first, so two profiles with the same themes do not show the
same six alphabetically first names, and what was just documented gets seen.

On PostgreSQL each initiative carries `theme_ids`, the sorted ids of its themes, kept by a trigger
(migration 0006) and indexed twice: GIN for "holds these themes", and `(id) INCLUDE (theme_ids)`
over published rows for "newest first". The ranking is one statement, one branch per number
of shared themes s (from all of them down to one): "holds some s of the profile's themes and no
s + 1 of them", newest first, LIMIT 6; under an outer LIMIT 6, PostgreSQL stops at the first
branches that fill it (observatoire.db.first_rows). Each branch reads either the GIN index (rare
combinations) or the id index backwards (common ones), whichever the planner expects to be
cheaper; the array statistics of `theme_ids` give it the selectivity.

EXPLAIN ANALYZE over 100,000 initiatives (the benchmark's): grouping every initiative that shares
a theme (about 19,000 rows for two common themes) and sorting them took 60-70 ms and grew with
the directory; the branches take 1-2 ms (p50) and 4-5 ms (p95) over 200 profiles, the same rows.

Past MAX_INDEXED_THEMES themes the subsets would be too many (2^k - 1 predicates); such a profile,
and SQLite, use the grouping query, which gives the same ranking.
"""

from itertools import combinations

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, OuterRef, Subquery
from taggit.models import TaggedItem

from observatoire.db import first_rows
from observatoire.publishing import State
from territoires.models import Territory

from . import arrays
from .models import Initiative

MAX_INDEXED_THEMES = 6


def similar(initiative, cards, limit: int) -> list[Initiative]:
    """Up to `limit` cards (`cards`: a queryset of published initiatives, or a function that
    builds it, called only when the grouping query needs it), best match first.

    Each card carries `shared`, the number of themes it shares with the initiative.
    """
    theme_ids = sorted(tag.pk for tag in initiative.themes.all())
    if not theme_ids:
        return []
    indexed = connection.vendor == "postgresql" if callable(cards) else arrays.available(cards)
    if indexed and len(theme_ids) <= MAX_INDEXED_THEMES:
        # One statement: the cards of the ranked ids, their shared themes counted on the array.
        # (Building the queryset of cards it does not use was a tenth of its CPU.)
        return _ranked_cards(initiative.pk, theme_ids, limit)
    if callable(cards):
        cards = cards()
    # One statement too: the ranked ids as a subquery, the shared themes counted per card.
    shared = (
        TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Initiative),
            tag_id__in=theme_ids,
            object_id=OuterRef("pk"),
        )
        .order_by()
        .values("object_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    ranked = _grouping(initiative.pk, theme_ids)[:limit]
    return list(
        cards.filter(pk__in=ranked.values("pk"))
        .annotate(shared=Subquery(shared))
        .order_by("-shared", "-pk")
    )


def _ranked_cards(pk: int, theme_ids: list[int], limit: int) -> list[Initiative]:
    """The branches of `_branches` as plain SQL, with the cards' name, slug and commune.

    Built from querysets (one per number of shared themes, each with its subsets' predicates),
    the statement took ten times as long to compile as to run (10 ms of a cold profile).
    """
    branches, params = [], []
    above = None
    for shared in range(len(theme_ids), 0, -1):
        subsets = [list(subset) for subset in combinations(theme_ids, shared)]
        holds = "(" + " OR ".join(["theme_ids @> %s::integer[]"] * len(subsets)) + ")"
        where = f"{holds} AND NOT {above[0]}" if above else holds
        branches.append(
            "SELECT branch.id FROM (SELECT id FROM initiatives_initiative "
            f"WHERE state = %s AND id <> %s AND {where} ORDER BY id DESC LIMIT %s) AS branch"
        )
        params += [State.PUBLISHED, pk, *subsets, *(above[1] if above else []), limit]
        above = (holds, subsets)
    sql = f"""
        SELECT card.id, card.name, card.slug, card.territory_id, place.name,
            cardinality(ARRAY(SELECT unnest(card.theme_ids) INTERSECT
                SELECT unnest(%s::integer[]))) AS shared
        FROM ({" UNION ALL ".join(branches)} LIMIT %s) AS ranked
        JOIN initiatives_initiative card ON card.id = ranked.id
        JOIN territoires_territory place ON place.id = card.territory_id
        ORDER BY shared DESC, card.id DESC
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [theme_ids, *params, limit])
        rows = cursor.fetchall()
    cards = []
    for card_id, name, slug, territory_id, place, shared in rows:
        fields = ["id", "name", "slug", "territory_id"]
        card = Initiative.from_db(connection.alias, fields, [card_id, name, slug, territory_id])
        card.territory = Territory.from_db(connection.alias, ["id", "name"], [territory_id, place])
        card.shared = shared
        cards.append(card)
    return cards


def _branches(pk: int, theme_ids: list[int], limit: int) -> tuple[list, list[int]]:
    """One queryset per number of shared themes, most first, and those numbers."""
    published = Initiative.objects.published().exclude(pk=pk)
    branches, labels = [], []
    above = None  # "holds s + 1 of the themes", for the branch below it
    for shared in range(len(theme_ids), 0, -1):
        holds = arrays.holds_any(list(combinations(theme_ids, shared)))
        branch = published.filter(holds)
        if above is not None:
            branch = branch.exclude(above)
        branches.append(branch.order_by("-pk")[:limit])
        labels.append(shared)
        above = holds
    return branches, labels


def ranked_by_subsets(pk: int, theme_ids: list[int], limit: int) -> list[tuple[int, int]]:
    """The (id, shared) pairs the branches rank, best first (for tests and EXPLAIN)."""
    branches, labels = _branches(pk, theme_ids, limit)
    sql, params = first_rows(branches, limit, labels)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(row[0], row[1]) for row in cursor.fetchall()]


def _grouping(pk: int, theme_ids: list[int]):
    """Published initiatives sharing a theme, grouped with their number shared, best first."""
    return (
        Initiative.objects.published()
        .exclude(pk=pk)
        .filter(themes__id__in=theme_ids)
        .values("pk")
        .annotate(shared=Count("pk"))
        .order_by("-shared", "-pk")
    )


def ranked_by_grouping(pk: int, theme_ids: list[int], limit: int) -> list[tuple[int, int]]:
    """(id, shared) pairs, best first, by counting the shared themes of every candidate."""
    return list(_grouping(pk, theme_ids).values_list("pk", "shared")[:limit])
