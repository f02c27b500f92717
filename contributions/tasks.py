"""Thin Celery tasks of contributions."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def purge_unconfirmed() -> int:
    """Daily: proposals and claims never confirmed, once their link has expired, are forgotten."""
    return services.purge_unconfirmed()
