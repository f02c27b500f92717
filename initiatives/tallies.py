"""The directory's facet counts without an aggregate per facet (PostgreSQL; migration 0016).

`initiatives_facetcount` holds, kept exact by triggers, how many published initiatives hold a
facet value *under* "all" or under one other facet value. A facet counts its values under every
current filter but its own (facets.py), so:

- no filter: every facet, and the total, under "all";
- one filter (one value): its own facet under "all", the others and the total under it;
- two filters: each of them under the other one; the facets without a filter, and the total,
  under both: the table holds a région (or collectivity), or a stage, with one value of a broad
  facet (stage, theme, lever, actor type, year); for other pairs one grouped pass over the
  filtered rows counts them together, as `initiative_facet_items` (what the triggers count
  with) does;
- more, or a filter the table does not know (several values of a facet, an EPCI, a SIREN...):
  what cannot be read falls back to the facet's own aggregate.

The territory facet is read here at the top (régions) and one level down (a région's
départements); below, facets.py groups the initiatives itself (EPCIs under a département).
"""

from collections import defaultdict

from django.db import connections
from django.db.models import IntegerField

from territoires.models import Level

from . import arrays

ALL = ("all", "")
FACETS = ("territoire", "theme", "type_acteur", "levier", "ptce", "stade", "annee")
# The facet value columns, in the order of initiative_facet_items' arguments after the path.
COLUMNS = ("stage", "start_date", "sectoral_interaction", "territorial_coherence",
           "cross_world_alliances")  # fmt: skip
ARRAYS = ("theme_ids", "actor_forms", "pole_ids")
# The facets the table also counts under a région and one of their values.
BROAD = ("annee", "levier", "stade", "theme", "type_acteur")


def _anchor_first(key) -> int:
    return {"territoire": 0, "stade": 1}.get(key[0], 2)


def shallow(territory) -> bool:
    """A territory the table counts under and whose facet it can list: a région or collectivity
    (or no territory at all)."""
    return territory is None or (territory.level != Level.EPCI and territory.path.count("/") == 1)


def filter_key(name: str, value):
    """The (facet, value) a filter stands for in the table, or None when the table cannot say."""
    if name == "territoire":
        # Régions, collectivities and départements: a prefix of one or two path segments.
        if value.level != Level.EPCI and value.path.count("/") <= 2:
            return (name, value.path)
        return None
    if name == "annee":
        return (name, str(value))
    if name in FACETS and isinstance(value, list | tuple) and len(value) == 1:
        (single,) = value
        return (name, str(getattr(single, "pk", single)))
    return None


def applied(filterset, values: dict) -> dict:
    """{filter name: its key in the table (or None)} for each filter this request applies."""
    return {
        name: filter_key(name, value)
        for name, value in values.items()
        # An empty many-valued facet cleans to an empty queryset: falsy without a query.
        if name in filterset.filters and name != "tri" and value
    }


