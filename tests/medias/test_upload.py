"""Uploads: type sniffed from the content, limits per kind, one transaction, task sent on commit."""

import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile

from medias import services
from medias.models import JobState, MediaFile, ProcessingJob
from medias.services import UploadRefused

from . import files

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    calls = []
    monkeypatch.setattr(services, "send", calls.append)
    return calls


def test_upload_keeps_file_and_queues_its_job_on_commit(
    upload, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        media = services.store_upload(upload("photo.JPG", files.jpeg()), None, "image")
    assert media.mime_type == "image/jpeg" and media.size > 0 and len(media.checksum) == 64
    job = media.jobs.get()
    assert (job.processor, job.state) == ("images", JobState.QUEUED)
    assert job.lease_until is not None
    assert sent == [job.pk]
    assert media.original.read()[:2] == b"\xff\xd8"


def test_transcript_gets_two_stages_only_the_first_sent(
    upload, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        media = services.store_upload(upload("t.vtt", files.WEBVTT.encode()), None, "transcript")
    assert list(media.jobs.order_by("pk").values_list("processor", flat=True)) == [
        "transcripts", "pseudonyms",
    ]  # fmt: skip
    assert sent == [media.jobs.get(processor="transcripts").pk]


@pytest.mark.parametrize(
    ("name", "content", "kind", "message"),
    [
        ("vide.jpg", b"", "image", "empty"),
        ("photo.jpg", files.png(), "image", "named .jpg"),
        ("photo.png", b"MZ\x90\x00" + b"\x00" * 200, "image", "not accepted"),
        ("photo.png", files.png(), "audio", "not accepted"),
        ("rapport.docx", b"PK\x03\x04" + b"\x00" * 100, "document", "not accepted"),
    ],
)
def test_refused_uploads_say_why_and_keep_nothing(upload, sent, name, content, kind, message):
    with pytest.raises(UploadRefused, match=message):
        services.store_upload(upload(name, content), None, kind)
    assert not MediaFile.objects.exists() and not sent


def test_a_200_mb_text_file_is_refused_before_being_read(tmp_path, sent, settings):
    big = TemporaryUploadedFile("long.txt", "text/plain", 200 * 2**20, "utf-8")
    big.file.truncate(200 * 2**20)  # sparse: nothing is written
    with pytest.raises(UploadRefused, match="too large"):
        services.store_upload(big, None, "transcript")
    big.close()


def test_broker_down_keeps_the_job_queued_for_the_sweeper(
    upload, monkeypatch, django_capture_on_commit_callbacks
):
    from medias import tasks

    def down(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(tasks.process_light, "apply_async", down)
    with django_capture_on_commit_callbacks(execute=True):
        media = services.store_upload(upload("p.png", files.png()), None, "image")
    job = media.jobs.get()
    assert job.state == JobState.QUEUED and job.task_id == ""
    ProcessingJob.objects.filter(pk=job.pk).update(lease_until=job.created_at)
    sent = []
    monkeypatch.setattr(services, "send", sent.append)
    assert services.sweep_stale_jobs() == [job.pk] and sent == [job.pk]


def test_cancel_and_retry(upload, sent, django_capture_on_commit_callbacks):
    media = services.store_upload(upload("p.png", files.png()), None, "image")
    job = media.jobs.get()
    assert services.cancel_job(job)
    assert ProcessingJob.objects.get(pk=job.pk).state == JobState.CANCELLED
    with django_capture_on_commit_callbacks(execute=True):
        assert services.retry_job(job)
    assert ProcessingJob.objects.get(pk=job.pk).state == JobState.QUEUED
