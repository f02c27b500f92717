"""The search vector's GIN index covers only the rows the search can show (is_current).

As the initiatives' (migration initiatives 0021, which says why): the search reads the vectors
only through `current()`, and the full index was read by nothing else.
"""

from django.db import migrations

from observatoire.db import PostgreSQLOnlySQL

FORWARDS = [
    "CREATE INDEX territory_public_search_vector ON territoires_territory USING gin (search_vector) "
    "WHERE is_current",
    "DROP INDEX IF EXISTS territory_search_vector",
]
BACKWARDS = [
    "CREATE INDEX territory_search_vector ON territoires_territory USING gin (search_vector)",
    "DROP INDEX IF EXISTS territory_public_search_vector",
]


class Migration(migrations.Migration):
    dependencies = [("territoires", "0003_postcodes_search_name_collectivities")]

    operations = [PostgreSQLOnlySQL(FORWARDS, BACKWARDS)]
