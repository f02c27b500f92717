"""`actor_forms` on initiatives: the legal forms of their published organisations, for the facet.

The directory's actor-type facet joined 250,000 roles with their organisations and hashed the
distinct (form, initiative) pairs: 195 ms of a cold directory at 100,000 initiatives (EXPLAIN
ANALYZE). With the forms on the row, read by the facets' covering index (rebuilt here to hold
them), it is an index-only scan like the other facets, and the filter an array overlap.

A column the model does not declare (PostgreSQL only, like `theme_ids`). Triggers keep it:
- a role added, changed or removed recomputes its initiative(s);
- an organisation published, withdrawn or given another legal form recomputes the initiatives
  it has a role in (a deleted organisation deletes its roles first, which recompute);
- a recomputed search vector (what bulk loaders ask for) recomputes it too.
"published" here is the same test as `Publishable.objects.published()`: state = 'published'.
"""

from django.db import migrations

from observatoire.db import PostgreSQLOnlySQL

# The organisation is read by a scalar subquery, one primary-key probe per role: as a join, on
# tables without statistics yet (just bulk-loaded) the planner hashed every published
# organisation for each initiative, and recomputing 100,000 initiatives took over 16 minutes.
FORMS_OF = """
    CREATE FUNCTION initiative_actor_forms(initiative bigint) RETURNS varchar[]
    LANGUAGE sql STABLE AS $$
        SELECT coalesce(
            array_agg(DISTINCT form ORDER BY form) FILTER (WHERE form IS NOT NULL), '{}'
        )
        FROM (
            SELECT (
                SELECT o.legal_form FROM initiatives_organisation o
                WHERE o.id = r.organisation_id AND o.state = 'published'
            ) AS form
            FROM initiatives_role r WHERE r.initiative_id = initiative
        ) AS forms
    $$
"""

FACETS_WITH_FORMS = """
    CREATE INDEX initiative_published_facets ON initiatives_initiative (territory_id, id)
    INCLUDE (stage, start_date, sectoral_interaction, territorial_coherence,
             cross_world_alliances, theme_ids, actor_forms)
    WHERE state = 'published'
"""

FACETS = """
    CREATE INDEX initiative_published_facets ON initiatives_initiative (territory_id, id)
    INCLUDE (stage, start_date, sectoral_interaction, territorial_coherence,
             cross_world_alliances, theme_ids)
    WHERE state = 'published'
"""

FORWARDS = [
    "ALTER TABLE initiatives_initiative ADD COLUMN actor_forms varchar(20)[] NOT NULL DEFAULT '{}'",
    FORMS_OF,
    """
    CREATE FUNCTION initiative_actor_forms_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.actor_forms := initiative_actor_forms(NEW.id);
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER initiative_actor_forms BEFORE INSERT OR UPDATE OF search_vector
    ON initiatives_initiative FOR EACH ROW EXECUTE FUNCTION initiative_actor_forms_update()
    """,
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
    """
    CREATE FUNCTION organisation_changed_actor_forms() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE initiatives_initiative SET actor_forms = initiative_actor_forms(id)
        WHERE id IN (SELECT initiative_id FROM initiatives_role WHERE organisation_id = NEW.id);
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER organisation_changed_actor_forms AFTER UPDATE OF state, legal_form
    ON initiatives_organisation FOR EACH ROW
    WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.legal_form IS DISTINCT FROM NEW.legal_form)
    EXECUTE FUNCTION organisation_changed_actor_forms()
    """,
    "UPDATE initiatives_initiative SET actor_forms = initiative_actor_forms(id)",
    "DROP INDEX IF EXISTS initiative_published_facets",
    FACETS_WITH_FORMS,
]

BACKWARDS = [
    "DROP INDEX IF EXISTS initiative_published_facets",
    FACETS,
    "DROP TRIGGER IF EXISTS organisation_changed_actor_forms ON initiatives_organisation",
    "DROP FUNCTION IF EXISTS organisation_changed_actor_forms()",
    "DROP TRIGGER IF EXISTS role_changed_actor_forms ON initiatives_role",
    "DROP FUNCTION IF EXISTS role_changed_actor_forms()",
    "DROP TRIGGER IF EXISTS initiative_actor_forms ON initiatives_initiative",
    "DROP FUNCTION IF EXISTS initiative_actor_forms_update()",
    "DROP FUNCTION IF EXISTS initiative_actor_forms(bigint)",
    "ALTER TABLE initiatives_initiative DROP COLUMN IF EXISTS actor_forms",
]


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0008_territory_map_index")]

    operations = [PostgreSQLOnlySQL(FORWARDS, BACKWARDS)]
