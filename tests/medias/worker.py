"""A real Celery worker as a subprocess, on the broker of the settings and the test database."""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
CELERY = Path(sys.executable).parent / "celery"


class Worker:
    def __init__(self, env: dict, log: Path):
        self.env, self.log, self.process = env, log, None

    def start(self, *args, **extra_env) -> "Worker":
        """Start `celery worker` (with `args` added, e.g. "-B"); `extra_env` adds variables."""
        self.name = f"medias-test-{uuid.uuid4().hex[:6]}@%h"
        command = [str(CELERY), "-A", "observatoire", "worker", "-Q", "celery,media-heavy"]
        command += ["-n", self.name, "--concurrency=1", "--loglevel=INFO", "--without-gossip"]
        command += ["--without-mingle", "--without-heartbeat", *args]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**self.env, **{k: str(v) for k, v in extra_env.items()}},
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: SIGKILL reaches the pool too
        )
        return self

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes, as the OOM killer or a power cut would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


def purge(broker_url: str) -> None:
    from kombu import Connection

    with Connection(broker_url) as conn:
        for queue in ("celery", "media-heavy"):
            with contextlib.suppress(Exception):  # the queue may not exist yet
                conn.default_channel.queue_purge(queue)


@pytest.fixture
def worker_factory(transactional_db, private_media, tmp_path, settings):
    """`start(**env)` launches a worker that sees the test database and private media folder."""
    settings.MEDIA_JOB_LEASE_SECONDS = 4
    settings.MEDIA_JOB_ROOT = tmp_path / "jobs"
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    if db.get("PASSWORD"):
        url = url.replace("@", f":{db['PASSWORD']}@", 1)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "observatoire.settings.test",
        "DATABASE_URL": url,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND or "",
        "MEDIA_PRIVATE_ROOT": str(private_media),
        "MEDIA_JOB_LEASE_SECONDS": "4",
        "MEDIA_JOB_ROOT": str(tmp_path / "jobs"),
        "BEAT_LOCK_FILE": str(tmp_path / "celerybeat.lock"),
        "CONN_MAX_AGE": "0",
    }
    purge(settings.CELERY_BROKER_URL)
    workers = []
    log = tmp_path / "worker.log"

    def start(*args, **extra_env) -> Worker:
        worker = Worker(env, log).start(*args, **extra_env)
        workers.append(worker)
        return worker

    start.log = log
    start.env = env
    yield start
    for worker in workers:
        worker.stop()


def wait_for(predicate, timeout: float = 60, log: Path | None = None, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    tail = log.read_text()[-3000:] if log and log.exists() else ""
    pytest.fail(f"timed out waiting for {what}\n--- worker log ---\n{tail}")
