"""The search vector's GIN index covers only the rows the search can show (state = 'published').

As the initiatives' (migration initiatives 0021, which says why): the search reads the vectors
only through `published()`, and the full index was read by nothing else.
"""

from django.db import migrations

from observatoire.db import PostgreSQLOnlySQL

FORWARDS = [
    "CREATE INDEX finding_public_search_vector ON terrain_finding USING gin (search_vector) "
    "WHERE state = 'published'",
    "DROP INDEX IF EXISTS finding_search_vector",
]
BACKWARDS = [
    "CREATE INDEX finding_search_vector ON terrain_finding USING gin (search_vector)",
    "DROP INDEX IF EXISTS finding_public_search_vector",
]


class Migration(migrations.Migration):
    dependencies = [("terrain", "0011_visit_season_order")]

    operations = [PostgreSQLOnlySQL(FORWARDS, BACKWARDS)]
