"""The directory's facet counts, kept by triggers instead of counted on every cold page.

A cold `/initiatives/` counted its seven facets with seven aggregates over every published
initiative (index-only scans of 85,000 rows, 275-360 ms a page at 100,000 initiatives). The counts
change only when an initiative is published, withdrawn or edited, so PostgreSQL keeps them:

- `initiative_facet_items(...)`: the facet values one initiative counts under ("all", its
  région-level and département-level path, its stage, start year, levers, themes, legal forms of
  its published organisations, PTCEs);
- `initiative_facet_unders(...)`: the keys an initiative counts under: "all", each of its values
  alone, and its région (or collectivity), and its stage, with each of its values of a broad
  facet (stage, theme, lever, actor type, year), with the facets each key leaves out;
- `initiatives_facetcount`: how many published initiatives hold a facet value under each key (a
  facet never counts under its own filter). The unfiltered directory reads its counts under
  "all"; one filter, the other facets and the total under its value; two filters, each filtered
  facet under the other one, and the others and the total under the pair when the table holds
  it (initiatives/tallies.py). 222,000 rows (25 MB) at 100,000 initiatives.
- statement-level triggers on initiatives (insert, update, delete) add what the rows brought and
  take away what they held, from the transition tables: one statement per import or bulk update,
  whatever the number of rows; an update that changes no facet column changes nothing.
- `pole_ids` on initiatives (its PTCEs, any state: the facet reads published PTCEs only), kept by
  triggers on the membership table, so that PTCE membership reaches the counts through the
  initiative's row like the themes (`theme_ids`) and legal forms (`actor_forms`) already do.
- a territory whose path changes moves its initiatives' counts from the old path to the new.

What writers pay: a changed initiative rewrites about 200 counters (1 ms; 10,000 search vectors
recomputed in one statement: 4.5 s, as without the trigger since no facet column changes), in key
order, so that two transactions never lock them crosswise; a second transaction changing the
directory waits for the first to commit on the shared counters ("all").

The facets' covering index holds `pole_ids` too, for the aggregates that remain (two filters and
more, below a département). PostgreSQL only; SQLite counts with the plain aggregates.
"""

from django.db import migrations

from observatoire.db import PostgreSQLOnlySQL

LEVERS = ("sectoral_interaction", "territorial_coherence", "cross_world_alliances")
# The columns a facet reads, in the order of initiative_facet_items' arguments (path aside).
COLUMNS = ("stage", "start_date", *LEVERS, "theme_ids", "actor_forms", "pole_ids")

ITEMS = f"""
    CREATE FUNCTION initiative_facet_items(
        path text, stage text, start_date date, sectoral_interaction boolean,
        territorial_coherence boolean, cross_world_alliances boolean, theme_ids integer[],
        actor_forms varchar[], pole_ids bigint[]
    ) RETURNS TABLE (dim text, value text) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT 'all', ''
        UNION ALL SELECT 'territoire', split_part(path, '/', 1) || '/' WHERE path IS NOT NULL
        UNION ALL SELECT 'territoire', split_part(path, '/', 1) || '/' || split_part(path, '/', 2) || '/'
            WHERE split_part(path, '/', 2) <> ''
        UNION ALL SELECT 'stade', stage
        UNION ALL SELECT 'annee', extract(year FROM start_date)::integer::text
            WHERE start_date IS NOT NULL
        {" ".join(f"UNION ALL SELECT 'levier', '{lever}' WHERE {lever}" for lever in LEVERS)}
        UNION ALL SELECT 'theme', unnest(theme_ids)::text
        UNION ALL SELECT 'type_acteur', unnest(actor_forms)::text
        UNION ALL SELECT 'ptce', unnest(pole_ids)::text
    $$
"""

