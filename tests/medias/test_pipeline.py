"""The job runner without Celery: outputs saved once, hostile files fail with a reason."""

import pytest

from medias import pipeline, services
from medias.models import DerivedFile, JobState, ProcessingJob

from . import files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr(services, "send", lambda job_id: True)


def run_upload(upload, name, content, kind):
    media = services.store_upload(upload(name, content), None, kind)
    job = media.jobs.order_by("pk").first()
    state = pipeline.run(job.pk, "test-worker")
    return media, ProcessingJob.objects.get(pk=job.pk), state


def test_running_a_job_twice_leaves_one_set_of_outputs(
    upload, private_media, django_capture_on_commit_callbacks
):
    media, job, state = run_upload(upload, "p.jpg", files.jpeg(), "image")
    assert state == JobState.SUCCEEDED and job.progress == 100
    first = set((private_media / "medias" / str(media.pk)).iterdir())
    ProcessingJob.objects.filter(pk=job.pk).update(state=JobState.QUEUED)
    # The replaced files are deleted once the second run's results are committed.
    with django_capture_on_commit_callbacks(execute=True):
        assert pipeline.run(job.pk, "another-worker") == JobState.SUCCEEDED
    assert DerivedFile.objects.filter(media=media).count() == 3
    stored = set((private_media / "medias" / str(media.pk)).iterdir())
    assert len(stored) == 3 and not stored & first
    assert stored == {private_media / row.file.name for row in media.derived.all()}
    media.refresh_from_db()
    assert media.metadata["images"]["width"] == 480


def test_a_job_held_by_a_live_worker_is_not_run_again(upload):
    media = services.store_upload(upload("p.png", files.png()), None, "image")
    job = media.jobs.get()
    assert pipeline.claim(job.pk, "first") is not None
    assert pipeline.run(job.pk, "second") == "skipped"


def test_transcript_then_pseudonyms(upload):
    media, job, state = run_upload(upload, "t.vtt", files.WEBVTT.encode(), "transcript")
    assert state == JobState.SUCCEEDED
    follow = media.jobs.get(processor="pseudonyms")
    assert pipeline.run(follow.pk, "w") == JobState.SUCCEEDED
    names = set(media.pseudonyms.values_list("name", flat=True))
    assert {"Ophélie", "Marc"} <= names


HOSTILE = [
    ("truncated.jpg", files.jpeg()[:3000], "image", "damaged or truncated"),
    ("bomb.png", files.decompression_bomb(), "image", "pixels"),
    ("huge.png", files.png_with_huge_declared_size(), "image", "pixels"),
    ("bomb.docx", files.zip_bomb_docx(), "document", "zip bomb"),
    ("js.pdf", files.pdf(javascript=True), "document", "active content"),
    ("broken.wav", files.wav()[:44].replace(b"fmt ", b"fmX "), "audio", "cannot be read"),
    (
        "overlap.vtt",
        b"WEBVTT\n\n00:00:01.000 --> 00:00:05.000\nA: un\n\n00:00:02.000 --> 00:00:03.000\nB: x\n",
        "transcript",
        "overlap",
    ),
]


@pytest.mark.parametrize(
    ("name", "content", "kind", "reason"), HOSTILE, ids=[h[0] for h in HOSTILE]
)
def test_hostile_files_end_as_failed_jobs_with_a_reason(upload, name, content, kind, reason):
    try:
        media, job, state = run_upload(upload, name, content, kind)
    except services.UploadRefused as refused:  # refused at the door is fine too
        assert refused.message
        return
    assert state == JobState.FAILED
    assert reason in job.error
    assert not DerivedFile.objects.filter(media=media).exists()
