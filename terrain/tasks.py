"""Celery tasks of fieldwork: thin, they call terrain.services."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def apply_expired_consents() -> int:
    """Daily: consents past their `valid until` leave the search index; staff are told once."""
    return services.apply_expired_consents()
