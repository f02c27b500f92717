"""search_vector on findings, kept up to date by a trigger (as initiatives 0002 does).

The public quotes are indexed from `public_quotes_text`, which the consent services rewrite: a
withdrawn quote leaves the index in the same UPDATE. Weights: title A, summary B, text and quotes C.
"""

from django.db import migrations

from observatoire.db import PostgreSQLOnlySQL

VECTOR = " || ".join(
    f"setweight(to_tsvector('french_unaccent', coalesce({expr}, '')), '{weight}')"
    for expr, weight in [
        ("NEW.title", "A"),
        ("NEW.summary", "B"),
        ("NEW.text", "C"),
        ("NEW.public_quotes_text", "C"),
    ]
)

FORWARDS = [
    f"""
    CREATE FUNCTION finding_search_vector_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector := {VECTOR};
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER finding_search_vector BEFORE INSERT OR UPDATE OF
        title, summary, text, public_quotes_text, search_vector ON terrain_finding
    FOR EACH ROW EXECUTE FUNCTION finding_search_vector_update()
    """,
    "UPDATE terrain_finding SET search_vector = NULL",
    "CREATE INDEX finding_search_vector ON terrain_finding USING gin (search_vector)",
    """
    CREATE INDEX finding_title_trgm ON terrain_finding
    USING gin (immutable_unaccent(lower(title)) gin_trgm_ops)
    """,
]

BACKWARDS = [
    "DROP INDEX IF EXISTS finding_title_trgm",
    "DROP INDEX IF EXISTS finding_search_vector",
    "DROP TRIGGER IF EXISTS finding_search_vector ON terrain_finding",
    "DROP FUNCTION IF EXISTS finding_search_vector_update()",
]


class Migration(migrations.Migration):
    dependencies = [
        ("observatoire", "0001_search"),
        ("terrain", "0001_initial"),
    ]

    operations = [PostgreSQLOnlySQL(FORWARDS, BACKWARDS)]
