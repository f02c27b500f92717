"""The text of an interview, cut in time-coded speaker turns (never public)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from observatoire.typography import elide


class Transcript(models.Model):
    interview = models.OneToOneField(
        "terrain.Interview",
        verbose_name=_("interview"),
        on_delete=models.CASCADE,
        related_name="transcript",
    )
    language = models.CharField(_("language"), max_length=10, default="fr")
    source = models.CharField(_("source"), max_length=200, blank=True)
    # Made by speech recognition and not yet checked against the recording by a researcher.
    is_draft = models.BooleanField(_("draft"), default=False, db_default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("transcript")
        verbose_name_plural = _("transcripts")

    def __str__(self):
        return elide(_("Transcript of %(interview)s") % {"interview": self.interview})


class Segment(models.Model):
    transcript = models.ForeignKey(
        Transcript, verbose_name=_("transcript"), on_delete=models.CASCADE, related_name="segments"
    )
    position = models.PositiveIntegerField(_("position"))
    speaker = models.CharField(_("speaker"), max_length=100, blank=True)
    interviewee = models.ForeignKey(
        "terrain.Interviewee",
        verbose_name=_("interviewee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="segments",
    )
    start_ms = models.PositiveIntegerField(_("start (ms)"), default=0)
    end_ms = models.PositiveIntegerField(_("end (ms)"), default=0)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["transcript", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["transcript", "position"], name="segment_position_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(end_ms__gte=models.F("start_ms")), name="segment_times_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.speaker}: {self.text[:60]}"

    @property
    def clock(self) -> str:
        """The start time as h:mm:ss, as the reader shows it."""
        seconds = self.start_ms // 1000
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


class PseudonymChange(models.Model):
    """What accepting a pseudonym changed in one segment, so that the decision can be undone.

    It holds the words before the change (real names): kept only while the interview is quoted
    in no published finding, and removed with the interview's people when they are erased.
    """

    transcript = models.ForeignKey(
        Transcript, on_delete=models.CASCADE, related_name="pseudonym_changes"
    )
    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200)
    text_before = models.TextField()
    speaker_before = models.CharField(max_length=100, blank=True)
    text_after = models.TextField()
    speaker_after = models.CharField(max_length=100, blank=True)
    # {excerpt pk: [start, end, text]} before the change; excerpts move with their words.
    excerpts_before = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.name} ({self.segment_id})"
