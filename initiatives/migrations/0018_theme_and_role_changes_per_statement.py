"""Themes and roles reach their initiatives once per statement, not once per row.

The triggers of 0002 (a theme added, changed or removed) and 0009 (a role added, changed or
removed) ran for each row, each with its own `UPDATE initiatives_initiative`. Since 0017 every
such UPDATE is also a statement for the facet counts' trigger, so an import batch of 500 rows with
two themes each ran 1,000 facet-count statements instead of one: the 10,000-row import went from
24-31 s to more than 15 minutes. Statement-level triggers read the rows from the transition tables
and update each initiative once: a batch's themes (one INSERT) cost one UPDATE and one count.

Same meaning as before: an initiative's search vector (and so its `theme_ids`) is recomputed when
one of its themes changes, its `actor_forms` when one of its roles does.
"""

from django.db import migrations

from observatoire.db import PostgreSQLOnlySQL

INITIATIVE_CONTENT_TYPE = (
    "(SELECT id FROM django_content_type WHERE app_label = 'initiatives' AND model = 'initiative')"
)
EVENTS = {
    "INSERT": "REFERENCING NEW TABLE AS new_rows",
    "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "REFERENCING OLD TABLE AS old_rows",
}


def function(name: str, ids: str, where: str, update: str) -> str:
    """A trigger function that gathers the initiative ids of the statement's rows from whichever
    transition tables its event has (plpgsql plans a branch only when it runs) and runs `update`
    once for them all."""
    return f"""
    CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        ids bigint[];
    BEGIN
        IF TG_OP = 'INSERT' THEN
            ids := ARRAY(SELECT DISTINCT {ids} FROM new_rows WHERE {where});
        ELSIF TG_OP = 'DELETE' THEN
            ids := ARRAY(SELECT DISTINCT {ids} FROM old_rows WHERE {where});
        ELSE
            ids := ARRAY(
                SELECT {ids} FROM old_rows WHERE {where}
                UNION SELECT {ids} FROM new_rows WHERE {where}
            );
        END IF;
        IF cardinality(ids) > 0 THEN
            {update} WHERE id = ANY(ids);
        END IF;
        RETURN NULL;
    END
    $$
    """


def per_statement(table: str, name: str) -> list[str]:
    """One trigger per event: PostgreSQL refuses transition tables on a trigger of several."""
    return [
        f"""
        CREATE TRIGGER {name}_{event.lower()} AFTER {event} ON {table} {referencing}
        FOR EACH STATEMENT EXECUTE FUNCTION {name}()
        """
        for event, referencing in EVENTS.items()
    ]


def drop_per_statement(table: str, name: str) -> list[str]:
    return [
        *(f"DROP TRIGGER IF EXISTS {name}_{event.lower()} ON {table}" for event in EVENTS),
        f"DROP FUNCTION IF EXISTS {name}()",
    ]


THEMES = function(
    "initiative_themes_changed",
    "object_id",
    f"content_type_id = {INITIATIVE_CONTENT_TYPE}",
    "UPDATE initiatives_initiative SET search_vector = NULL",
)
ROLES = function(
    "role_changed_actor_forms",
    "initiative_id",
    "true",
    "UPDATE initiatives_initiative SET actor_forms = initiative_actor_forms(id)",
)

FORWARDS = [
    "DROP TRIGGER IF EXISTS initiative_themes_changed ON taggit_taggeditem",
    "DROP FUNCTION IF EXISTS initiative_themes_changed()",
    THEMES,
    *per_statement("taggit_taggeditem", "initiative_themes_changed"),
    "DROP TRIGGER IF EXISTS role_changed_actor_forms ON initiatives_role",
    "DROP FUNCTION IF EXISTS role_changed_actor_forms()",
    ROLES,
    *per_statement("initiatives_role", "role_changed_actor_forms"),
]

# Back to the row-level triggers of 0002 and 0009.
BACKWARDS = [
    *drop_per_statement("initiatives_role", "role_changed_actor_forms"),
    """
    CREATE FUNCTION role_changed_actor_forms() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            UPDATE initiatives_initiative SET actor_forms = initiative_actor_forms(id)
            WHERE id = OLD.initiative_id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            UPDATE initiatives_initiative SET actor_forms = initiative_actor_forms(id)
            WHERE id = NEW.initiative_id;
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER role_changed_actor_forms AFTER INSERT OR UPDATE OR DELETE
    ON initiatives_role FOR EACH ROW EXECUTE FUNCTION role_changed_actor_forms()
    """,
    *drop_per_statement("taggit_taggeditem", "initiative_themes_changed"),
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
]


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0017_directory_facet_counts")]

    operations = [PostgreSQLOnlySQL(FORWARDS, BACKWARDS)]
