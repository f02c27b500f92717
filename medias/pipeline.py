"""Run one job: claim its row, run its processor on a local copy, write outputs back, once.

Every write a worker makes about a job is fenced by the token it claimed (`leases.held`): a
stale copy of a job that was requeued and claimed again can neither finish nor fail it.
Messages are stored as English msgids with their values (medias.messages), translated for
each reader.
"""

import logging
import os
import shutil
import socket
from datetime import timedelta
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.base import ContentFile, File
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from . import conf, owners, services, workdirs
from .leases import JobCancelled, LeaseKeeper, held, pause, renew
from .models import DerivedFile, JobState, ProcessingJob, PseudonymSuggestion, SuggestionStatus
from .processors import ProcessingError, processor_module
from .storage import WrittenFiles, delete_on_commit, unguessable_name

logger = logging.getLogger(__name__)
__all__ = ["JobCancelled", "claim", "run"]

# Errors worth another try later: the database, the broker or the object store hiccuped.
TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
# What a run returns when the job is no longer its own: cancelled, or claimed by a newer attempt.
LOST = "cancelled"


def claim(job_id: int, worker: str) -> ProcessingJob | None:
    """Take the job if nobody holds it: queued, or running with an expired lease. Else None."""
    now = timezone.now()
    claimed = ProcessingJob.objects.filter(
        Q(state=JobState.QUEUED) | Q(state=JobState.RUNNING, lease_until__lt=now), pk=job_id
    ).update(
        state=JobState.RUNNING,
        worker=worker[:200],
        attempts=F("attempts") + 1,
        fencing_token=F("fencing_token") + 1,
        started_at=now,
        finished_at=None,
        heartbeat_at=now,
        lease_until=now + timedelta(seconds=conf.lease()),
        progress=0,
        step_message=gettext_noop("Starting"),
        step_params={},
        error_message="",
        error_params={},
        error_detail="",
    )
    if not claimed:
        return None
    return ProcessingJob.objects.select_related("media").get(pk=job_id)


def reporter(job: ProcessingJob):
    """The processors' progress callback: a heartbeat that extends the lease, and a cancel check."""

    def progress(percent: int, step: str, **values) -> None:
        if not renew(
            job,
            progress=max(0, min(100, int(percent))),
            step_message=str(step)[:100],
            step_params=values,
        ):
            raise JobCancelled()
        if delay := conf.step_delay():
            pause(delay)

    return progress


def finish(job: ProcessingJob) -> bool:
    return bool(
        held(job).update(
            state=JobState.SUCCEEDED,
            finished_at=timezone.now(),
            lease_until=None,
            progress=100,
            step_message=gettext_noop("Done"),
            step_params={},
        )
    )


def fail(job: ProcessingJob, message: str, detail: str = "", **params) -> bool:
    """Mark the job failed, if this claim still holds it; the stages after it will not run."""
    if detail:
        logger.warning("Job %s (%s) failed: %s", job.pk, job.processor, detail)
    failed = held(job).update(
        state=JobState.FAILED,
        error_message=message[:2000],
        error_params=params,
        error_detail=detail[:4000],
        finished_at=timezone.now(),
        lease_until=None,
    )
    if failed:
        services.stop_later_stages(job)
    return bool(failed)


def hand_back(job: ProcessingJob) -> bool:
    """Give the job back to the queue for a retry of a transient error; this try does not count
    toward the cap on attempts (the worker did not die)."""
    return bool(
        held(job).update(
            state=JobState.QUEUED,
            step_message=gettext_noop("Waiting to retry"),
            step_params={},
            attempts=Greatest(F("attempts") - 1, 0),
        )
    )


def context_for(job: ProcessingJob) -> dict:
    media = job.media
    context = {"mime_type": media.mime_type, "kind": media.kind}
    if job.processor == "speech":
        # None: the owner no longer wants a draft (a transcript came meanwhile); nothing is done
        context["language"] = owners.draft_language(media.owner)
        context["duration"] = (media.metadata.get("audio_video") or {}).get("duration")
    if job.processor == "pseudonyms":
        context["text"] = media.text
        context["known_names"] = owners.known_names(media.owner)
    return context


def save_outputs(job: ProcessingJob, output) -> None:
    """Replace this processor's outputs with the new ones: a second run leaves one set.

    Called inside the transaction that records them: a file written here is deleted if that
    fails (no file outlives its row), and a file replaced here is deleted only once it commits
    (a rollback leaves the old row pointing at a file that is still there).
    """
    with WrittenFiles() as written:
        _save_outputs(job, output, written)


def _save_outputs(job: ProcessingJob, output, written: WrittenFiles) -> None:
    media = job.media
    keep = set()
    for derived in output.derived:
        keep.add(derived.name)
        existing = DerivedFile.objects.filter(media=media, name=derived.name).first()
        row = existing or DerivedFile(media=media, name=derived.name)
        if existing and existing.file:
            delete_on_commit(existing.file.storage, existing.file.name)
        row.processor, row.mime_type = job.processor, derived.mime_type
        row.public, row.metadata = derived.public, derived.metadata
        # A fresh random name at each run: the replaced file stays until the commit, untouched.
        path = unguessable_name(f"medias/{media.pk}", shard=False)
        if isinstance(derived.content, bytes):
            row.size = len(derived.content)
            row.file.save(path, ContentFile(derived.content), save=False)
        else:
            row.size = Path(derived.content).stat().st_size
            with open(derived.content, "rb") as handle:
                row.file.save(path, File(handle), save=False)
            Path(derived.content).unlink(missing_ok=True)
        written.add(row.file)
        row.save()
    for stale in DerivedFile.objects.filter(media=media, processor=job.processor).exclude(
        name__in=keep
    ):
        delete_on_commit(stale.file.storage, stale.file.name)
        stale.delete()
    media.metadata = {**media.metadata, job.processor: output.metadata}
    fields = ["metadata"]
    if output.text is not None:
        media.text, fields = output.text, [*fields, "text"]
    media.save(update_fields=fields)
    if "suggestions" in output.records:
        _save_suggestions(media, output.records["suggestions"])
    # What the file means to its owner (segments into a transcript...) is the owner's app's call.
    owners.processed(media, job, output)


