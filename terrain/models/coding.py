"""Qualitative coding: a codebook per season, excerpts of transcripts, memos."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .agreement import ExcerptQuerySet


class Code(models.Model):
    """A theme of a season's codebook; a tree (parent), exported with a stable GUID."""

    season = models.ForeignKey(
        "terrain.Season", verbose_name=_("season"), on_delete=models.CASCADE, related_name="codes"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=200)
    colour = models.CharField(_("colour"), max_length=7, default="#1f77b4")
    definition = models.TextField(_("definition"), blank=True)
    guid = models.UUIDField(_("GUID"), default=uuid.uuid4, unique=True, editable=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    # False for a category (REFI-QDA isCodable="false"): it groups codes, passages are not coded
    # with it.
    is_codable = models.BooleanField(_("codable"), default=True)

    class Meta:
        verbose_name = _("code")
        verbose_name_plural = _("codes")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


# Between the pieces of an excerpt that runs over several turns, in its text.
PIECE_SEPARATOR = "\n"


class Excerpt(models.Model):
    """A coded passage: characters [start, end) of one segment's text, or, when it runs over
    several turns, from `start` in `segment` to `end` in `end_segment` (every turn between whole).

    `text` is always the passage's exact words: the pieces joined by a line break.
    """

    segment = models.ForeignKey(
        "terrain.Segment",
        verbose_name=_("segment"),
        on_delete=models.PROTECT,
        related_name="excerpts",
    )
    # Null: the passage ends in `segment`. Otherwise a later segment of the same transcript.
    end_segment = models.ForeignKey(
        "terrain.Segment",
        verbose_name=_("last segment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ending_excerpts",
    )
    start = models.PositiveIntegerField(_("start offset"))
    end = models.PositiveIntegerField(_("end offset"))
    text = models.TextField(_("text"))
    codes = models.ManyToManyField(Code, verbose_name=_("codes"), related_name="excerpts")
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="excerpts",
    )
    # A coder of an imported REFI-QDA project who is no researcher here, kept by name.
    coder_name = models.CharField(_("coder (imported)"), max_length=200, blank=True)
    guid = models.UUIDField(_("GUID"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ExcerptQuerySet.as_manager()

    class Meta:
        verbose_name = _("excerpt")
        verbose_name_plural = _("excerpts")
        ordering = ["segment__position", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_segment__isnull=False) | Q(end__gt=models.F("start")),
                name="excerpt_span_in_segments",
            )
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def spans_segments(self) -> bool:
        return self.end_segment_id is not None and self.end_segment_id != self.segment_id

    def segments(self) -> list:
        """The segments the passage runs over, in order (one query when it spans several)."""
        if not self.spans_segments:
            return [self.segment]
        return list(
            type(self.segment)
            .objects.filter(
                transcript_id=self.segment.transcript_id,
                position__gte=self.segment.position,
                position__lte=self.end_segment.position,
            )
            .order_by("position")
        )

    def pieces(self, segments=None, texts=None) -> list[tuple]:
        """[(segment, start, end)]: the characters of each segment's text the passage covers.

        `texts` ({segment pk: text}) reads a text being rewritten instead of the stored one.
        """
        segments = segments if segments is not None else self.segments()
        texts = texts or {}
        if not self.spans_segments:
            return [(segments[0], self.start, self.end)]
        found = []
        for segment in segments:
            text = texts.get(segment.pk, segment.text)
            start = self.start if segment.pk == self.segment_id else 0
            end = self.end if segment.pk == self.end_segment_id else len(text)
            found.append((segment, start, end))
        return found

    def text_of(self, segments=None, texts=None) -> str:
        """The passage's words as its segments hold them now (or as `texts` will hold them)."""
        texts = texts or {}
        return PIECE_SEPARATOR.join(
            texts.get(segment.pk, segment.text)[start:end]
            for segment, start, end in self.pieces(segments, texts)
        )


class AudioExcerpt(models.Model):
    """A coded time range [start_ms, end_ms) of an interview's recording, with or without a
    transcript: what a researcher marks on the waveform (REFI-QDA `AudioSelection`).

    A model of its own rather than an Excerpt without a segment: every reader of excerpts
    (quotes, findings, co-occurrence, erasure, agreement) works on words, and a time range has
    none; sharing the table would make each of them test which kind it holds.
    """

    interview = models.ForeignKey(
        "terrain.Interview",
        verbose_name=_("interview"),
        on_delete=models.CASCADE,
        related_name="audio_excerpts",
    )
    start_ms = models.PositiveIntegerField(_("start (ms)"))
    end_ms = models.PositiveIntegerField(_("end (ms)"))
    codes = models.ManyToManyField(Code, verbose_name=_("codes"), related_name="audio_excerpts")
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="audio_excerpts",
    )
    guid = models.UUIDField(_("GUID"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("coded recording passage")
        verbose_name_plural = _("coded recording passages")
        ordering = ["interview", "start_ms", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_ms__gt=models.F("start_ms")), name="audio_excerpt_span"
            )
        ]

    def __str__(self):
        return f"{self.clock(self.start_ms)}–{self.clock(self.end_ms)}"

    @staticmethod
    def clock(ms: int) -> str:
        seconds = ms // 1000
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


class CodebookVersion(models.Model):
    """A numbered snapshot of a season's codebook: taken when it changed since the last one and a
    finding is published (or a researcher publishes a version), so a finding says which codebook
    its codes came from."""

    season = models.ForeignKey(
        "terrain.Season",
        verbose_name=_("season"),
        on_delete=models.CASCADE,
        related_name="codebook_versions",
    )
    number = models.PositiveIntegerField(_("version"))
    # [{"guid", "name", "parent", "codable", "definition", "colour"}] in tree order.
    codes = models.JSONField(_("codes"), default=list)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("codebook version")
        verbose_name_plural = _("codebook versions")
        ordering = ["season", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["season", "number"], name="codebook_version_unique")
        ]

    def __str__(self):
        return _("Codebook v%(number)d") % {"number": self.number}


class Memo(models.Model):
    """A researcher's note on exactly one of: a season, an interview, a code, an excerpt."""

    season = models.ForeignKey(
        "terrain.Season", null=True, blank=True, on_delete=models.CASCADE, related_name="memos"
    )
    interview = models.ForeignKey(
        "terrain.Interview", null=True, blank=True, on_delete=models.CASCADE, related_name="memos"
    )
    code = models.ForeignKey(
        Code, null=True, blank=True, on_delete=models.CASCADE, related_name="memos"
    )
    excerpt = models.ForeignKey(
        Excerpt, null=True, blank=True, on_delete=models.CASCADE, related_name="memos"
    )
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="memos",
    )
    # The author of an imported REFI-QDA note who is no researcher here, kept by name.
    author_name = models.CharField(_("author (imported)"), max_length=200, blank=True)
    guid = models.UUIDField(_("GUID"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("memo")
        verbose_name_plural = _("memos")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(season__isnull=False, interview=None, code=None, excerpt=None)
                    | Q(season=None, interview__isnull=False, code=None, excerpt=None)
                    | Q(season=None, interview=None, code__isnull=False, excerpt=None)
                    | Q(season=None, interview=None, code=None, excerpt__isnull=False)
                ),
                name="memo_one_target",
            )
        ]

    def __str__(self):
        return self.text[:80]
