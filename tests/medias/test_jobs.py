"""A job's life beyond the happy path: transient errors retried with backoff, cancellation while
running, the cap on attempts, and transcript segments handed to the fieldwork app."""

from types import SimpleNamespace

import pytest
from celery.exceptions import Retry, SoftTimeLimitExceeded
from django.core.files.base import ContentFile
from django.db import OperationalError

from medias import leases, pipeline, services, tasks
from medias.models import DerivedFile, JobState, MediaFile, ProcessingJob
from medias.processors import Output, ProcessingError, images
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
    private_media,
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
    # The rendition written before the refusal went with the rolled-back rows: no orphan file.
    assert not DerivedFile.objects.filter(media=media).exists()
    assert not (private_media / "medias" / str(media.pk)).exists() or not any(
        (private_media / "medias" / str(media.pk)).iterdir()
    )


# --- Fencing: only the holder of a job writes it ---------------------------------------------


def taken_over(job_id: int) -> ProcessingJob:
    """What the sweeper and a second worker do to a job whose lease ran out: claim it again."""
    past = services.timezone.now() - services.timedelta(seconds=1)
    ProcessingJob.objects.filter(pk=job_id).update(lease_until=past)
    newer = pipeline.claim(job_id, "newer-worker")
    assert newer is not None
    return newer


def test_a_stale_claim_can_neither_finish_nor_fail_nor_renew_the_job(upload):
    job = image_job(upload)
    stale = pipeline.claim(job.pk, "stale-worker")
    newer = taken_over(job.pk)
    assert (stale.fencing_token, newer.fencing_token) == (1, 2)
    assert not pipeline.fail(stale, "The image is damaged or truncated.")
    assert not pipeline.finish(stale)
    assert not pipeline.hand_back(stale)
    assert not leases.renew(stale)
    job.refresh_from_db()
    assert (job.state, job.worker, job.error_message) == (JobState.RUNNING, "newer-worker", "")
    assert leases.renew(newer)


@pytest.mark.parametrize(
    "failure",
    [
        ProcessingError("The image is damaged or truncated."),
        SoftTimeLimitExceeded(),
        ZeroDivisionError("division by zero"),
        OperationalError("the database went away"),
    ],
    ids=["processing error", "time limit", "bug", "transient"],
)
def test_a_stale_attempts_failure_leaves_the_newer_attempt_alone(upload, monkeypatch, failure):
    job = image_job(upload)

    def stage_that_loses_its_job_then_fails(path, progress, context):
        taken_over(job.pk)  # meanwhile, the sweeper requeued it and another worker claimed it
        raise failure

    monkeypatch.setattr(images, "process", stage_that_loses_its_job_then_fails)
    assert pipeline.run(job.pk, "stale-worker") == "cancelled"  # it wrote nothing
    job.refresh_from_db()
    assert (job.state, job.worker, job.fencing_token) == (JobState.RUNNING, "newer-worker", 2)
    assert job.error_message == "" and job.finished_at is None


# --- Stages: a failed first stage leaves nothing queued behind it -----------------------------

OVERLAPPING = (
    b"WEBVTT\n\n00:00:01.000 --> 00:00:05.000\nA: un\n\n00:00:02.000 --> 00:00:03.000\nB: x\n"
)


def test_the_later_stage_waits_then_stops_when_the_first_fails(upload):
    media = services.store_upload(upload("t.vtt", OVERLAPPING), None, "transcript")
    first, second = media.jobs.order_by("pk")
    assert (first.state, second.state) == (JobState.QUEUED, JobState.WAITING)
    assert pipeline.run(first.pk, "w") == JobState.FAILED
    second.refresh_from_db()
    assert second.state == JobState.CANCELLED
    assert second.error == "Not run: the stage before it did not succeed."
    assert services.sweep_stale_jobs(now=services.timezone.now() + services.timedelta(days=1)) == []
    assert not ProcessingJob.objects.filter(state__in=[JobState.QUEUED, JobState.WAITING]).exists()


def test_retrying_the_later_stage_restarts_from_the_first_one(upload):
    media = services.store_upload(upload("t.vtt", OVERLAPPING), None, "transcript")
    first, second = media.jobs.order_by("pk")
    pipeline.run(first.pk, "w")
    assert services.retry_job(ProcessingJob.objects.get(pk=second.pk))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (JobState.QUEUED, JobState.WAITING)
    # The file is fixed in place (as an admin would), and the first stage now succeeds.
    media.original.save(media.checksum, ContentFile(files.WEBVTT.encode()), save=True)
    assert pipeline.run(first.pk, "w") == JobState.SUCCEEDED
    second.refresh_from_db()
    assert second.state == JobState.QUEUED
    assert pipeline.run(second.pk, "w") == JobState.SUCCEEDED


def test_cancelling_the_first_stage_stops_the_later_one(upload):
    media = services.store_upload(upload("t.vtt", files.WEBVTT.encode()), None, "transcript")
    first, second = media.jobs.order_by("pk")
    assert services.cancel_job(first)
    second.refresh_from_db()
    assert second.state == JobState.CANCELLED


# --- Time limits sized from the input ---------------------------------------------------------


def test_the_time_limit_of_a_stage_grows_with_its_input(upload):
    small = services.store_upload(upload("t.vtt", files.WEBVTT.encode()), None, "transcript")
    names = small.jobs.get(processor="pseudonyms")
    MediaFile.objects.filter(pk=small.pk).update(text="Bonjour Marc. " * 10)
    short = tasks.time_limits(tasks.job_for_sending(names.pk))
    MediaFile.objects.filter(pk=small.pk).update(text="Bonjour Marc. " * 200_000)  # 2.8 M chars
    long = tasks.time_limits(tasks.job_for_sending(names.pk))
    assert short[0] < 150 and long[0] > 1000  # the name finding reads the whole text
    assert long[1] - long[0] == tasks.GRACE_S
    photo = tasks.time_limits(image_job(upload))
    assert photo[0] <= 300  # a photo never gets hours