class Tallies:
    """What the table (and at most one grouped pass) says of this request's facets and total."""

    def __init__(self, filterset, values: dict):
        self.filterset = filterset
        self.active = applied(filterset, values)
        self.territory = values.get("territoire")
        self.sources = {}  # facet -> an under key of the table, or None for the grouped pass
        for name in FACETS:
            if name == "territoire" and not shallow(self.territory):
                continue
            key = self._under(name)
            if key is not None:
                self.sources[name] = key
            elif name not in self.active:
                self.sources[name] = None
        total = self._under(None)
        keys = {key for key in self.sources.values() if key is not None}
        if total is not None:
            keys.add(total)
        self.table = self._read(keys)
        passed = [name for name, key in self.sources.items() if key is None]
        self.passed = self._pass(passed) if passed or total is None else {}
        if total is not None:
            self.total = self.table.get(total, {}).get("all", {}).get("", 0)
        else:
            self.total = self.passed.get("all", {}).get("", 0)

    def _under(self, facet):
        """The one key a facet counts under (its filters but its own), if the table holds it."""
        others = [key for name, key in self.active.items() if name != facet]
        if not others:
            return ALL
        if len(others) == 1 and others[0] is not None:
            return others[0]
        if len(others) == 2 and None not in others:
            # A région (or collectivity), or a stage, with one value of a broad facet (0016).
            (first, first_value), (second, second_value) = sorted(others, key=_anchor_first)
            region = first == "territoire" and first_value.count("/") == 1
            if (region or first == "stade") and second in BROAD and second != first:
                return (f"{first}&{second}", f"{first_value}&{second_value}")
        return None

    def counts(self, facet) -> dict[str, int] | None:
        """{value: initiatives} for the facet, or None when it must count itself."""
        if facet not in self.sources:
            return None
        key = self.sources[facet]
        source = self.passed if key is None else self.table.get(key, {})
        return source.get(facet, {})

    def _read(self, keys) -> dict:
        if not keys:
            return {}
        keys = sorted(keys)
        condition = " OR ".join(["(under_dim = %s AND under_value = %s)"] * len(keys))
        with connections[self.filterset.queryset.db].cursor() as cursor:
            cursor.execute(
                "SELECT under_dim, under_value, dim, value, n FROM initiatives_facetcount "
                f"WHERE ({condition}) AND n > 0",
                [part for key in keys for part in key],
            )
            table = defaultdict(lambda: defaultdict(dict))
            for under_dim, under_value, dim, value, n in cursor.fetchall():
                table[(under_dim, under_value)][dim][value] = n
        return table

    def _pass(self, facets) -> dict:
        """{facet: {value: n}} (and the total as "all") over the rows under every filter.

        One statement: the filtered rows read once (the facets' covering index), then one small
        grouping per facet over them, counting as `initiative_facet_items` (migration 0016)
        does. Expanding each row through that function instead cost 12 plan nodes a row; the
        territory's path is read once per territory, after grouping the rows by it.
        """
        queryset = self.filterset.queryset_without()
        rows = queryset.annotate(
            **{
                f"facet_{name}": arrays.ArraySQL(name, "{column}", [], IntegerField())
                for name in ARRAYS
            },
        ).values_list("territory_id", *COLUMNS, *(f"facet_{name}" for name in ARRAYS))
        sql, params = rows.query.sql_with_params()
        parts = ["SELECT 'all', '', count(*) FROM rows"]
        for facet in facets:
            parts.append(PASS[facet])
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(
                f"WITH rows AS MATERIALIZED ({sql}) " + " UNION ALL ".join(parts), params
            )
            counted = defaultdict(dict)
            for dim, value, n in cursor.fetchall():
                if n:
                    counted[dim][value] = n
        return counted


# Each facet's grouping over the filtered `rows`, as initiative_facet_items counts its values.
PASS = {
    "territoire": """
        SELECT 'territoire', prefix.path, sum(c.n)::bigint
        FROM (SELECT territory_id, count(*) AS n FROM rows GROUP BY 1) c
        JOIN territoires_territory t ON t.id = c.territory_id
        CROSS JOIN LATERAL (
            SELECT split_part(t.path, '/', 1) || '/'
            UNION ALL
            SELECT split_part(t.path, '/', 1) || '/' || split_part(t.path, '/', 2) || '/'
            WHERE split_part(t.path, '/', 2) <> ''
        ) prefix (path)
        GROUP BY 2
    """,
    "stade": "SELECT 'stade', stage, count(*) FROM rows GROUP BY stage",
    "annee": """
        SELECT 'annee', year::text, n FROM (
            SELECT extract(year FROM start_date)::integer AS year, count(*) AS n
            FROM rows WHERE start_date IS NOT NULL GROUP BY 1
        ) years
    """,
    "levier": "SELECT 'levier', unnest(ARRAY[{}]), unnest(ARRAY[{}]) FROM rows".format(
        ", ".join(f"'{lever}'" for lever in COLUMNS[2:]),
        ", ".join(f"count(*) FILTER (WHERE {lever})" for lever in COLUMNS[2:]),
    ),
    # unnest() in the select list and grouped by the id itself: a third of the time of a lateral
    # unnest grouped by its text (EXPLAIN ANALYZE, 10,000 rows).
    **{
        facet: f"""
            SELECT '{facet}', v::text, count(*)
            FROM (SELECT unnest(facet_{column}) AS v FROM rows) AS listed GROUP BY v
        """
        for facet, column in (
            ("theme", "theme_ids"),
            ("type_acteur", "actor_forms"),
            ("ptce", "pole_ids"),
        )
    },
}


def rebuild(using="default") -> None:
    """Recompute every count (and PTCE list) from the rows, after writes made with the triggers
    off (`session_replication_role = replica`: the bench's COPY, a restore). PostgreSQL only."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT initiative_facet_counts_rebuild()")


def read(filterset, values: dict) -> Tallies | None:
    """The request's tallies where the database keeps them (PostgreSQL), else None."""
    if not arrays.available(filterset.queryset):
        return None
    return Tallies(filterset, values)
