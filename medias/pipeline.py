"""Run one job: claim its row, run its processor on a local copy, write outputs back, once."""

import logging
import shutil
import socket
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import conf
from .models import DerivedFile, JobState, ProcessingJob, PseudonymSuggestion, SuggestionStatus
from .processors import ProcessingError, processor_module
from .storage import WrittenFiles, delete_on_commit, unguessable_name

logger = logging.getLogger(__name__)


class JobCancelled(Exception):
    """Someone cancelled the job while it ran."""


def claim(job_id: int, worker: str) -> ProcessingJob | None:
    """Take the job if nobody holds it: queued, or running with an expired lease. Else None."""
    now = timezone.now()
    claimed = ProcessingJob.objects.filter(
        Q(state=JobState.QUEUED) | Q(state=JobState.RUNNING, lease_until__lt=now), pk=job_id
    ).update(
        state=JobState.RUNNING,
        worker=worker[:200],
        attempts=F("attempts") + 1,
        started_at=now,
        finished_at=None,
        heartbeat_at=now,
        lease_until=now + timedelta(seconds=conf.lease()),
        progress=0,
        step=_("Starting"),
        error="",
    )
    if not claimed:
        return None
    return ProcessingJob.objects.select_related("media").get(pk=job_id)


def reporter(job: ProcessingJob):
    """The processors' progress callback: a heartbeat that extends the lease, and a cancel check."""

    def progress(percent: int, step: str) -> None:
        now = timezone.now()
        updated = ProcessingJob.objects.filter(
            pk=job.pk, state=JobState.RUNNING, worker=job.worker
        ).update(
            progress=max(0, min(100, int(percent))),
            step=str(step)[:100],
            heartbeat_at=now,
            lease_until=now + timedelta(seconds=conf.lease()),
        )
        if not updated:
            raise JobCancelled()
        if delay := conf.step_delay():
            time.sleep(delay)

    return progress


def finish(job: ProcessingJob, state: str, error: str = "") -> None:
    ProcessingJob.objects.filter(pk=job.pk, state=JobState.RUNNING, worker=job.worker).update(
        state=state,
        error=error[:2000],
        finished_at=timezone.now(),
        lease_until=None,
        progress=100 if state == JobState.SUCCEEDED else F("progress"),
        step=_("Done") if state == JobState.SUCCEEDED else F("step"),
    )


def context_for(job: ProcessingJob) -> dict:
    media = job.media
    context = {"mime_type": media.mime_type, "kind": media.kind}
    if job.processor == "pseudonyms":
        context["text"] = media.text
        from .known_names import known_names

        context["known_names"] = known_names(media.owner)
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
    if "segments" in output.records:
        _import_segments(media, output.records["segments"])


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


def _import_segments(media, segments: list[dict]) -> None:
    """Give the segments to the fieldwork app if the file is an interview's or its transcript's."""
    try:
        from terrain.models import Interview, Transcript
        from terrain.services import TerrainError, import_segments
    except ImportError:
        return
    owner = media.owner
    if isinstance(owner, Interview):
        # A transcript uploaded from the interview page: the interview gets its transcript now.
        owner, _created = Transcript.objects.get_or_create(
            interview=owner, defaults={"language": owner.language}
        )
    if not isinstance(owner, Transcript):
        return
    try:
        import_segments(owner, segments)
    except TerrainError as exc:  # e.g. already coded: say why on the board, keep the old segments
        raise ProcessingError(str(exc)) from None


def run(job_id: int, worker: str | None = None) -> str:
    """Run a job to its end; return its final state ('skipped' if another worker holds it)."""
    worker = worker or socket.gethostname()
    job = claim(job_id, worker)
    if job is None:
        return "skipped"
    if job.attempts > conf.max_attempts():
        finish(
            job,
            JobState.FAILED,
            _("The worker stopped %(n)s times on this file; given up.") % {"n": job.attempts - 1},
        )
        return JobState.FAILED
    workdir = Path(tempfile.mkdtemp(prefix=f"medias-job-{job.pk}-"))
    try:
        local = workdir / "original"
        with job.media.original.open("rb") as source, open(local, "wb") as target:
            shutil.copyfileobj(source, target, 2**20)
        progress = reporter(job)
        output = processor_module(job.processor).process(local, progress, context_for(job))
        progress(97, _("Saving the results"))
        with transaction.atomic():
            # Only the holder of the job writes: a worker that lost its lease writes nothing.
            locked = ProcessingJob.objects.select_for_update().filter(
                pk=job.pk, state=JobState.RUNNING, worker=job.worker
            )
            if not locked.exists():
                raise JobCancelled()
            save_outputs(job, output)
            finish(job, JobState.SUCCEEDED)
    except JobCancelled:
        return "cancelled"
    except ProcessingError as exc:
        finish(job, JobState.FAILED, str(exc))
        return JobState.FAILED
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    start_next_stage(job)
    return JobState.SUCCEEDED


def start_next_stage(job: ProcessingJob) -> None:
    from .services import next_stage, send_on_commit

    following = next_stage(job)
    if following is None:
        return
    with transaction.atomic():
        ProcessingJob.objects.filter(pk=following.pk).exclude(state=JobState.RUNNING).update(
            state=JobState.QUEUED, progress=0, step="", error="", attempts=0
        )
        send_on_commit(following)
