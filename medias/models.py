"""MediaFile (an uploaded original and what was derived from it) and ProcessingJob (its work)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .messages import translated
from .storage import private_storage


class Kind(models.TextChoices):
    IMAGE = "image", _("image")
    AUDIO = "audio", _("audio recording")
    VIDEO = "video", _("video")
    DOCUMENT = "document", _("document")
    TRANSCRIPT = "transcript", _("transcript")


def original_path(instance, filename):
    # The checksum keeps names unique and tells nothing about the content.
    return f"medias/originals/{instance.checksum[:2]}/{instance.checksum}"


class MediaFile(models.Model):
    owner_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("owner type")
    )
    owner_id = models.CharField(_("owner id"), max_length=64, blank=True)
    owner = GenericForeignKey("owner_type", "owner_id")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="media_files",
        verbose_name=_("uploaded by"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    original = models.FileField(
        _("original file"), upload_to=original_path, storage=private_storage, max_length=255
    )
    original_name = models.CharField(_("original name"), max_length=255)
    mime_type = models.CharField(_("sniffed MIME type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    checksum = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    metadata = models.JSONField(_("metadata"), default=dict, blank=True)
    text = models.TextField(_("extracted text"), blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("media file")
        verbose_name_plural = _("media files")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner_type", "owner_id"])]

    def __str__(self):
        return self.original_name


class DerivedFile(models.Model):
    """One output of a processor; (media, name) is unique so a second run replaces, never adds."""

    media = models.ForeignKey(
        MediaFile, on_delete=models.CASCADE, related_name="derived", verbose_name=_("media file")
    )
    processor = models.CharField(_("processor"), max_length=32)
    name = models.CharField(_("name"), max_length=64)
    file = models.FileField(_("file"), storage=private_storage, max_length=255)
    mime_type = models.CharField(_("MIME type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    # Public renditions (EXIF-free thumbnails of published things) may be shown to anyone.
    public = models.BooleanField(_("public rendition"), default=False)
    metadata = models.JSONField(_("metadata"), default=dict, blank=True)

    class Meta:
        verbose_name = _("derived file")
        verbose_name_plural = _("derived files")
        ordering = ["media", "name"]
        constraints = [
            models.UniqueConstraint(fields=["media", "name"], name="medias_derived_unique_name")
        ]

    def __str__(self):
        return f"{self.media_id}/{self.name}"


class JobState(models.TextChoices):
    # A later stage of a file's pipeline, until the stage before it succeeds.
    WAITING = "waiting", pgettext_lazy("job state", "waiting for the previous stage")
    QUEUED = "queued", pgettext_lazy("job state", "queued")
    RUNNING = "running", pgettext_lazy("job state", "running")
    SUCCEEDED = "succeeded", pgettext_lazy("job state", "succeeded")
    FAILED = "failed", pgettext_lazy("job state", "failed")
    CANCELLED = "cancelled", pgettext_lazy("job state", "cancelled")


ACTIVE_STATES = (JobState.WAITING, JobState.QUEUED, JobState.RUNNING)
# The states a worker may hold or claim: they carry a lease the sweeper watches.
LEASED_STATES = (JobState.QUEUED, JobState.RUNNING)


class Processor(models.TextChoices):
    """The stages of the pipelines, named as the people watching them say it."""

    IMAGES = "images", _("Photo thumbnails")
    AUDIO_VIDEO = "audio_video", _("Playable copy and waveform of the recording")
    SPEECH = "speech", _("Draft transcript from the recording")
    DOCUMENTS = "documents", _("Text of the document")
    TRANSCRIPTS = "transcripts", _("Speaker turns of the transcript")
    PSEUDONYMS = "pseudonyms", _("Names to pseudonymise")


class ProcessingJob(models.Model):
    """The source of truth for a piece of work: the broker's message is only a wake-up call."""

    media = models.ForeignKey(
        MediaFile, on_delete=models.CASCADE, related_name="jobs", verbose_name=_("media file")
    )
    processor = models.CharField(_("processor"), max_length=32, choices=Processor.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    # Messages are kept as their English msgid and values, and translated for each reader: a
    # worker has no reader's language, and a French "Terminé" must not reach an English page.
    step_message = models.CharField(_("step"), max_length=100, blank=True)
    step_params = models.JSONField(_("values of the step"), default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Raised by every claim and never reset: a worker writes only while the row still carries
    # the number it claimed, so a stale copy of a requeued job can change nothing.
    fencing_token = models.PositiveIntegerField(_("attempt number"), default=0)
    error_message = models.TextField(_("reason of failure"), blank=True)
    error_params = models.JSONField(_("values of the reason"), default=dict, blank=True)
    # What went wrong in a programmer's words (exception, paths): the log and the staff only.
    error_detail = models.TextField(_("technical detail"), blank=True)
    worker = models.CharField(_("worker"), max_length=200, blank=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    enqueued_at = models.DateTimeField(_("enqueued at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    # Past this instant a queued or running job is presumed lost and the sweeper enqueues it again.
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("processing job")
        verbose_name_plural = _("processing jobs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["media", "processor"], name="medias_job_one_per_processor"
            )
        ]

    def __str__(self):
        return f"{self.get_processor_display()} #{self.pk} ({self.get_state_display()})"

    @property
    def is_active(self):
        return self.state in ACTIVE_STATES

    @property
    def step(self) -> str:
        return translated(self.step_message, self.step_params)

    @property
    def error(self) -> str:
        """The reason of failure, a sentence for the person, in their language, with no path."""
        return translated(self.error_message, self.error_params)

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None


class SuggestionStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class PseudonymSuggestion(models.Model):
    """A name found in a transcript and the pseudonym proposed for it; a researcher decides."""

    media = models.ForeignKey(
        MediaFile, on_delete=models.CASCADE, related_name="pseudonyms", verbose_name=_("media")
    )
    name = models.CharField(_("name found"), max_length=200)
    label = models.CharField(_("label"), max_length=10)  # PER or LOC
    source = models.CharField(_("source"), max_length=10)  # model or known
    occurrences = models.PositiveIntegerField(_("occurrences"), default=0)
    pseudonym = models.CharField(_("pseudonym"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.PROPOSED,
    )

    class Meta:
        verbose_name = _("pseudonym suggestion")
        verbose_name_plural = _("pseudonym suggestions")
        ordering = ["media", "-occurrences", "name"]
        constraints = [
            models.UniqueConstraint(fields=["media", "name"], name="medias_pseudonym_unique_name")
        ]

    def __str__(self):
        return f"{self.name} -> {self.pseudonym}"


class WorkerHeartbeat(models.Model):
    """A running worker says it is alive every few seconds; /health/ counts the recent ones."""

    name = models.CharField(_("worker"), max_length=200, unique=True)
    pid = models.PositiveIntegerField(_("process id"), default=0)
    started_at = models.DateTimeField(_("started at"))
    seen_at = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return self.name
