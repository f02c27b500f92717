"""Operations on media files and jobs, called from views, admin, tasks and commands alike."""

import hashlib
import logging
from datetime import timedelta
from pathlib import PurePath

import magic
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import conf, owners
from .models import ACTIVE_STATES, LEASED_STATES, JobState, Kind, MediaFile, ProcessingJob
from .storage import WrittenFiles

logger = logging.getLogger(__name__)
SNIFF_BYTES = 8192

# Which processors run for each kind of file; the first ones run first, later ones need them.
PIPELINES = {
    Kind.IMAGE: ["images"],
    Kind.AUDIO: ["audio_video", "speech"],
    Kind.VIDEO: ["audio_video", "speech"],
    Kind.DOCUMENT: ["documents"],
    Kind.TRANSCRIPT: ["transcripts", "pseudonyms"],
}


def _wants_draft(media: MediaFile) -> bool:
    """A draft transcript is made when a model is installed and the owner asks for one (an
    interview with no transcript yet); otherwise the stage is not even created."""
    return conf.speech_model_dir() is not None and owners.draft_language(media.owner) is not None


# Stages that run only for some files: (media) -> bool, asked when the jobs are created.
OPTIONAL_STAGES = {"speech": _wants_draft}


class UploadRefused(Exception):
    """An upload we will not keep; the message is a translated sentence for the person."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        # The HTTP status a view answers with: 413 too large, 415 wrong type, 400 otherwise.
        self.message, self.status = message, status


def sniff(file) -> str:
    """The MIME type read from the content's first bytes; the name plays no part."""
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    return magic.from_buffer(head, mime=True) if head else "application/x-empty"


def check_upload(file, kind: str) -> str:
    """Return the sniffed MIME type, or raise UploadRefused with the reason."""
    if kind not in Kind.values:
        raise UploadRefused(_("Unknown kind of media file: %(kind)s.") % {"kind": kind})
    return check_file(file, conf.TYPES[kind], conf.limit(kind), Kind(kind).label)


def check_file(file, allowed: dict[str, set[str]], limit: int, label) -> str:
    """The checks every kept upload goes through: not empty, not over `limit` bytes, content
    sniffed as one of `allowed` (MIME type -> the extensions it may carry), a name that does not
    lie. Return the sniffed type, or raise UploadRefused; `label` names what was expected."""
    size = file.size
    if not size:
        raise UploadRefused(_("The file is empty."))
    if size > limit:
        raise UploadRefused(
            _("The file is too large: %(size)s MB, at most %(limit)s MB for this kind of file.")
            % {"size": round(size / 2**20, 1), "limit": round(limit / 2**20, 1)},
            status=413,
        )
    mime = sniff(file)
    if mime not in allowed:
        raise UploadRefused(
            _("This file's content is %(mime)s, which is not accepted as %(kind)s.")
            % {"mime": mime, "kind": label},
            status=415,
        )
    extension = PurePath(file.name or "").suffix.lower()
    if extension and extension not in allowed[mime]:
        raise UploadRefused(
            _("The file is named %(ext)s but its content is %(mime)s: rename or convert it.")
            % {"ext": extension, "mime": mime},
            status=415,
        )
    return mime


def _checksum(file) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(2**20), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def store_upload(file, owner, kind: str, user=None) -> MediaFile:
    """Keep an upload and its jobs in one transaction; the tasks are sent once it commits."""
    mime = check_upload(file, kind)
    # The original is written before its row: if the transaction fails, the file goes too.
    with WrittenFiles() as written, transaction.atomic():
        media = MediaFile(
            owner_type=ContentType.objects.get_for_model(owner) if owner is not None else None,
            owner_id=str(owner.pk) if owner is not None else "",
            uploaded_by=user if user is not None and user.is_authenticated else None,
            kind=kind,
            original_name=PurePath(file.name or "upload").name[:255],
            mime_type=mime,
            size=file.size,
            checksum=_checksum(file),
        )
        media.original.save(media.checksum, file, save=False)
        written.add(media.original)
        media.save()
        enqueue_processing(media)
    return media


def has_failed(media: MediaFile) -> bool:
    """Whether a stage of this file failed (its jobs prefetched or not)."""
    return any(job.state == JobState.FAILED for job in media.jobs.all())


def delete_media(media: MediaFile) -> None:
    """Delete a file with its renditions and jobs; the stored files go once the rows are gone."""
    stored = [(media.original.storage, media.original.name)]
    stored += [(derived.file.storage, derived.file.name) for derived in media.derived.all()]
    media.delete()

    def remove():
        for storage, name in stored:
            if name:
                storage.delete(name)

    transaction.on_commit(remove)


def enqueue_processing(media_file: MediaFile) -> list[ProcessingJob]:
    """Create the missing jobs for this file's kind and send them when the transaction commits.

    Only the first stage is queued; the later ones wait for it, and each stage queues the next
    when it succeeds (or stops them when it fails or is cancelled).
    """
    jobs = []
    for index, processor in enumerate(PIPELINES[Kind(media_file.kind)]):
        wanted = OPTIONAL_STAGES.get(processor)
        if wanted is not None and not wanted(media_file):
            continue
        job, _created = ProcessingJob.objects.get_or_create(
            media=media_file,
            processor=processor,
            defaults={"state": JobState.QUEUED if index == 0 else JobState.WAITING},
        )
        jobs.append(job)
    first = jobs[0]
    if first.state == JobState.QUEUED:
        send_on_commit(first)
    return jobs