# The keys a row is counted under, with the facets each one leaves out (a facet never counts under
# its own filter): "all"; each of its values alone; its région (or collectivity), and its stage,
# with each of its values of a broad facet: the pairs people combine most (a région and a stage,
# a stage and a theme...).
ARGUMENTS = (
    "path text, stage text, start_date date, sectoral_interaction boolean, "
    "territorial_coherence boolean, cross_world_alliances boolean, theme_ids integer[], "
    "actor_forms varchar[], pole_ids bigint[]"
)
CALL = (
    "path, stage, start_date, sectoral_interaction, territorial_coherence, "
    "cross_world_alliances, theme_ids, actor_forms, pole_ids"
)
UNDERS = f"""
    CREATE FUNCTION initiative_facet_unders({ARGUMENTS})
    RETURNS TABLE (dim text, value text, leaves text[]) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT 'all', '', '{{}}'::text[]
        UNION ALL
        SELECT item.dim, item.value, ARRAY[item.dim]
        FROM initiative_facet_items({CALL}) item WHERE item.dim <> 'all'
        UNION ALL
        SELECT anchor.dim || '&' || item.dim, anchor.value || '&' || item.value,
            ARRAY[anchor.dim, item.dim]
        FROM initiative_facet_items({CALL}) anchor, initiative_facet_items({CALL}) item
        WHERE (anchor.dim = 'territoire' AND anchor.value NOT LIKE '%/%/%' OR anchor.dim = 'stade')
            AND item.dim IN ('annee', 'levier', 'stade', 'theme', 'type_acteur')
            AND item.dim <> anchor.dim
    $$
"""

TABLE = """
    CREATE TABLE initiatives_facetcount (
        under_dim text NOT NULL,
        under_value text NOT NULL,
        dim text NOT NULL,
        value text NOT NULL,
        n integer NOT NULL,
        PRIMARY KEY (under_dim, under_value, dim, value)
    )
"""


def rows(table: str, sign: int) -> str:
    """The published rows of `table` with their path, counted `sign` times."""
    columns = ", ".join(f"r.{column}" for column in COLUMNS)
    return f"""
        SELECT {sign} AS sign, t.path, {columns}
        FROM {table} r
        JOIN territoires_territory t ON t.id = r.territory_id
        WHERE r.state = 'published'
    """


def add(delta_rows: str, prefix: str = "") -> str:
    """Add each facet value of the rows to its count under each of their keys, in key order (one
    lock order for concurrent writers)."""
    arguments = ", ".join(["d.path", *(f"d.{column}" for column in COLUMNS)])
    return f"""
        {prefix}
        INSERT INTO initiatives_facetcount AS counted (under_dim, under_value, dim, value, n)
        SELECT u.dim, u.value, f.dim, f.value, sum(d.sign)
        FROM ({delta_rows}) d
        CROSS JOIN LATERAL initiative_facet_unders({arguments}) u
        CROSS JOIN LATERAL initiative_facet_items({arguments}) f
        WHERE NOT f.dim = ANY(u.leaves)
        GROUP BY 1, 2, 3, 4
        HAVING sum(d.sign) <> 0
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (under_dim, under_value, dim, value) DO UPDATE SET n = counted.n + excluded.n
    """


# The rows whose facet columns an update changed, before and after, found by hashing (EXCEPT):
# transition tables have no index nor statistics, and a join of old and new rows by id ran as a
# nested loop (54 s to recompute 10,000 search vectors, 6 s without the trigger).
FACET_COLUMNS = ", ".join(["id", "state", "territory_id", *COLUMNS])
CHANGED = f"""
    WITH before AS MATERIALIZED (
        SELECT {FACET_COLUMNS} FROM old_rows EXCEPT SELECT {FACET_COLUMNS} FROM new_rows
    ), after AS MATERIALIZED (
        SELECT {FACET_COLUMNS} FROM new_rows EXCEPT SELECT {FACET_COLUMNS} FROM old_rows
    )
"""

