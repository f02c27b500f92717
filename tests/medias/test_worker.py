"""Against a real Celery worker on Redis: jobs complete, and survive a worker killed mid-task."""

import pytest

from medias import services
from medias.models import DerivedFile, JobState, ProcessingJob

from . import files
from .worker import wait_for, worker_factory  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db(transaction=True)


def job_state(pk):
    return ProcessingJob.objects.get(pk=pk)


def test_worker_processes_an_image_and_a_recording(worker_factory, upload):  # noqa: F811
    worker_factory()
    image = services.store_upload(upload("p.jpg", files.jpeg()), None, "image")
    sound = services.store_upload(upload("s.wav", files.wav()), None, "audio")
    for media in (image, sound):
        job = media.jobs.get()
        done = wait_for(
            lambda job=job: (
                job_state(job.pk).state in (JobState.SUCCEEDED, JobState.FAILED)
                and job_state(job.pk)
            ),
            log=worker_factory.log,
            what=f"{job.processor} job",
        )
        assert done.state == JobState.SUCCEEDED, done.error
    assert DerivedFile.objects.filter(media=image).count() == 3
    assert set(sound.derived.values_list("name", flat=True)) == {"rendition-audio", "waveform"}


def test_worker_killed_mid_task_completes_once_after_restart(
    worker_factory,  # noqa: F811
    upload,
    private_media,
):
    first = worker_factory(MEDIA_STEP_DELAY="1.5")
    media = services.store_upload(upload("p.jpg", files.jpeg()), None, "image")
    job = media.jobs.get()
    wait_for(
        lambda: job_state(job.pk).state == JobState.RUNNING and job_state(job.pk).progress >= 30,
        log=worker_factory.log,
        what="the job to be half-way",
    )
    first.kill()
    assert job_state(job.pk).state == JobState.RUNNING  # nobody will tell the row it died

    worker_factory()
    # The lease runs out (no more heartbeats); the sweeper, as beat would, sends the job again.
    from medias.tasks import sweep_stale_jobs

    wait_for(
        lambda: sweep_stale_jobs.delay().get(timeout=20) or job_state(job.pk).state != "running",
        log=worker_factory.log,
        what="the sweeper to requeue the job",
    )
    done = wait_for(
        lambda: job_state(job.pk).state == JobState.SUCCEEDED and job_state(job.pk),
        log=worker_factory.log,
        what="the job to succeed",
    )
    assert done.attempts == 2
    assert DerivedFile.objects.filter(media=media).count() == 3
    assert len(list((private_media / "medias" / str(media.pk)).iterdir())) == 3


def test_a_job_cancelled_while_a_worker_runs_it_stops_and_keeps_nothing(
    worker_factory,  # noqa: F811
    upload,
):
    worker_factory(MEDIA_STEP_DELAY="1.5")
    media = services.store_upload(upload("p.jpg", files.jpeg()), None, "image")
    job = media.jobs.get()
    wait_for(
        lambda: job_state(job.pk).state == JobState.RUNNING,
        log=worker_factory.log,
        what="the job to start",
    )
    assert services.cancel_job(job_state(job.pk))  # staff press Cancel on the board
    wait_for(
        lambda: "'cancelled'" in worker_factory.log.read_text(),
        log=worker_factory.log,
        what="the worker to notice the cancellation",
    )
    assert job_state(job.pk).state == JobState.CANCELLED
    assert not DerivedFile.objects.filter(media=media).exists()
