"""The directory's default order, French collation (filters.by_name), as a partial index.

Without it every directory page sorts all published rows to show 24 (EXPLAIN ANALYZE on the
benchmark's 100,000 initiatives: a top-N heapsort over the whole table; with it, an index scan
that stops after the page). PostgreSQL only: SQLite has no ICU collation and sorts in Python order.
"""

from django.db import migrations

from observatoire.db import PostgreSQLOnlySQL


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0003_initiative_position_index")]

    operations = [
        PostgreSQLOnlySQL(
            [
                "CREATE INDEX initiative_published_fr_name ON initiatives_initiative "
                "((name COLLATE \"fr-x-icu\"), id) WHERE state = 'published'"
            ],
            ["DROP INDEX IF EXISTS initiative_published_fr_name"],
        )
    ]
