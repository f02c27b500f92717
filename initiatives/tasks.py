"""Celery tasks of the directory: thin, they call the import's services."""

from celery import shared_task

from .importing import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_import(run_id: int, stage: str) -> str:
    """A dry run or an import of a file (initiatives/importing): claimed once, idempotent."""
    return services.perform(run_id, stage)
