"""A job's life beyond the happy path: transient errors retried with backoff, cancellation while
running, the cap on attempts, and transcript segments handed to the fieldwork app."""

from types import SimpleNamespace

import pytest
from celery.exceptions import Retry
from django.db import OperationalError

from medias import pipeline, services, tasks
from medias.models import DerivedFile, JobState, ProcessingJob
from medias.processors import Output, images
from terrain import services as terrain_services
from terrain.models import Code, Transcript

from . import files
from .fieldwork import interview, people, region  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr(services, "send", lambda job_id: True)


def image_job(upload):
    return services.store_upload(upload("p.png", files.png()), None, "image").jobs.get()


class FakeTask:
    """The few parts of a bound Celery task that tasks._run uses; retry() records its backoff."""

    def __init__(self, retries: int):
        self.request = SimpleNamespace(hostname="test@host", retries=retries)
        self.retried = None

    def retry(self, exc, countdown, max_retries):
        self.retried = (countdown, max_retries)
        return Retry(exc=exc, when=countdown)


# --- Transient errors ------------------------------------------------------------------------


def test_a_transient_error_hands_the_job_back_and_retries_with_growing_backoff(upload, monkeypatch):
    job = image_job(upload)
    real = images.process
    monkeypatch.setattr(images, "process", lambda *args: (_ for _ in ()).throw(OperationalError()))
    countdowns = []
    for retries in range(3):
        task = FakeTask(retries)
        with pytest.raises(Retry):
            tasks._run(task, job.pk)
        countdowns.append(task.retried[0])
        job.refresh_from_db()
        assert (job.state, job.step) == (JobState.QUEUED, "Waiting to retry")
    assert countdowns == [10, 20, 40] and task.retried[1] == 4

    monkeypatch.setattr(images, "process", real)  # the database is back
    assert tasks._run(FakeTask(3), job.pk) == JobState.SUCCEEDED
    job.refresh_from_db()
    # The hand-backs were no crash of a worker: only the run that finished counts.
    assert job.state == JobState.SUCCEEDED and job.attempts == 1 and not job.error


def test_a_transient_error_that_keeps_coming_back_fails_the_job_after_the_last_retry(
    upload, monkeypatch
):
    job = image_job(upload)
    monkeypatch.setattr(images, "process", lambda *args: (_ for _ in ()).throw(ConnectionError()))
    task = FakeTask(retries=tasks.TRANSIENT_RETRIES)
    assert tasks._run(task, job.pk) == JobState.FAILED and task.retried is None
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "temporary error kept coming back" in job.error


def test_an_unexpected_error_fails_the_job_with_a_reason_and_no_retry(upload, monkeypatch):
    job = image_job(upload)
    monkeypatch.setattr(images, "process", lambda *args: 1 / 0)
    task = FakeTask(0)
    assert tasks._run(task, job.pk) == JobState.FAILED and task.retried is None
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "unexpected error" in job.error
    assert job.error_detail == "ZeroDivisionError: division by zero"  # for the staff only


# --- Cancelling ------------------------------------------------------------------------------


def test_cancelling_a_running_job_stops_it_at_its_next_step_and_keeps_nothing(upload, monkeypatch):
    job = image_job(upload)
    seen = []

    def slow_process(path, progress, context):
        progress(10, "first step")
        seen.append(ProcessingJob.objects.get(pk=job.pk).state)
        assert services.cancel_job(ProcessingJob.objects.get(pk=job.pk))  # staff press Cancel
        progress(50, "second step")  # the job learns it here
        seen.append("went on")
        return Output()

    monkeypatch.setattr(images, "process", slow_process)
    assert pipeline.run(job.pk, "w") == "cancelled"
    assert seen == [JobState.RUNNING]
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED and job.finished_at is not None
    assert job.lease_until is None  # the sweeper leaves it alone
    assert services.sweep_stale_jobs() == []
    assert not DerivedFile.objects.exists()


def test_a_cancelled_job_is_not_claimed_by_a_late_message(upload):
    job = image_job(upload)
    services.cancel_job(job)
    assert pipeline.run(job.pk, "w") == "skipped"
    assert ProcessingJob.objects.get(pk=job.pk).state == JobState.CANCELLED


