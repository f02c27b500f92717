"""The words of the public texts, for correcting a typed query (observatoire/search.py, `correct`).

PostgreSQL only: the search vectors hold French stems, which are poor to compare a typo with, so
the words themselves (folded, unstemmed) are kept here with the number of rows that use them,
under a trigram index (pg_trgm's documented way of suggesting spellings). `refresh_words()` fills
it from the published rows. SQLite reads the same words from its FTS5 vocabularies instead.
"""

from django.db import migrations

from observatoire.db import PostgreSQLOnlySQL


class Migration(migrations.Migration):
    dependencies = [("observatoire", "0002_sqlite_full_text_search")]

    operations = [
        PostgreSQLOnlySQL(
            """
            CREATE TABLE search_word (
                word text PRIMARY KEY,
                documents integer NOT NULL
            );
            CREATE INDEX search_word_trgm ON search_word USING gin (word gin_trgm_ops);
            """,
            "DROP TABLE IF EXISTS search_word",
        ),
    ]
