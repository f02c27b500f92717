"""How many published initiatives each territory holds directly (and how many of them have a
position, for its map), kept by a trigger.

Territory pages show how many published initiatives lie under the territory and under each of its
children. Counted from the initiatives, that read every published row below the territory (18,000
in the largest région at 100,000 initiatives: 35 ms grouped, 15 ms more for the total). Summed from
this table, it reads one row per territory holding any (under 1,000 there). PostgreSQL only, like
the search vectors: elsewhere the pages count the initiatives themselves (initiatives/counts.py).

The trigger follows every insert, delete, and change of state or territory, in the writing
transaction, so a publication or a withdrawal counts at once; a TRUNCATE of the initiatives empties
it. Bulk loaders that turn the triggers off (the benchmark's COPY) call `counts.recount()`.
"""

from django.db import migrations

from observatoire.db import PostgreSQLOnlySQL

# What initiatives/counts.py's `recount` also counts.
COUNT = """
    (territory_id, published, located)
    SELECT territory_id, count(*), count(*) FILTER (
        WHERE latitude IS NOT NULL AND longitude IS NOT NULL
    )
    FROM initiatives_initiative WHERE state = 'published' GROUP BY territory_id
"""

FORWARDS = [
    """
    CREATE TABLE initiatives_published_per_territory (
        territory_id integer PRIMARY KEY,
        published integer NOT NULL CHECK (published >= 0),
        located integer NOT NULL CHECK (located >= 0)
    )
    """,
    """
    CREATE FUNCTION initiative_published_count() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.state = 'published' THEN
            UPDATE initiatives_published_per_territory SET published = published - 1,
                located = located - (OLD.latitude IS NOT NULL AND OLD.longitude IS NOT NULL)::int
            WHERE territory_id = OLD.territory_id;
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.state = 'published' THEN
            INSERT INTO initiatives_published_per_territory AS counted
                (territory_id, published, located)
            VALUES (
                NEW.territory_id, 1, (NEW.latitude IS NOT NULL AND NEW.longitude IS NOT NULL)::int
            )
            ON CONFLICT (territory_id) DO UPDATE SET published = counted.published + 1,
                located = counted.located + excluded.located;
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER initiative_published_count AFTER INSERT OR DELETE
    ON initiatives_initiative FOR EACH ROW EXECUTE FUNCTION initiative_published_count()
    """,
    # Only when what is counted changes: most edits of a profile touch no count.
    """
    CREATE TRIGGER initiative_published_count_change
    AFTER UPDATE OF state, territory_id, latitude, longitude
    ON initiatives_initiative FOR EACH ROW
    WHEN (
        OLD.state IS DISTINCT FROM NEW.state
        OR OLD.territory_id IS DISTINCT FROM NEW.territory_id
        OR (OLD.latitude IS NULL) <> (NEW.latitude IS NULL)
        OR (OLD.longitude IS NULL) <> (NEW.longitude IS NULL)
    )
    EXECUTE FUNCTION initiative_published_count()
    """,
    """
    CREATE FUNCTION initiative_published_count_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM initiatives_published_per_territory;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER initiative_published_count_truncate AFTER TRUNCATE
    ON initiatives_initiative FOR EACH STATEMENT
    EXECUTE FUNCTION initiative_published_count_truncate()
    """,
    f"INSERT INTO initiatives_published_per_territory {COUNT}",
]

BACKWARDS = [
    "DROP TRIGGER IF EXISTS initiative_published_count_truncate ON initiatives_initiative",
    "DROP FUNCTION IF EXISTS initiative_published_count_truncate()",
    "DROP TRIGGER IF EXISTS initiative_published_count_change ON initiatives_initiative",
    "DROP TRIGGER IF EXISTS initiative_published_count ON initiatives_initiative",
    "DROP FUNCTION IF EXISTS initiative_published_count()",
    "DROP TABLE IF EXISTS initiatives_published_per_territory",
]


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0015_python_defaults_for_unsaved_entries")]

    operations = [PostgreSQLOnlySQL(FORWARDS, BACKWARDS)]
