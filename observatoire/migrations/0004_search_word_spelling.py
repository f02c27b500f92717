"""Each word of the public texts keeps how it is most often written (`spelling`, accents kept).

`search_word.word` is folded (no accents) to compare a typed word with; a correction shown to a
person and searched for is the written form: « échanges », not « echanges ». Filled by the next
`refresh_words()` (the hourly task); until then a correction falls back to the folded word.
"""

from django.db import migrations

from observatoire.db import PostgreSQLOnlySQL


class Migration(migrations.Migration):
    dependencies = [("observatoire", "0003_search_words")]

    operations = [
        PostgreSQLOnlySQL(
            "ALTER TABLE search_word ADD COLUMN spelling text",
            "ALTER TABLE search_word DROP COLUMN IF EXISTS spelling",
        ),
    ]