def _save_suggestions(media, suggestions: list[dict]) -> None:
    # A researcher's decisions survive a re-run; only proposals are refreshed.
    decided = set(
        media.pseudonyms.exclude(status=SuggestionStatus.PROPOSED).values_list("name", flat=True)
    )
    media.pseudonyms.filter(status=SuggestionStatus.PROPOSED).delete()
    PseudonymSuggestion.objects.bulk_create(
        [
            PseudonymSuggestion(
                media=media,
                **{k: s[k] for k in ("name", "label", "source")},
                occurrences=s["occurrences"],
                pseudonym=s["pseudonym"],
            )
            for s in suggestions
            if s["name"] not in decided
        ]
    )


def run(job_id: int, worker: str | None = None, *, may_retry: bool = False) -> str:
    """Run a job to its end; return its final state ('skipped' if another worker holds it,
    'cancelled' if it was cancelled or lost while it ran).

    A transient error hands the job back and is raised again when `may_retry` (the task retries
    later); otherwise it fails the job.
    """
    worker = worker or socket.gethostname()
    job = claim(job_id, worker)
    if job is None:
        return "skipped"
    # Whatever a library says in the worker's language is kept in English, the msgids' language.
    with translation.override("en"):
        if job.attempts > conf.max_attempts():
            fail(
                job,
                gettext_noop("The worker stopped %(n)s times on this file; given up."),
                n=job.attempts - 1,
            )
            return JobState.FAILED
        state = _run_claimed(job, may_retry)
    if state == JobState.SUCCEEDED:
        start_next_stage(job)
    return state


def _run_claimed(job: ProcessingJob, may_retry: bool) -> str:
    workdir = workdirs.create(job.pk)
    keeper = LeaseKeeper(job)
    try:
        with keeper:
            return _work(job, workdir, keeper)
    except JobCancelled:
        if keeper.injected:
            connection.close()  # interrupted anywhere, even mid-query: start afresh
        return LOST
    except ProcessingError as exc:
        failed = fail(job, exc.message, exc.detail, **exc.params)
        if failed and exc.discard:
            discard_original(job)
        return JobState.FAILED if failed else LOST
    except SoftTimeLimitExceeded:
        reason = gettext_noop("The processing took longer than allowed for a file of this size.")
        return JobState.FAILED if fail(job, reason) else LOST
    except TRANSIENT as exc:
        if may_retry and hand_back(job):
            raise
        reason = gettext_noop("A temporary error kept coming back; retry the job later.")
        return JobState.FAILED if fail(job, reason, f"{type(exc).__name__}: {exc}") else LOST
    except Exception as exc:  # a bug or a library crash on a hostile file: fail, keep the worker
        logger.exception("Job %s failed unexpectedly", job.pk)
        reason = gettext_noop("An unexpected error stopped the processing; the staff can see why.")
        return JobState.FAILED if fail(job, reason, f"{type(exc).__name__}: {exc}") else LOST
    finally:
        workdirs.remove(workdir)


def _work(job: ProcessingJob, workdir: Path, keeper: LeaseKeeper) -> str:
    local = workdir / "original"
    _copy_original(job, local)
    progress, context = reporter(job), context_for(job)
    with keeper.stage():
        output = processor_module(job.processor).process(local, progress, context)
    progress(97, gettext_noop("Saving the results"))
    with transaction.atomic():
        # Only the holder of the job writes: a worker that lost its lease writes nothing.
        if not held(job).select_for_update().exists():
            raise JobCancelled()
        save_outputs(job, output)
        finish(job)
    return JobState.SUCCEEDED


def _private(path: str, flags: int) -> int:
    """Files of a job readable by the worker's user alone, like its folder (0700)."""
    return os.open(path, flags, 0o600)


def _copy_original(job: ProcessingJob, local: Path) -> None:
    try:
        with job.media.original.open("rb") as source, open(local, "wb", opener=_private) as target:
            shutil.copyfileobj(source, target, 2**20)
    except (FileNotFoundError, ValueError) as exc:  # ValueError: no file attached any more
        raise ProcessingError(
            gettext_noop("The original file is no longer stored; upload it again."), detail=str(exc)
        ) from None


def discard_original(job: ProcessingJob) -> None:
    """Delete a refused file and what was derived from it: the message said it is not kept."""
    media = job.media
    for derived in media.derived.all():
        derived.file.delete(save=False)
        derived.delete()
    if media.original:
        media.original.delete(save=False)
    media.metadata = {**media.metadata, "discarded": True}
    media.text = ""
    media.save(update_fields=["original", "metadata", "text"])


def start_next_stage(job: ProcessingJob) -> None:
    following = services.next_stage(job)
    if following is not None:
        services.queue_stage(following)
