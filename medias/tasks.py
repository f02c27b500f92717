"""Celery tasks: thin wrappers around pipeline.run, with time limits, retries and a sweeper."""

import logging
import os
import uuid

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _

from . import pipeline, services
from .models import JobState, ProcessingJob

logger = logging.getLogger(__name__)

# Errors worth another try later: the database, the broker or the object store hiccuped.
TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
# Retries of a transient error (10 s, 20 s, 40 s, 80 s apart) before the job fails with the reason.
TRANSIENT_RETRIES = 4
# Seconds (soft, hard) each processor may take before its job fails as too long.
TIME_LIMITS = {
    "images": (120, 150),
    "documents": (300, 330),
    "transcripts": (120, 150),
    "pseudonyms": (600, 660),
    "audio_video": (3 * 3600, 3 * 3600 + 120),
}
HEAVY = {"audio_video"}


def _run(task, job_id: int) -> str:
    worker = f"{task.request.hostname}/{os.getpid()}/{uuid.uuid4().hex[:8]}"
    try:
        return pipeline.run(job_id, worker)
    except SoftTimeLimitExceeded:
        _fail(job_id, _("The processing took too long and was stopped."))
        return JobState.FAILED
    except TRANSIENT as exc:
        if task.request.retries >= TRANSIENT_RETRIES:
            _fail(
                job_id,
                _("A temporary error kept coming back (%(error)s); retry the job later.")
                % {"error": exc},
            )
            return JobState.FAILED
        # Hand the job back so that the retry (or the sweeper) can claim it again; the worker did
        # not die, so this attempt does not count toward the cap on attempts.
        ProcessingJob.objects.filter(pk=job_id, state=JobState.RUNNING).update(
            state=JobState.QUEUED,
            step=_("Waiting to retry"),
            attempts=Greatest(F("attempts") - 1, 0),
        )
        countdown = min(600, 10 * 2**task.request.retries)
        raise task.retry(exc=exc, countdown=countdown, max_retries=TRANSIENT_RETRIES) from exc
    except Exception as exc:  # a bug or a library crash on a hostile file: fail, keep the worker
        logger.exception("Job %s failed unexpectedly", job_id)
        _fail(job_id, _("Unexpected error while processing: %(error)s") % {"error": exc})
        return JobState.FAILED


def _fail(job_id: int, reason: str) -> None:
    from django.utils import timezone

    ProcessingJob.objects.filter(pk=job_id, state=JobState.RUNNING).update(
        state=JobState.FAILED,
        error=reason[:2000],
        finished_at=timezone.now(),
        lease_until=None,
        progress=F("progress"),
    )


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def process_light(self, job_id: int) -> str:
    """Images, documents, transcripts and pseudonyms: the default queue."""
    return _run(self, job_id)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def process_heavy(self, job_id: int) -> str:
    """Audio and video: the media-heavy queue, so that thumbnails never wait behind them."""
    return _run(self, job_id)


@shared_task(ignore_result=True)
def sweep_stale_jobs() -> list[int]:
    """Beat runs this every minute: requeue jobs whose worker or message was lost."""
    requeued = services.sweep_stale_jobs()
    if requeued:
        logger.warning("Requeued %s stale media jobs: %s", len(requeued), requeued)
    return requeued


class _Bound:
    """A task with the time limits of one processor, as apply_async options."""

    def __init__(self, task, processor: str):
        self.task, self.processor = task, processor

    def apply_async(self, args, **options):
        soft, hard = TIME_LIMITS[self.processor]
        return self.task.apply_async(args, soft_time_limit=soft, time_limit=hard, **options)


def task_for(processor: str) -> _Bound:
    return _Bound(process_heavy if processor in HEAVY else process_light, processor)
