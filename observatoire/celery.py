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


def beat_lock_paths(schedule: str | None) -> list[str]:
    """Where the scheduler's lock may live: BEAT_LOCK_FILE if set; else one per machine in
    VAR_DIR, or beside the schedule file where VAR_DIR is read-only (the compose image)."""
    from django.conf import settings

    explicit = os.environ.get("BEAT_LOCK_FILE") or getattr(settings, "BEAT_LOCK_FILE", None)
    if explicit:
        return [str(explicit)]
    return [str(settings.VAR_DIR / "celerybeat.lock"), f"{schedule or 'celerybeat-schedule'}.lock"]


def _open_lock(paths: list[str]):
    for path in paths:
        try:
            os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
            return path, open(path, "a+")  # noqa: SIM115 - held open for the life of the process
        except OSError:
            continue
    raise SystemExit(f"error: no writable place for the scheduler's lock among {paths}")


@beat_init.connect
def refuse_a_second_scheduler(sender=None, **kwargs):
    """One scheduler per machine: a second one (standalone or a worker's `-B`) stops at once.

    Two would send every periodic task twice. The lock is the kernel's, released when the
    process holding it dies however it dies, so a killed scheduler never blocks the next one.
    """
    global _beat_lock
    path, handle = _open_lock(beat_lock_paths(getattr(sender, "schedule_filename", None)))
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
