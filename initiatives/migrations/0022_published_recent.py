"""The home page's latest initiatives from one index: published, newest first.

The home page shows the six most recently published initiatives. The only index in that order
(0008) holds the located ones, so the home page sorted every published initiative instead (85,000
rows at national scale: 122 ms of a cold home page of 640). Walking this index stops after the
sixth row.
"""

from django.db import migrations

from observatoire.db import PostgreSQLOnlySQL

RECENT = """
    CREATE INDEX initiative_published_recent ON initiatives_initiative (published_at DESC, id DESC)
    WHERE state = 'published'
"""


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0021_published_search_vectors")]

    operations = [
        PostgreSQLOnlySQL([RECENT], ["DROP INDEX IF EXISTS initiative_published_recent"]),
    ]
