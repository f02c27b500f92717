"""A running job's lease: renewed while its stage works, and how a stage learns it lost the job.

A worker holds a job while `lease_until` is ahead and the row still carries the fencing token it
claimed. Processors report progress now and then, but one call of a library (spaCy on a long
transcript, PDFium on a heavy page) may outlast a lease; so while a stage runs, a thread renews
the lease every `conf.heartbeat_seconds()`. When the row says the job is no longer this worker's
(cancelled by staff, or presumed lost and claimed by another worker), the thread raises
JobCancelled inside the stage, which stops at its next Python instruction instead of running on
for nothing.
"""

import ctypes
import logging
import threading
import time
from datetime import timedelta

from django.db import connection, connections
from django.utils import timezone

from . import conf
from .models import JobState, ProcessingJob

logger = logging.getLogger(__name__)


class JobCancelled(Exception):
    """The job is no longer this worker's: cancelled, or claimed again after its lease ran out."""


def held(job: ProcessingJob):
    """The job's row, if this claim of it still holds: the fence of every write a worker makes."""
    return ProcessingJob.objects.filter(
        pk=job.pk, state=JobState.RUNNING, fencing_token=job.fencing_token
    )


def renew(job: ProcessingJob, **fields) -> bool:
    """Push the lease forward (and write `fields`); False if the job is no longer ours."""
    now = timezone.now()
    return bool(
        held(job).update(
            heartbeat_at=now, lease_until=now + timedelta(seconds=conf.lease()), **fields
        )
    )


def _raise_in(thread_id: int, exception) -> None:
    """Raise `exception` in another thread of this process at its next bytecode (None: cancel a
    pending one). CPython's documented way for one thread to interrupt another."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exception) if exception else None
    )


class LeaseKeeper:
    """`with LeaseKeeper(job) as keeper:` renews the job's lease for as long as the worker works
    on it (the stage, then saving what it made); `with keeper.stage():` marks the processor's
    run, the only place where losing the job raises JobCancelled from the keeper's thread.

    Outside the stage the keeper only notes the loss (`lost`): the saving step checks the fence
    itself, in its transaction, and an exception must never land in the middle of it.
    """

    def __init__(self, job: ProcessingJob, interval: float | None = None):
        self.job, self.interval = job, interval or conf.heartbeat_seconds()
        self.lost = threading.Event()
        self.injected = False
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._inside = False
        self._target = threading.get_ident()
        self._thread = None

    def __enter__(self) -> "LeaseKeeper":
        # Another thread has its own connection, which cannot see rows of an open transaction
        # (a job run inside a test's transaction): there, progress calls alone renew the lease.
        if not connection.in_atomic_block:
            self._thread = threading.Thread(
                target=self._beat, name=f"lease-job-{self.job.pk}", daemon=True
            )
            self._thread.start()
        return self

    def __exit__(self, exc_type, exc, traceback) -> bool:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        return False

    def stage(self) -> "_Stage":
        return _Stage(self)

    def _beat(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    if renew(self.job):
                        continue
                except Exception:  # the database hiccuped: try again at the next beat
                    logger.warning("Could not renew the lease of job %s", self.job.pk)
                    connection.close()
                    continue
                self.lost.set()
                with self._lock:
                    if self._inside:
                        self.injected = True
                        logger.info("Job %s is no longer ours; stopping its stage", self.job.pk)
                        _raise_in(self._target, JobCancelled)
                return
        finally:
            connections.close_all()  # this thread's own connections


class _Stage:
    """The processor's run, where the keeper may interrupt."""

    def __init__(self, keeper: LeaseKeeper):
        self.keeper = keeper

    def __enter__(self) -> None:
        with self.keeper._lock:
            self.keeper._inside = True
        if self.keeper.lost.is_set():
            raise JobCancelled()

    def __exit__(self, exc_type, exc, traceback) -> bool:
        keeper = self.keeper
        with keeper._lock:
            keeper._inside = False
            if keeper.injected:  # not delivered yet: it must not land in the caller's own code
                _raise_in(keeper._target, None)
        if keeper.injected and not (exc_type and issubclass(exc_type, JobCancelled)):
            # The stage ended (or failed) before the interruption landed: the job is lost all
            # the same, and what the stage made or said must not be written.
            raise JobCancelled()
        return False


def pause(seconds: float) -> None:
    """Sleep in short steps, so that a JobCancelled raised by the keeper lands within 0.1 s."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        time.sleep(min(0.1, left))
