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


class Excerpt(models.Model):
    """A coded span of one segment: characters [start, end) of its text."""

    segment = models.ForeignKey(
        "terrain.Segment",
        verbose_name=_("segment"),
        on_delete=models.PROTECT,
        related_name="excerpts",
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
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="excerpt_span")
        ]

    def __str__(self):
        return self.text[:80]


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
