"""`theme_ids` on initiatives: the sorted ids of their themes, for the "similar initiatives" ranking.

A column the model does not declare (PostgreSQL only, like the search vectors): a trigger fills
it whenever the search vector is recomputed, which the theme trigger of 0002 already asks for on
every theme added, removed or renamed, and bulk loaders ask for with `search_vector = NULL`.
Two indexes serve initiatives/similar.py: GIN for "holds these themes", and (over published rows)
the id with the themes included, for "newest first" without reading the table.
"""

from django.db import migrations

from observatoire.db import PostgreSQLOnlySQL

THEMES_OF_NEW = """
    SELECT coalesce(array_agg(item.tag_id ORDER BY item.tag_id), '{}')
    FROM taggit_taggeditem item
    JOIN django_content_type ct ON ct.id = item.content_type_id
    WHERE ct.app_label = 'initiatives' AND ct.model = 'initiative' AND item.object_id = NEW.id
"""

FORWARDS = [
    "ALTER TABLE initiatives_initiative ADD COLUMN theme_ids integer[] NOT NULL DEFAULT '{}'",
    f"""
    CREATE FUNCTION initiative_theme_ids_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.theme_ids := ({THEMES_OF_NEW});
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER initiative_theme_ids BEFORE INSERT OR UPDATE OF search_vector
    ON initiatives_initiative FOR EACH ROW EXECUTE FUNCTION initiative_theme_ids_update()
    """,
    """
    UPDATE initiatives_initiative initiative SET theme_ids = themes.ids FROM (
        SELECT item.object_id, array_agg(item.tag_id ORDER BY item.tag_id) AS ids
        FROM taggit_taggeditem item
        JOIN django_content_type ct ON ct.id = item.content_type_id
        WHERE ct.app_label = 'initiatives' AND ct.model = 'initiative'
        GROUP BY item.object_id
    ) themes WHERE themes.object_id = initiative.id
    """,
    # Not partial: a partial GIN index over every published row is also a (slow) way to list
    # them, and the planner took it for the nearby query's "published" (16 ms per profile).
    "CREATE INDEX initiative_themes ON initiatives_initiative USING gin (theme_ids)",
    """
    CREATE INDEX initiative_published_themes_by_id ON initiatives_initiative (id)
    INCLUDE (theme_ids) WHERE state = 'published'
    """,
]

BACKWARDS = [
    "DROP INDEX IF EXISTS initiative_published_themes_by_id",
    "DROP INDEX IF EXISTS initiative_themes",
    "DROP TRIGGER IF EXISTS initiative_theme_ids ON initiatives_initiative",
    "DROP FUNCTION IF EXISTS initiative_theme_ids_update()",
    "ALTER TABLE initiatives_initiative DROP COLUMN IF EXISTS theme_ids",
]


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0005_position_index_holds_id"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [PostgreSQLOnlySQL(FORWARDS, BACKWARDS)]
