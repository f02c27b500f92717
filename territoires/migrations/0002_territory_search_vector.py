"""Territory.search_vector, kept up to date by a trigger so that bulk loads are indexed too."""

import django.contrib.postgres.search
from django.db import migrations

from observatoire.db import PostgreSQLOnlySQL

# Name (A) and code (B, unstemmed: "59" or "62178" find their territory). UPDATE OF limits the
# work to writes that can change the vector; setting search_vector to NULL recomputes it.
TRIGGER = [
    """
    CREATE FUNCTION territory_search_vector_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector :=
            setweight(to_tsvector('french_unaccent', coalesce(NEW.name, '')), 'A')
            || setweight(to_tsvector('simple', coalesce(NEW.code, '')), 'B');
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER territory_search_vector
    BEFORE INSERT OR UPDATE OF name, code, search_vector ON territoires_territory
    FOR EACH ROW EXECUTE FUNCTION territory_search_vector_update()
    """,
    "UPDATE territoires_territory SET search_vector = NULL",
    "CREATE INDEX territory_search_vector ON territoires_territory USING gin (search_vector)",
    # Typo-tolerant fallback (pg_trgm) and recognition of a place name typed in a query.
    """
    CREATE INDEX territory_name_trgm ON territoires_territory
    USING gin (immutable_unaccent(lower(name)) gin_trgm_ops)
    """,
    "CREATE INDEX territory_name_folded ON territoires_territory (search_fold(name))",
]

DROP_TRIGGER = [
    "DROP INDEX IF EXISTS territory_name_folded",
    "DROP INDEX IF EXISTS territory_name_trgm",
    "DROP INDEX IF EXISTS territory_search_vector",
    "DROP TRIGGER IF EXISTS territory_search_vector ON territoires_territory",
    "DROP FUNCTION IF EXISTS territory_search_vector_update()",
]


class Migration(migrations.Migration):
    dependencies = [
        ("observatoire", "0001_search"),
        ("territoires", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="territory",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        PostgreSQLOnlySQL(TRIGGER, DROP_TRIGGER),
    ]
