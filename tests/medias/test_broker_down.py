"""The broker goes down while people upload: files and jobs are kept, and once it is back the
sweeper sends every job again and a real worker processes each exactly once.

The test runs its own redis-server on a free port, so that stopping it disturbs nobody. The issue
speaks of 30 s of downtime; the test uses BROKER_DOWNTIME (6 s by default, tune it with
MEDIAS_TEST_BROKER_DOWNTIME) so that it stays under ~40 s: the code paths are the same.
"""

import os
import socket
import subprocess
import time

import pytest

from medias import services
from medias.models import DerivedFile, JobState, MediaFile, ProcessingJob

from . import files
from .worker import wait_for, worker_factory  # noqa: F401 - the fixture

# redis-server is part of the test set-up (make services): without it this fails, not skips.
pytestmark = pytest.mark.django_db(transaction=True)

BROKER_DOWNTIME = float(os.environ.get("MEDIAS_TEST_BROKER_DOWNTIME", 6))
UPLOADS = 3


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A throw-away redis-server without persistence: a restart loses every message, as a crash
    of a broker without append-only file would."""

    def __init__(self, port: int, log):
        self.port, self.log, self.process = port, log, None
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--daemonize", "no"],
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        wait_for(self.answers, timeout=10, what="redis-server to answer")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(free_port(), tmp_path / "redis.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app_on(redis_server, monkeypatch):
    """Point this process's Celery app (what services.send publishes with) at the test's Redis."""
    from observatoire.celery import app

    def forget_connections():  # the pools were made for the previous URL
        app._pool = None
        app.amqp._producer_pool = None

    # Celery reads CELERY_BROKER_URL from the environment before its own settings.
    monkeypatch.setenv("CELERY_BROKER_URL", redis_server.url)
    monkeypatch.setattr(app.conf, "broker_url", redis_server.url)
    forget_connections()
    yield app
    monkeypatch.undo()
    forget_connections()


def test_uploads_while_the_broker_is_down_are_processed_once_when_it_is_back(
    worker_factory,  # noqa: F811
    redis_server,
    app_on,
    upload,
):
    worker = worker_factory(
        CELERY_BROKER_URL=redis_server.url, CELERY_RESULT_BACKEND=redis_server.url
    )
    wait_for(
        lambda: "ready." in worker_factory.log.read_text(),
        timeout=30,
        log=worker_factory.log,
        what="the worker to be ready",
    )

    redis_server.stop()
    down_at = time.monotonic()
    medias = [
        services.store_upload(upload(f"p{index}.jpg", files.jpeg()), None, "image")
        for index in range(UPLOADS)
    ]
    # Kept: files and rows saved, jobs queued, nothing reached a broker.
    assert MediaFile.objects.count() == UPLOADS
    jobs = ProcessingJob.objects.filter(media__in=medias)
    assert [(job.state, job.task_id) for job in jobs] == [(JobState.QUEUED, "")] * UPLOADS

    time.sleep(max(0.0, BROKER_DOWNTIME - (time.monotonic() - down_at)))
    redis_server.start()
    # Beat's sweeper, run here by hand: every lease has run out during the downtime.
    wait_for(
        lambda: not jobs.filter(lease_until__gte=services.timezone.now()).exists(),
        timeout=10,
        what="the leases to run out",
    )
    assert sorted(services.sweep_stale_jobs()) == sorted(job.pk for job in jobs)

    wait_for(
        lambda: all(job.state == JobState.SUCCEEDED for job in jobs.all()),
        timeout=40,
        log=worker_factory.log,
        what="every job to succeed",
    )
    assert worker.process.poll() is None  # the worker rode out the outage
    for job in jobs.all():
        assert job.attempts == 1, job
    assert DerivedFile.objects.filter(media__in=medias).count() == 3 * UPLOADS
    log = worker_factory.log.read_text()
    assert log.count("'succeeded'") == UPLOADS and "'skipped'" not in log
