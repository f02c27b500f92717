"""search_vector on initiatives, organisations and PTCEs, kept up to date by triggers.

Triggers rather than the save path: loaders use bulk_create/bulk_update and queryset updates,
and themes (django-taggit) change without saving the initiative; the database sees them all.
Weights: names A, summary and themes B, description C.
"""

import django.contrib.postgres.search
from django.db import migrations

from observatoire.db import PostgreSQLOnlySQL

# The themes of one initiative, as text (taggit stores them in a generic relation).
INITIATIVE_THEMES = """
    SELECT string_agg(tag.name, ' ')
    FROM taggit_taggeditem item
    JOIN taggit_tag tag ON tag.id = item.tag_id
    JOIN django_content_type ct ON ct.id = item.content_type_id
    WHERE ct.app_label = 'initiatives' AND ct.model = 'initiative' AND item.object_id = NEW.id
"""

INITIATIVE_CONTENT_TYPE = """
    (SELECT id FROM django_content_type WHERE app_label = 'initiatives' AND model = 'initiative')
"""


def vector(weights: dict[str, str]) -> str:
    return "\n || ".join(
        f"setweight(to_tsvector('french_unaccent', coalesce({expr}, '')), '{weight}')"
        for expr, weight in weights.items()
    )


def trigger(table: str, name: str, columns: str, weights: dict[str, str]) -> list[str]:
    # UPDATE OF limits the work to writes that can change the vector (publishing does not);
    # setting search_vector to NULL is how anything else asks for a recomputation.
    return [
        f"""
        CREATE FUNCTION {name}_update() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.search_vector := {vector(weights)};
            RETURN NEW;
        END
        $$
        """,
        f"""
        CREATE TRIGGER {name} BEFORE INSERT OR UPDATE OF {columns}, search_vector ON {table}
        FOR EACH ROW EXECUTE FUNCTION {name}_update()
        """,
        f"UPDATE {table} SET search_vector = NULL",
        f"CREATE INDEX {name} ON {table} USING gin (search_vector)",
        f"""
        CREATE INDEX {name.removesuffix("_search_vector")}_name_trgm ON {table}
        USING gin (immutable_unaccent(lower(name)) gin_trgm_ops)
        """,
    ]


def drop_trigger(table: str, name: str) -> list[str]:
    return [
        f"DROP INDEX IF EXISTS {name.removesuffix('_search_vector')}_name_trgm",
        f"DROP INDEX IF EXISTS {name}",
        f"DROP TRIGGER IF EXISTS {name} ON {table}",
        f"DROP FUNCTION IF EXISTS {name}_update()",
    ]


# A theme added to, removed from or renamed on an initiative recomputes that initiative's vector.
THEME_TRIGGERS = [
    f"""
    CREATE FUNCTION initiative_themes_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.content_type_id = {INITIATIVE_CONTENT_TYPE} THEN
            UPDATE initiatives_initiative SET search_vector = NULL WHERE id = OLD.object_id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.content_type_id = {INITIATIVE_CONTENT_TYPE} THEN
            UPDATE initiatives_initiative SET search_vector = NULL WHERE id = NEW.object_id;
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER initiative_themes_changed
    AFTER INSERT OR UPDATE OR DELETE ON taggit_taggeditem
    FOR EACH ROW EXECUTE FUNCTION initiative_themes_changed()
    """,
    f"""
    CREATE FUNCTION initiative_theme_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE initiatives_initiative SET search_vector = NULL WHERE id IN (
            SELECT object_id FROM taggit_taggeditem
            WHERE tag_id = NEW.id AND content_type_id = {INITIATIVE_CONTENT_TYPE}
        );
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER initiative_theme_renamed AFTER UPDATE OF name ON taggit_tag
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION initiative_theme_renamed()
    """,
]

DROP_THEME_TRIGGERS = [
    "DROP TRIGGER IF EXISTS initiative_theme_renamed ON taggit_tag",
    "DROP FUNCTION IF EXISTS initiative_theme_renamed()",
    "DROP TRIGGER IF EXISTS initiative_themes_changed ON taggit_taggeditem",
    "DROP FUNCTION IF EXISTS initiative_themes_changed()",
]

TABLES = [
    (
        "initiatives_initiative",
        "initiative_search_vector",
        "name, summary, description",
        {
            "NEW.name": "A",
            "NEW.summary": "B",
            f"({INITIATIVE_THEMES})": "B",
            "NEW.description": "C",
        },
    ),
    (
        "initiatives_organisation",
        "organisation_search_vector",
        "name, acronym, summary, description",
        {"NEW.name": "A", "NEW.acronym": "A", "NEW.summary": "B", "NEW.description": "C"},
    ),
    (
        "initiatives_pole",
        "pole_search_vector",
        "name, summary, description",
        {"NEW.name": "A", "NEW.summary": "B", "NEW.description": "C"},
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("observatoire", "0001_search"),
        ("initiatives", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="initiative",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="organisation",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="pole",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        *[
            PostgreSQLOnlySQL(trigger(table, name, columns, weights), drop_trigger(table, name))
            for table, name, columns, weights in TABLES
        ],
        PostgreSQLOnlySQL(THEME_TRIGGERS, DROP_THEME_TRIGGERS),
    ]