# --- The attempts cap ------------------------------------------------------------------------


def test_a_job_that_keeps_losing_its_worker_is_given_up_after_the_cap(upload, settings):
    settings.MEDIA_JOB_MAX_ATTEMPTS = 3
    job = image_job(upload)
    past = services.timezone.now() - services.timedelta(seconds=1)
    for attempt in range(1, 4):  # three workers claim it and die, the sweeper requeues it
        assert pipeline.claim(job.pk, f"w{attempt}") is not None
        ProcessingJob.objects.filter(pk=job.pk).update(lease_until=past)
        assert services.sweep_stale_jobs() == [job.pk]
    assert pipeline.run(job.pk, "w4") == JobState.FAILED
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.attempts == 4
    assert job.error == "The worker stopped 3 times on this file; given up."
    assert not DerivedFile.objects.exists()
    assert services.retry_job(job)  # staff may try again: a fresh count
    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.QUEUED, 0)


# --- Transcript segments to the fieldwork app ------------------------------------------------


def run_all(media):
    for job in media.jobs.order_by("pk"):
        assert pipeline.run(job.pk, "w") == JobState.SUCCEEDED, job.error


def texts(transcript):
    return list(transcript.segments.order_by("position").values_list("speaker", "text"))


def test_a_transcript_uploaded_to_an_interview_becomes_its_segments(
    upload,
    interview,  # noqa: F811
):
    media = services.store_upload(upload("t.vtt", files.WEBVTT.encode()), interview, "transcript")
    run_all(media)
    transcript = Transcript.objects.get(interview=interview)
    segments = texts(transcript)
    assert [speaker for speaker, _text in segments] == ["Ophélie Langlais", "Marc"]
    assert segments[1][1] == "Nous sommes à Bruay-la-Buissière depuis 2019."
    ids = list(transcript.segments.values_list("pk", flat=True))

    job = media.jobs.get(processor="transcripts")
    ProcessingJob.objects.filter(pk=job.pk).update(state=JobState.QUEUED)
    assert pipeline.run(job.pk, "again") == JobState.SUCCEEDED
    assert list(transcript.segments.values_list("pk", flat=True)) == ids  # same rows, no copies


def test_segments_go_to_import_segments_for_a_transcript_owner(
    upload,
    interview,  # noqa: F811
    monkeypatch,
):
    transcript = Transcript.objects.create(interview=interview)
    calls = []
    real = terrain_services.import_segments
    monkeypatch.setattr(
        terrain_services,
        "import_segments",
        lambda owner, segments: calls.append((owner, segments)) or real(owner, segments),
    )
    media = services.store_upload(upload("t.vtt", files.WEBVTT.encode()), transcript, "transcript")
    assert pipeline.run(media.jobs.get(processor="transcripts").pk, "w") == JobState.SUCCEEDED
    [(owner, segments)] = calls
    assert owner == transcript and segments[0] == {
        "speaker": "Ophélie Langlais",
        "start_ms": 1000,
        "end_ms": 4000,
        "text": "Bonjour, je suis Ophélie Langlais, de la Maison des échanges.",
    }


def test_a_coded_transcript_keeps_its_segments_and_the_job_says_why(
    upload,
    interview,  # noqa: F811
    people,  # noqa: F811
):
    transcript = Transcript.objects.create(interview=interview)
    [segment] = terrain_services.import_segments(
        transcript, [{"speaker": "A", "start_ms": 0, "end_ms": 1000, "text": "Déjà codé."}]
    )
    code = Code.objects.create(season=interview.visit.season, name="Confiance")
    terrain_services.code_excerpt(segment, 0, 5, [code], coder=people["member"])
    media = services.store_upload(upload("t.vtt", files.WEBVTT.encode()), interview, "transcript")
    job = media.jobs.get(processor="transcripts")
    assert pipeline.run(job.pk, "w") == JobState.FAILED
    job.refresh_from_db()
    assert "already coded" in job.error
    assert texts(transcript) == [("A", "Déjà codé.")]