INITIATIVES_CHANGED = f"""
    CREATE FUNCTION initiative_facet_counts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            {add(rows("new_rows", 1))};
        ELSIF TG_OP = 'DELETE' THEN
            {add(rows("old_rows", -1))};
        ELSE
            {
    add(
        rows("before", -1) + " UNION ALL " + rows("after", 1),
        CHANGED,
    )
};
        END IF;
        RETURN NULL;
    END
    $$
"""

TERRITORY_MOVED = f"""
    CREATE FUNCTION territory_facet_counts_moved() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {
    add(
        " UNION ALL ".join(
            f'''
            SELECT {sign} AS sign, m.path, {", ".join(f"r.{c}" for c in COLUMNS)}
            FROM {moved} m JOIN initiatives_initiative r ON r.territory_id = m.id
            WHERE r.state = 'published'
            '''
            for sign, moved in ((-1, "moved_from"), (1, "moved_to"))
        ),
        '''
        WITH moved_from AS MATERIALIZED (
            SELECT id, path FROM old_rows EXCEPT SELECT id, path FROM new_rows
        ), moved_to AS MATERIALIZED (
            SELECT id, path FROM new_rows EXCEPT SELECT id, path FROM old_rows
        )
        ''',
    )
};
        RETURN NULL;
    END
    $$
"""

POLES = [
    "ALTER TABLE initiatives_initiative ADD COLUMN pole_ids bigint[] NOT NULL DEFAULT '{}'",
    """
    CREATE FUNCTION initiative_pole_ids(initiative bigint) RETURNS bigint[]
    LANGUAGE sql STABLE AS $$
        SELECT coalesce(array_agg(pole_id ORDER BY pole_id), '{}')
        FROM initiatives_initiative_poles WHERE initiative_id = initiative
    $$
    """,
    """
    CREATE FUNCTION initiative_poles_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            UPDATE initiatives_initiative SET pole_ids = initiative_pole_ids(id)
            WHERE id IN (SELECT initiative_id FROM new_rows);
        END IF;
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            UPDATE initiatives_initiative SET pole_ids = initiative_pole_ids(id)
            WHERE id IN (SELECT initiative_id FROM old_rows);
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER initiative_poles_inserted AFTER INSERT ON initiatives_initiative_poles
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION initiative_poles_changed()
    """,
    """
    CREATE TRIGGER initiative_poles_updated AFTER UPDATE ON initiatives_initiative_poles
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION initiative_poles_changed()
    """,
    """
    CREATE TRIGGER initiative_poles_deleted AFTER DELETE ON initiatives_initiative_poles
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION initiative_poles_changed()
    """,
    """
    UPDATE initiatives_initiative i SET pole_ids = p.ids FROM (
        SELECT initiative_id, array_agg(pole_id ORDER BY pole_id) AS ids
        FROM initiatives_initiative_poles GROUP BY initiative_id
    ) p WHERE p.initiative_id = i.id
    """,
]

FACETS_INDEX = """
    CREATE INDEX initiative_published_facets ON initiatives_initiative (territory_id, id)
    INCLUDE (stage, start_date, sectoral_interaction, territorial_coherence,
             cross_world_alliances, theme_ids, actor_forms{})
    WHERE state = 'published'
"""

# For rows written while the triggers were off (`session_replication_role = replica`: the bench's
# COPY, a restore): PTCE lists and every count recomputed from the rows (tallies.rebuild()).
REBUILD = f"""
    CREATE FUNCTION initiative_facet_counts_rebuild() RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE initiatives_initiative SET pole_ids = initiative_pole_ids(id)
        WHERE pole_ids IS DISTINCT FROM initiative_pole_ids(id);
        DELETE FROM initiatives_facetcount;
        {add(rows("initiatives_initiative", 1))};
    END
    $$
"""

