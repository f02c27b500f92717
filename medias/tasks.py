"""Celery tasks: thin wrappers around pipeline.run, with time limits, retries and a sweeper."""

import logging
import os
import uuid

from celery import shared_task
from django.db.models.functions import Length

from . import conf, pipeline, services
from .models import ProcessingJob

logger = logging.getLogger(__name__)

# Retries of a transient error (10 s, 20 s, 40 s, 80 s apart) before the job fails with the reason.
TRANSIENT_RETRIES = 4
# Seconds between the soft limit (the stage is stopped, the job failed) and the hard one (the
# process is killed): time to write the failure.
GRACE_S = 30
HEAVY = {"audio_video", "speech"}


def _run(task, job_id: int) -> str:
    worker = f"{task.request.hostname}/{os.getpid()}/{uuid.uuid4().hex[:8]}"
    may_retry = task.request.retries < TRANSIENT_RETRIES
    try:
        return pipeline.run(job_id, worker, may_retry=may_retry)
    except pipeline.TRANSIENT as exc:
        # The job was handed back; the retry (or the sweeper) claims it again.
        countdown = min(600, 10 * 2**task.request.retries)
        raise task.retry(exc=exc, countdown=countdown, max_retries=TRANSIENT_RETRIES) from exc


def time_limits(job: ProcessingJob) -> tuple[int, int]:
    """(soft, hard) seconds for this job's stage, sized from its input: a 2-hour interview's
    names take longer to find than a page's, and a photo should never take an hour."""
    base, per_unit, most = conf.time_budget(job.processor)
    if job.processor == "speech":
        # minutes of sound, measured by the stage before (else about a minute a megabyte)
        seconds = (job.media.metadata.get("audio_video") or {}).get("duration")
        units = seconds / 60 if seconds else job.media.size / 2**20
    elif job.processor == "pseudonyms":
        length = getattr(job, "text_length", None)
        units = (len(job.media.text) if length is None else length) / 100_000
    else:
        units = job.media.size / 2**20
    soft = int(min(most, base + per_unit * units))
    return soft, soft + GRACE_S


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


def job_for_sending(job_id: int) -> ProcessingJob | None:
    """The job with what its time limits are sized from, in one query."""
    return (
        ProcessingJob.objects.filter(pk=job_id)
        .select_related("media")
        .only("processor", "media__size", "media__kind", "media__metadata")
        .annotate(text_length=Length("media__text"))
        .first()
    )


def send(job: ProcessingJob, **options):
    """Publish the job's task on its queue, with the time limits of its input."""
    task = process_heavy if job.processor in HEAVY else process_light
    soft, hard = time_limits(job)
    return task.apply_async((job.pk,), soft_time_limit=soft, time_limit=hard, **options)


# The services send jobs through these (they cannot import this module: it imports them).
services.connect_sender(send, job_for_sending)
