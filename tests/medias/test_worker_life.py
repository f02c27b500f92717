"""A worker's life around the jobs, with real processes: it says it is alive (/health/ counts it),
it removes the job folders a killed worker left, a failed decoding leaves no copy behind, and
there is never more than one scheduler (beat), even after a worker is killed."""

import os
import signal
import subprocess
from pathlib import Path

import pytest

from medias import pipeline, services
from medias.models import JobState
from medias.processors import ProcessingError, audio_video

from . import files
from .worker import CELERY, ROOT, wait_for, worker_factory  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db(transaction=True)


def alive(pid: int) -> bool:
    """Running, not merely a zombie nobody reaped (a container's init may not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def test_health_counts_the_workers_seen_in_the_last_minute(worker_factory, client):  # noqa: F811
    body = client.get("/health/").json()
    assert (body["workers"], body["status"]) == (0, "degraded")  # uploads would wait forever
    worker = worker_factory()
    body = wait_for(
        lambda: (answer := client.get("/health/").json())["workers"] == 1 and answer,
        log=worker_factory.log,
        what="the worker's heartbeat",
    )
    assert body["status"] == "ok"
    worker.stop()
    assert client.get("/health/").json()["workers"] == 0  # a worker that stops says so


def test_a_killed_workers_job_folder_is_removed_when_a_worker_starts(
    worker_factory,  # noqa: F811
    upload,
    settings,
):
    first = worker_factory(MEDIA_STEP_DELAY="5")
    media = services.store_upload(upload("entretien.wav", files.wav()), None, "audio")
    job = media.jobs.get()
    root = Path(settings.MEDIA_JOB_ROOT)
    folder = wait_for(
        lambda: root.is_dir() and next(iter(root.iterdir()), None),
        log=worker_factory.log,
        what="the job's folder",
    )
    assert (folder / "original").read_bytes() == files.wav()  # a copy of the voice
    assert folder.stat().st_mode & 0o777 == 0o700  # the worker's user alone
    assert (folder / "original").stat().st_mode & 0o777 == 0o600
    wait_for(lambda: media.jobs.get().state == JobState.RUNNING, log=worker_factory.log)
    first.kill()
    assert folder.exists()  # nobody was left to remove it
    worker_factory()
    wait_for(lambda: not folder.exists(), log=worker_factory.log, what="the sweep at start")
    assert job.pk  # the job itself is the sweeper's business (test_worker.py)


def test_a_recording_that_fails_to_decode_leaves_no_copy(upload, settings, monkeypatch):
    settings.MEDIA_JOB_ROOT = Path(settings.MEDIA_PRIVATE_ROOT).parent / "jobs"
    monkeypatch.setattr(services, "send", lambda job_id: True)
    made = []
    real = audio_video._audio_rendition

    def rendition_then_failure(path, progress, duration):
        made.append(real(path, progress, duration)[0])
        raise ProcessingError("The recording is damaged and cannot be decoded.")

    monkeypatch.setattr(audio_video, "_audio_rendition", rendition_then_failure)
    media = services.store_upload(upload("entretien.wav", files.wav()), None, "audio")
    assert pipeline.run(media.jobs.get().pk, "w") == JobState.FAILED
    [rendition] = made
    assert rendition.parent.parent == settings.MEDIA_JOB_ROOT  # made in the job's folder
    assert not rendition.exists()
    assert list(settings.MEDIA_JOB_ROOT.iterdir()) == []


def beat(worker_factory, schedule: Path) -> subprocess.Popen:  # noqa: F811
    command = [str(CELERY), "-A", "observatoire", "beat", "--schedule", str(schedule)]
    return subprocess.Popen(
        [*command, "--loglevel=INFO"],
        cwd=ROOT,
        env=worker_factory.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def test_a_second_scheduler_refuses_to_start(worker_factory, tmp_path):  # noqa: F811
    lock = Path(worker_factory.env["BEAT_LOCK_FILE"])
    first = beat(worker_factory, tmp_path / "schedule")
    try:
        holder = wait_for(lambda: lock.exists() and lock.read_text().strip(), what="the lock")
        assert int(holder) == first.pid
        second = beat(worker_factory, tmp_path / "other-schedule")
        output, _ = second.communicate(timeout=60)
        assert second.returncode != 0
        assert f"another Celery beat (process {first.pid}) already runs" in output
        assert first.poll() is None  # the first one goes on alone
    finally:
        os.killpg(first.pid, signal.SIGTERM)
        first.wait(15)


def test_the_scheduler_of_a_killed_worker_dies_with_it(worker_factory, tmp_path):  # noqa: F811
    lock = Path(worker_factory.env["BEAT_LOCK_FILE"])
    worker = worker_factory("-B", "--schedule", str(tmp_path / "schedule"))
    beat_pid = int(
        wait_for(
            lambda: lock.exists() and lock.read_text().strip(),
            log=worker_factory.log,
            what="the embedded scheduler",
        )
    )
    assert beat_pid != worker.process.pid  # -B runs the scheduler as a child process
    os.kill(worker.process.pid, signal.SIGKILL)  # the worker alone, as the OOM killer does
    worker.process.wait(10)
    wait_for(lambda: not alive(beat_pid), timeout=20, what="the orphaned scheduler to stop")
    # The next worker's scheduler takes over: one scheduler again, never two.
    worker_factory("-B", "--schedule", str(tmp_path / "schedule"))
    new_pid = wait_for(
        lambda: (pid := lock.read_text().strip()) != str(beat_pid) and pid,
        log=worker_factory.log,
        what="the new scheduler",
    )
    assert alive(int(new_pid))
    assert "another Celery beat" not in worker_factory.log.read_text()
