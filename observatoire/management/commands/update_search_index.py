"""Recompute the search index (the triggers keep it current; this repairs or refreshes it)."""

from django.core.management.base import BaseCommand
from django.db import connection

from observatoire import search_sqlite
from observatoire.search import refresh_words, reindex, searchable_models


class Command(BaseCommand):
    help = (
        "Recompute the full-text search index of initiatives, organisations, PTCEs, territories "
        "and findings: the search vectors on PostgreSQL, the FTS5 tables on SQLite. Writes are "
        "indexed by database triggers; run this after a restore made with triggers disabled or "
        "after the index's definition changed. On SQLite it also recreates missing triggers. "
        "On PostgreSQL it also rebuilds the words that mistyped queries are corrected to."
    )

    def handle(self, *args, **options):
        sqlite = connection.vendor == "sqlite"
        if sqlite:
            search_sqlite.install(connection)  # tables, triggers, and every row indexed again
        for model in searchable_models():
            count = model._default_manager.count() if sqlite else reindex(model)
            self.stdout.write(f"{model._meta.label}: {count} indexed")
        if not sqlite:
            self.stdout.write(f"words of the public texts: {refresh_words()}")
