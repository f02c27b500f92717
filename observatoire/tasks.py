"""Periodic upkeep of the site search."""

from celery import shared_task

from observatoire import search


@shared_task(acks_late=True)
def refresh_search_words() -> int:
    """The words a mistyped query is corrected to, from what is published now (hourly)."""
    return search.refresh_words()
