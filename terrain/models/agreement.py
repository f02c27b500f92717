"""Blind double coding of an interview, and the settled reference coding that comes out of it.

An interview in double coding is coded by two or more researchers who each see only their own
excerpts of it until every one of them has declared it done (`revealed_at`). The team then settles
each passage where they differ; each decision adds the reference coding's excerpts (coder None,
named as the reference) and keeps the coders' own excerpts as they were.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _


class ExcerptQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The excerpts this user may see: in an interview they code blind, only their own.

        The one place the blindness of double coding is decided: the reader, the codebook's
        excerpts, the finding picker and the REFI-QDA export all read through it.
        """
        if user is None or not user.is_authenticated:
            return self
        blind = DoubleCoding.objects.filter(coders=user, revealed_at=None).values("interview")
        return self.filter(~Q(segment__transcript__interview__in=blind) | Q(coder=user))

    def for_analysis(self):
        """The excerpts the season's analyses count (matrix, co-occurrence): once an interview's
        double coding is revealed, its reference coding (the agreed and settled passages) stands
        for it, and each coder's own excerpts, which stay, are not counted a second time."""
        return self.exclude(superseded_original())


def superseded_original(path: str = ""):
    """True for an excerpt (reached through `path`, e.g. "excerpt__" from a code's through row)
    that is a coder's own in an interview whose double coding is revealed: its reference coding
    stands for it in the analyses."""
    return Exists(
        DoubleCoder.objects.filter(
            double_coding__interview=OuterRef(f"{path}segment__transcript__interview"),
            double_coding__revealed_at__isnull=False,
            coder=OuterRef(f"{path}coder"),
        )
    )


class DoubleCoding(models.Model):
    interview = models.OneToOneField(
        "terrain.Interview",
        verbose_name=_("interview"),
        on_delete=models.CASCADE,
        related_name="double_coding",
    )
    coders = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coders"),
        through="DoubleCoder",
        related_name="double_codings",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    # When the last coder declared the interview done: from then on everyone sees every coding.
    revealed_at = models.DateTimeField(_("revealed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("double coding")
        verbose_name_plural = _("double codings")
        ordering = ["interview__visit__date", "interview__pk"]

    def __str__(self):
        return str(self.interview)

    @property
    def blind(self) -> bool:
        return self.revealed_at is None


class DoubleCoder(models.Model):
    """One coder of a double coding, and when they declared the interview done."""

    double_coding = models.ForeignKey(
        DoubleCoding,
        verbose_name=_("double coding"),
        on_delete=models.CASCADE,
        related_name="turns",
    )
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coder"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("double coder")
        verbose_name_plural = _("double coders")
        ordering = ["coder__username"]
        constraints = [
            models.UniqueConstraint(fields=["double_coding", "coder"], name="double_coder_unique")
        ]

    def __str__(self):
        return f"{self.coder} ({self.double_coding})"


class Settlement(models.Model):
    """The team's decision on one passage where the coders differed (or agreed)."""

    class Choice(models.TextChoices):
        AGREED = "agreed", _("the coders agreed")
        CODER = "coder", _("one coder's coding kept")
        ALL = "all", _("every coder's coding kept")
        NONE = "none", _("neither kept")

    double_coding = models.ForeignKey(
        DoubleCoding,
        verbose_name=_("double coding"),
        on_delete=models.CASCADE,
        related_name="settlements",
    )
    choice = models.CharField(_("decision"), max_length=10, choices=Choice.choices)
    kept_coder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coder kept"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The coders' excerpts the passage held: what the decision was about, and how a passage is
    # known to be settled even after the transcript's text has moved its offsets.
    originals = models.ManyToManyField(
        "terrain.Excerpt", verbose_name=_("coders' excerpts"), related_name="+"
    )
    # The reference coding's excerpts the decision made.
    excerpts = models.ManyToManyField(
        "terrain.Excerpt", verbose_name=_("reference excerpts"), related_name="settlements"
    )
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("settled by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    settled_at = models.DateTimeField(_("settled at"), auto_now_add=True)

    class Meta:
        verbose_name = _("settled passage")
        verbose_name_plural = _("settled passages")
        ordering = ["settled_at", "pk"]

    def __str__(self):
        return f"{self.double_coding}: {self.get_choice_display()}"
