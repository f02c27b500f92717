"""Full-text search on SQLite (the embedded default): FTS5 tables kept up to date by triggers.

The PostgreSQL vectors come from the 0002 migrations of initiatives, territoires and terrain; this
is their SQLite counterpart (observatoire/search_sqlite.py), and does nothing on PostgreSQL.
"""

from django.db import migrations


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from observatoire import search_sqlite

        search_sqlite.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from observatoire import search_sqlite

        search_sqlite.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("observatoire", "0001_search"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("initiatives", "0009_initiative_actor_forms"),
        ("territoires", "0003_postcodes_search_name_collectivities"),
        ("terrain", "0003_consent_expiry_applied"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
