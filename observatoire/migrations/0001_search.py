"""Search on PostgreSQL: unaccent and pg_trgm, a French configuration that folds accents, and the
IMMUTABLE wrappers that index expressions need. Nothing happens on SQLite."""

from django.db import migrations

from observatoire.db import PostgreSQLOnlySQL

# {s} is the schema holding unaccent: everything is schema-qualified so that the functions and the
# indexes built on them still resolve with an empty search_path (pg_restore, autovacuum).
FUNCTIONS = """
CREATE OR REPLACE FUNCTION {s}.immutable_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT {s}.unaccent('{s}.unaccent'::regdictionary, $1) $$;

-- Lower case, no accents, any run of punctuation as one space: "Villeneuve-d'Ascq" -> "villeneuve d ascq".
CREATE OR REPLACE FUNCTION {s}.search_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT pg_catalog.btrim(pg_catalog.regexp_replace({s}.immutable_unaccent(pg_catalog.lower($1)), '[^[:alnum:]]+', ' ', 'g')) $$;

-- The plain french configuration does not fold accents: copy it and unaccent before stemming.
CREATE TEXT SEARCH CONFIGURATION {s}.french_unaccent (COPY = pg_catalog.french);
ALTER TEXT SEARCH CONFIGURATION {s}.french_unaccent
    ALTER MAPPING FOR hword, hword_part, word WITH {s}.unaccent, pg_catalog.french_stem;
"""

DROP_FUNCTIONS = """
DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent;
DROP FUNCTION IF EXISTS search_fold(text);
DROP FUNCTION IF EXISTS immutable_unaccent(text);
"""


def unaccent_schema(schema_editor) -> str:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'unaccent'"
        )
        return cursor.fetchone()[0]


def create_functions(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTIONS.format(s=unaccent_schema(schema_editor)))


def drop_functions(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_FUNCTIONS)


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        PostgreSQLOnlySQL(
            "CREATE EXTENSION IF NOT EXISTS unaccent", "DROP EXTENSION IF EXISTS unaccent"
        ),
        PostgreSQLOnlySQL(
            "CREATE EXTENSION IF NOT EXISTS pg_trgm", "DROP EXTENSION IF EXISTS pg_trgm"
        ),
        migrations.RunPython(create_functions, drop_functions),
    ]