def send_on_commit(job: ProcessingJob) -> None:
    job_id = job.pk
    ProcessingJob.objects.filter(pk=job_id).update(
        enqueued_at=timezone.now(), lease_until=timezone.now() + timedelta(seconds=conf.lease())
    )
    transaction.on_commit(lambda: send(job_id))


# How a job reaches the broker: `tasks.send` and `tasks.job_for_sending`, handed over by the tasks
# module when it is imported (medias/apps.py imports it), so that this module, which the tasks
# and the pipeline use, does not import them back.
_SENDER: dict = {}


def connect_sender(send_job, job_for_sending) -> None:
    _SENDER.update(send=send_job, job_for_sending=job_for_sending)


def send(job_id: int) -> bool:
    """Publish the task; a broker that is down is not an error: the sweeper sends it later."""
    job = _SENDER["job_for_sending"](job_id)
    if job is None:
        return False
    try:
        result = _SENDER["send"](
            job,
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.5},
        )
    except Exception:  # any broker error: the job row stays queued and the sweeper retries
        logger.warning("Broker unavailable; job %s stays queued for the sweeper", job_id)
        return False
    ProcessingJob.objects.filter(pk=job_id).update(task_id=result.id or "")
    return True


def next_stage(job: ProcessingJob) -> ProcessingJob | None:
    """The job that comes after this one in its file's pipeline, if any."""
    stages = PIPELINES[Kind(job.media.kind)]
    index = stages.index(job.processor)
    if index + 1 >= len(stages):
        return None
    return ProcessingJob.objects.filter(media=job.media, processor=stages[index + 1]).first()


def _stages(job: ProcessingJob) -> tuple[list[str], int]:
    stages = PIPELINES[Kind(job.media.kind)]
    return stages, stages.index(job.processor)


def later_stages(job: ProcessingJob):
    stages, index = _stages(job)
    return ProcessingJob.objects.filter(media_id=job.media_id, processor__in=stages[index + 1 :])


FRESH = {
    "progress": 0,
    "step_message": "",
    "step_params": {},
    "error_message": "",
    "error_params": {},
    "error_detail": "",
    "attempts": 0,
    "worker": "",
}


def queue_stage(job: ProcessingJob) -> bool:
    """Queue a stage whose stage before it has just succeeded (none is running it)."""
    with transaction.atomic():
        updated = (
            ProcessingJob.objects.filter(pk=job.pk)
            .exclude(state=JobState.RUNNING)
            .update(state=JobState.QUEUED, **FRESH)
        )
        if updated:
            send_on_commit(job)
    return bool(updated)


def stop_later_stages(job: ProcessingJob) -> int:
    """A stage failed or was cancelled: the stages after it will not run (none stays queued)."""
    return (
        later_stages(job)
        .filter(state__in=ACTIVE_STATES)
        .exclude(state=JobState.RUNNING)
        .update(
            state=JobState.CANCELLED,
            finished_at=timezone.now(),
            lease_until=None,
            error_message=gettext_noop("Not run: the stage before it did not succeed."),
            error_params={},
            error_detail="",
        )
    )


def retry_job(job: ProcessingJob) -> bool:
    """Put a failed or cancelled job back in the queue, with a fresh count of attempts.

    A stage whose stage before it has not succeeded restarts from that one instead, and waits.
    """
    stages, index = _stages(job)
    earlier = (
        ProcessingJob.objects.filter(media_id=job.media_id, processor__in=stages[:index])
        .exclude(state=JobState.SUCCEEDED)
        .order_by("pk")
    )
    with transaction.atomic():
        first = next((e for e in earlier if e.state in (JobState.FAILED, JobState.CANCELLED)), None)
        if first is not None:
            if not retry_job(first):  # which makes the cancelled stages after it wait again
                return False
            ProcessingJob.objects.filter(pk=job.pk, state=JobState.FAILED).update(
                state=JobState.WAITING, **FRESH
            )
            return True
        if earlier.exists():  # an earlier stage is still on its way: this one waits for it
            return False
        updated = ProcessingJob.objects.filter(
            pk=job.pk, state__in=[JobState.FAILED, JobState.CANCELLED]
        ).update(state=JobState.QUEUED, **FRESH)
        if updated:
            later_stages(job).filter(state=JobState.CANCELLED).update(
                state=JobState.WAITING, **FRESH
            )
            send_on_commit(job)
    return bool(updated)


def cancel_job(job: ProcessingJob) -> bool:
    """Cancel a job that has not ended; a running stage is stopped at its next heartbeat."""
    with transaction.atomic():
        updated = ProcessingJob.objects.filter(pk=job.pk, state__in=ACTIVE_STATES).update(
            state=JobState.CANCELLED, finished_at=timezone.now(), lease_until=None
        )
        if updated:
            stop_later_stages(job)
    return bool(updated)


def sweep_stale_jobs(now=None) -> list[int]:
    """Send again every queued or running job whose lease has run out; return their ids.

    A running job's lease is renewed while its stage works (medias.leases), so one past its lease
    lost its worker (killed, or the machine stopped): it becomes queued and may be claimed again.
    """
    now = now or timezone.now()
    stale = list(
        ProcessingJob.objects.filter(state__in=LEASED_STATES, lease_until__lt=now).values_list(
            "pk", flat=True
        )
    )
    for job_id in stale:
        ProcessingJob.objects.filter(
            pk=job_id, state__in=LEASED_STATES, lease_until__lt=now
        ).update(state=JobState.QUEUED, lease_until=now + timedelta(seconds=conf.lease()))
        send(job_id)
    return stale
