"""What the media store erases for a person: a job still reading the old transcript is stopped,
so that it cannot write the name back after the erasure."""

import pytest

from initiatives.models import Person
from medias import pipeline, services
from medias.models import JobState, ProcessingJob
from observatoire.shredders import erase_person
from terrain.models import Interviewee

from . import files
from .fieldwork import interview, people, region  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_a_job_at_work_on_their_transcript_is_stopped(
    interview,  # noqa: F811
    upload,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    monkeypatch.setattr(services, "send", lambda job_id: True)
    person = Person.objects.create(first_name="Ophélie", last_name="Langlais", slug="ophelie")
    Interviewee.objects.create(interview=interview, person=person)
    media = services.store_upload(upload("t.vtt", files.WEBVTT.encode()), interview, "transcript")
    assert pipeline.run(media.jobs.get(processor="transcripts").pk, "w") == JobState.SUCCEEDED
    running = pipeline.claim(media.jobs.get(processor="pseudonyms").pk, "slow-worker")
    assert running is not None and running.state == JobState.RUNNING

    with django_capture_on_commit_callbacks(execute=True):
        erase_person(person)

    assert ProcessingJob.objects.get(pk=running.pk).state == JobState.CANCELLED
    with pytest.raises(pipeline.JobCancelled):  # its next heartbeat stops it
        pipeline.reporter(running)(60, "still working")
    media.refresh_from_db()
    with media.original.open("rb") as handle:
        content = handle.read().decode()
    assert "Langlais" not in content and "Ophélie" not in content and "[erased]" in content
    assert "Langlais" not in media.text
