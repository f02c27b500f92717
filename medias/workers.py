"""What a Celery worker does for the media queue when it starts and stops.

At start it removes the job folders that killed workers left behind (copies of recordings), and
it says it is alive every HEARTBEAT_S in the database, where /health/ counts the workers seen in
the last minute. Connected in MediasConfig.ready(); the signals only fire in worker processes.
"""

import logging
import os
import threading
from datetime import timedelta

from celery.signals import worker_ready, worker_shutdown
from django.db import connection
from django.utils import timezone

from . import workdirs
from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)
HEARTBEAT_S = 15
SEEN_WITHIN_S = 60  # a worker silent for longer is not counted as running
_stop = threading.Event()


def beat(name: str, started_at) -> None:
    WorkerHeartbeat.objects.update_or_create(
        name=name[:200],
        defaults={"pid": os.getpid(), "started_at": started_at, "seen_at": timezone.now()},
    )


def _keep_beating(name: str) -> None:
    started_at = timezone.now()
    while True:
        try:
            beat(name, started_at)
        except Exception:  # the database is away: say so, and try again at the next beat
            logger.warning("Worker %s could not record its heartbeat", name)
        finally:
            # No connection stays open in the worker's main process, which forks the pool.
            connection.close()
        if _stop.wait(HEARTBEAT_S):
            return


@worker_ready.connect
def on_worker_ready(sender=None, **kwargs):
    workdirs.sweep()
    name = getattr(sender, "hostname", None) or f"worker-{os.getpid()}"
    _stop.clear()
    threading.Thread(
        target=_keep_beating, args=(name,), name="worker-heartbeat", daemon=True
    ).start()


@worker_shutdown.connect
def on_worker_shutdown(sender=None, **kwargs):
    _stop.set()
    name = getattr(sender, "hostname", None)
    if name:
        try:
            WorkerHeartbeat.objects.filter(name=name[:200]).delete()
        except Exception:  # a worker stopping with its database gone still stops
            logger.warning("Worker %s could not remove its heartbeat", name)


def workers_seen(within_s: int = SEEN_WITHIN_S) -> int:
    """How many workers said they were alive in the last `within_s` seconds."""
    since = timezone.now() - timedelta(seconds=within_s)
    return WorkerHeartbeat.objects.filter(seen_at__gte=since).count()
