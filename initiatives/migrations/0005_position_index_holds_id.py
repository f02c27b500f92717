"""The position index also holds the id, so "nearby" ranks a profile's neighbours from it alone.

EXPLAIN ANALYZE on the benchmark's 10,000 initiatives: the profile's nearby query used this
partial index for its bounding box but then read every row of the box from the table (650 rows,
500 to 950 heap pages) to get their ids. With the id in the index (INCLUDE) the ranking is an index
only scan. PostgreSQL only (covering indexes); the model still declares the plain index, whose
name and key columns are unchanged.
"""

from django.db import migrations

from observatoire.db import PostgreSQLOnlySQL

PLAIN = (
    "CREATE INDEX initiative_published_position ON initiatives_initiative (longitude, latitude) "
    "WHERE latitude IS NOT NULL AND state = 'published'"
)
COVERING = (
    "CREATE INDEX initiative_published_position ON initiatives_initiative (longitude, latitude) "
    "INCLUDE (id) WHERE latitude IS NOT NULL AND state = 'published'"
)


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0004_directory_name_index")]

    operations = [
        PostgreSQLOnlySQL(
            ["DROP INDEX IF EXISTS initiative_published_position", COVERING],
            ["DROP INDEX IF EXISTS initiative_published_position", PLAIN],
        )
    ]