# TRUNCATE fires no row or statement DELETE trigger (Django's flush, between transactional tests).
TRUNCATED = [
    """
    CREATE FUNCTION initiative_facet_counts_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM initiatives_facetcount;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER initiative_facet_counts_truncated AFTER TRUNCATE ON initiatives_initiative
    FOR EACH STATEMENT EXECUTE FUNCTION initiative_facet_counts_truncated()
    """,
    """
    CREATE FUNCTION initiative_poles_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE initiatives_initiative SET pole_ids = '{}' WHERE cardinality(pole_ids) > 0;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER initiative_poles_truncated AFTER TRUNCATE ON initiatives_initiative_poles
    FOR EACH STATEMENT EXECUTE FUNCTION initiative_poles_truncated()
    """,
]

COUNTS = [
    ITEMS,
    UNDERS,
    TABLE,
    INITIATIVES_CHANGED,
    TERRITORY_MOVED,
    *TRUNCATED,
    """
    CREATE TRIGGER initiative_facet_counts_inserted AFTER INSERT ON initiatives_initiative
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION initiative_facet_counts_changed()
    """,
    """
    CREATE TRIGGER initiative_facet_counts_updated AFTER UPDATE ON initiatives_initiative
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION initiative_facet_counts_changed()
    """,
    """
    CREATE TRIGGER initiative_facet_counts_deleted AFTER DELETE ON initiatives_initiative
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION initiative_facet_counts_changed()
    """,
    """
    CREATE TRIGGER territory_facet_counts_moved AFTER UPDATE ON territoires_territory
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION territory_facet_counts_moved()
    """,
    REBUILD,
    "SELECT initiative_facet_counts_rebuild()",
    "DROP INDEX IF EXISTS initiative_published_facets",
    FACETS_INDEX.format(", pole_ids"),
]

BACKWARDS = [
    "DROP INDEX IF EXISTS initiative_published_facets",
    FACETS_INDEX.format(""),
    "DROP TRIGGER IF EXISTS territory_facet_counts_moved ON territoires_territory",
    "DROP TRIGGER IF EXISTS initiative_facet_counts_deleted ON initiatives_initiative",
    "DROP TRIGGER IF EXISTS initiative_facet_counts_updated ON initiatives_initiative",
    "DROP TRIGGER IF EXISTS initiative_facet_counts_inserted ON initiatives_initiative",
    "DROP TRIGGER IF EXISTS initiative_poles_truncated ON initiatives_initiative_poles",
    "DROP FUNCTION IF EXISTS initiative_poles_truncated()",
    "DROP TRIGGER IF EXISTS initiative_facet_counts_truncated ON initiatives_initiative",
    "DROP FUNCTION IF EXISTS initiative_facet_counts_truncated()",
    "DROP FUNCTION IF EXISTS initiative_facet_counts_rebuild()",
    "DROP FUNCTION IF EXISTS territory_facet_counts_moved()",
    "DROP FUNCTION IF EXISTS initiative_facet_counts_changed()",
    "DROP TABLE IF EXISTS initiatives_facetcount",
    f"DROP FUNCTION IF EXISTS initiative_facet_unders({ARGUMENTS})",
    "DROP FUNCTION IF EXISTS initiative_facet_items(text, text, date, boolean, boolean, boolean, "
    "integer[], varchar[], bigint[])",
    "DROP TRIGGER IF EXISTS initiative_poles_deleted ON initiatives_initiative_poles",
    "DROP TRIGGER IF EXISTS initiative_poles_updated ON initiatives_initiative_poles",
    "DROP TRIGGER IF EXISTS initiative_poles_inserted ON initiatives_initiative_poles",
    "DROP FUNCTION IF EXISTS initiative_poles_changed()",
    "DROP FUNCTION IF EXISTS initiative_pole_ids(bigint)",
    "ALTER TABLE initiatives_initiative DROP COLUMN IF EXISTS pole_ids",
]


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0016_published_initiatives_per_territory"),
        ("territoires", "0001_initial"),
    ]

    operations = [PostgreSQLOnlySQL(POLES + COUNTS, BACKWARDS)]
