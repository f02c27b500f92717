"""Leases against a real Celery worker: a stage longer than the lease keeps it and runs once, a
stale attempt cannot fail a job that a newer attempt holds, cancel stops a stage in its middle,
the time limit stops a stage, and a failed first stage leaves nothing queued behind it.

The worker's lease is 4 s (worker.py); MEDIA_STEP_DELAY makes each progress step of a stage last
that many seconds without a word to the database, as spaCy does on a long transcript.
"""

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from medias import pipeline, services
from medias.models import DerivedFile, JobState, ProcessingJob

from . import files
from .worker import wait_for, worker_factory  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db(transaction=True)
ENDED = (JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED)


def row(pk) -> ProcessingJob:
    return ProcessingJob.objects.get(pk=pk)


def start_worker(worker_factory, **env):  # noqa: F811
    """A worker, once it listens: a job sent before would wait past its queued lease."""
    worker = worker_factory(**env)
    wait_for(lambda: " ready." in worker_factory.log.read_text(), log=worker_factory.log)
    return worker


def document_job(upload) -> ProcessingJob:
    media = services.store_upload(upload("rapport.docx", files.docx(["Bonjour"])), None, "document")
    return media.jobs.get()


def tasks_received(log) -> int:
    """Tasks the worker received for a job it could run. A message another test left on the
    shared broker, for a job that test rolled back, is received too and skipped at once."""
    text = log.read_text()
    received = re.findall(r"\[([0-9a-f-]{36})\] received", text)
    skipped = set(re.findall(r"\[([0-9a-f-]{36})\] succeeded in [^:]*: 'skipped'", text))
    return len([task for task in received if task not in skipped])


def test_a_stage_longer_than_the_lease_keeps_its_lease_and_runs_once(worker_factory, upload):  # noqa: F811
    start_worker(worker_factory, MEDIA_STEP_DELAY="6")  # two silent steps of 6 s, lease 4 s
    job = document_job(upload)
    requeued = []

    def ended():
        requeued.extend(services.sweep_stale_jobs())  # beat's sweeper, all along
        current = row(job.pk)
        return current.state in ENDED and current

    done = wait_for(ended, timeout=90, log=worker_factory.log, what="the job to end")
    assert done.state == JobState.SUCCEEDED, done.error
    assert requeued == []  # never presumed lost
    assert (done.attempts, done.fencing_token) == (1, 1)  # claimed once
    assert tasks_received(worker_factory.log) == 1


def test_a_stale_attempts_failure_cannot_mark_the_job_failed(
    worker_factory,  # noqa: F811
    upload,
    settings,
):
    # The stale copy will overrun a 3-second time limit in the middle of an 8-second step.
    settings.MEDIA_JOB_TIME_BUDGETS = {"documents": (3, 0, 3)}
    start_worker(worker_factory, MEDIA_STEP_DELAY="8")
    job = document_job(upload)
    wait_for(
        lambda: row(job.pk).progress >= 20, log=worker_factory.log, what="the stage to be busy"
    )
    # The worker's machine froze past its lease: the sweeper requeued the job and a second worker
    # claimed it (this test process plays that worker).
    ProcessingJob.objects.filter(pk=job.pk).update(
        lease_until=timezone.now() - timedelta(seconds=1)
    )
    newer = pipeline.claim(job.pk, "newer-worker")
    assert newer.fencing_token == 2
    wait_for(
        lambda: "succeeded in" in worker_factory.log.read_text(),
        log=worker_factory.log,
        what="the stale attempt to end",
    )
    current = row(job.pk)
    assert (current.state, current.worker, current.fencing_token) == (
        JobState.RUNNING,
        "newer-worker",
        2,
    )
    assert current.error_message == "" and current.finished_at is None


def test_cancel_during_a_stage_stops_it_at_the_next_heartbeat(worker_factory, upload):  # noqa: F811
    start_worker(worker_factory, MEDIA_STEP_DELAY="30")
    job = document_job(upload)
    wait_for(
        lambda: row(job.pk).progress >= 20, log=worker_factory.log, what="the stage to be busy"
    )
    cancelled_at = time.monotonic()
    assert services.cancel_job(row(job.pk))  # staff press Cancel on the board
    wait_for(
        lambda: "'cancelled'" in worker_factory.log.read_text(),
        log=worker_factory.log,
        what="the worker to stop the stage",
    )
    # Stopped within a beat of the lease keeper (4 s / 3), not at the end of the 30-second step.
    assert time.monotonic() - cancelled_at < 10
    current = row(job.pk)
    assert current.state == JobState.CANCELLED
    assert not DerivedFile.objects.filter(media=current.media).exists()
    assert current.media.text == ""


def test_a_stage_past_its_time_limit_fails_with_a_sentence(worker_factory, upload, settings):  # noqa: F811
    settings.MEDIA_JOB_TIME_BUDGETS = {"documents": (2, 0, 2)}
    start_worker(worker_factory, MEDIA_STEP_DELAY="6")
    job = document_job(upload)
    done = wait_for(
        lambda: row(job.pk).state in ENDED and row(job.pk), log=worker_factory.log, what="the end"
    )
    assert done.state == JobState.FAILED
    assert done.error == "The processing took longer than allowed for a file of this size."


def test_a_failed_first_stage_leaves_no_second_stage_queued(worker_factory, upload):  # noqa: F811
    start_worker(worker_factory)
    overlapping = (
        b"WEBVTT\n\n00:00:01.000 --> 00:00:05.000\nA: un\n\n00:00:02.000 --> 00:00:03.000\nB: x\n"
    )
    media = services.store_upload(upload("t.vtt", overlapping), None, "transcript")
    first, second = media.jobs.order_by("pk")
    wait_for(
        lambda: row(first.pk).state == JobState.FAILED,
        log=worker_factory.log,
        what="the transcript stage to fail",
    )
    second = row(second.pk)
    assert second.state == JobState.CANCELLED
    assert second.error == "Not run: the stage before it did not succeed."
    assert services.sweep_stale_jobs() == []
    assert not ProcessingJob.objects.filter(state__in=[JobState.QUEUED, JobState.WAITING]).exists()
