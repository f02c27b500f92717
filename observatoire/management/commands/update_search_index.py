"""Recompute the search vectors (the triggers keep them current; this repairs or refreshes)."""

from django.core.management.base import BaseCommand
from django.db import connection

from observatoire.search import reindex, searchable_models


class Command(BaseCommand):
    help = (
        "Recompute the full-text search vectors of initiatives, organisations, PTCEs and "
        "territories. Writes are indexed by database triggers; run this after a restore made "
        "with triggers disabled or after the vectors' definition changed. No-op on SQLite."
    )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("Full-text search needs PostgreSQL; nothing to index.")
            return
        for model in searchable_models():
            count = reindex(model)
            self.stdout.write(f"{model._meta.label}: {count} indexed")
