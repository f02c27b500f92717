"""The search vectors' GIN indexes cover only the rows the search can show (state = 'published').

The search reads the vectors only through `published()`. Over every row, with that condition as a
filter, the planner could AND the GIN bitmap with a bitmap of the condition's own index (every
published row): at national scale 5-6 ms of the index read for a common word, whenever the
statistics made it look cheaper. A partial index holds exactly the rows the search may show and
needs no filter; the full indexes were read by nothing else.
"""

from django.db import migrations

from observatoire.db import PostgreSQLOnlySQL

FORWARDS = [
    "CREATE INDEX initiative_public_search_vector ON initiatives_initiative USING gin (search_vector) "
    "WHERE state = 'published'",
    "DROP INDEX IF EXISTS initiative_search_vector",
    "CREATE INDEX organisation_public_search_vector ON initiatives_organisation USING gin (search_vector) "
    "WHERE state = 'published'",
    "DROP INDEX IF EXISTS organisation_search_vector",
    "CREATE INDEX pole_public_search_vector ON initiatives_pole USING gin (search_vector) "
    "WHERE state = 'published'",
    "DROP INDEX IF EXISTS pole_search_vector",
]
BACKWARDS = [
    "CREATE INDEX initiative_search_vector ON initiatives_initiative USING gin (search_vector)",
    "DROP INDEX IF EXISTS initiative_public_search_vector",
    "CREATE INDEX organisation_search_vector ON initiatives_organisation USING gin (search_vector)",
    "DROP INDEX IF EXISTS organisation_public_search_vector",
    "CREATE INDEX pole_search_vector ON initiatives_pole USING gin (search_vector)",
    "DROP INDEX IF EXISTS pole_public_search_vector",
]


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0020_published_per_territory_path")]

    operations = [PostgreSQLOnlySQL(FORWARDS, BACKWARDS)]
