"""The Celery application; tasks live in each app's tasks.py and stay thin."""

import ctypes
import fcntl
import os
import signal
import sys

from celery import Celery
from celery.signals import beat_embedded_init, beat_init, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatoire.settings.dev")

app = Celery("observatoire")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
_beat_lock = None  # the open lock file, held for the life of the scheduler's process
PR_SET_PDEATHSIG = 1


@worker_init.connect
def refuse_to_start_without_services(**kwargs):
    """A worker without its database or broker says so in one line instead of looping."""
    from observatoire.startup import exit_if_unreachable

    exit_if_unreachable(database=True, broker=True)


def beat_lock_path() -> str:
    from django.conf import settings

    default = getattr(settings, "BEAT_LOCK_FILE", None) or settings.VAR_DIR / "celerybeat.lock"
    return str(os.environ.get("BEAT_LOCK_FILE") or default)


@beat_init.connect
def refuse_a_second_scheduler(**kwargs):
    """One scheduler per machine: a second one (standalone or a worker's `-B`) stops at once.

    Two would send every periodic task twice. The lock is the kernel's, released when the
    process holding it dies however it dies, so a killed scheduler never blocks the next one.
    """
    global _beat_lock
    path = beat_lock_path()
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    handle = open(path, "a+")  # noqa: SIM115 - held open for the life of the process
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "?"
        handle.close()
        sys.stderr.write(
            f"error: another Celery beat (process {holder}) already runs with {path}; "
            "this one stops.\n"
        )
        raise SystemExit(1) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    _beat_lock = handle


@beat_embedded_init.connect
def die_with_the_worker(**kwargs):
    """The scheduler a worker starts with `-B` is its child process: when the worker is killed
    (kill -9, the OOM killer), the kernel stops the scheduler too instead of orphaning it."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the lock alone keeps a single scheduler
        return
    if os.getppid() == 1:  # the worker died before the line above
        os.kill(os.getpid(), signal.SIGTERM)
