"""Assessment grids (e.g. the "capteurs d'innovation sociale") and dated assessments with them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from observatoire.publishing import Publishable


class Grid(models.Model):
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("assessment grid")
        verbose_name_plural = _("assessment grids")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Dimension(models.Model):
    grid = models.ForeignKey(
        Grid, verbose_name=_("grid"), on_delete=models.CASCADE, related_name="dimensions"
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["grid", "position", "pk"]

    def __str__(self):
        return self.name


class Criterion(models.Model):
    dimension = models.ForeignKey(
        Dimension, verbose_name=_("dimension"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("name"), max_length=300)
    question = models.TextField(_("guiding question"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["dimension", "position", "pk"]

    def __str__(self):
        return self.name


class CriterionLevel(models.Model):
    """One step of a criterion's scale, with what it looks like on the ground."""

    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="levels"
    )
    value = models.PositiveSmallIntegerField(_("value"))
    label = models.CharField(_("label"), max_length=100)
    descriptor = models.TextField(_("descriptor"), blank=True)

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["criterion", "value"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "value"], name="criterion_level_unique")
        ]

    def __str__(self):
        return f"{self.value}. {self.label}"


class Assessment(Publishable):
    """An initiative (or a mission's client) assessed with a grid on a date."""

    grid = models.ForeignKey(
        Grid, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="assessments"
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    organisation = models.ForeignKey(
        "initiatives.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    date = models.DateField(_("date"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)
    # A researcher submits; a reviewer (staff, or holder of `review_assessment`) publishes.
    submitted_at = models.DateTimeField(_("submitted for review at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-date", "-pk"]
        permissions = [("review_assessment", _("Can publish and withdraw assessments"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(initiative__isnull=False) | Q(organisation__isnull=False),
                name="assessment_has_subject",
            )
        ]

    def __str__(self):
        date = date_format(self.date, "DATE_FORMAT")
        return f"{self.grid} — {self.initiative or self.organisation} ({date})"


class Score(models.Model):
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="scores"
    )
    level = models.ForeignKey(
        CriterionLevel, verbose_name=_("level"), on_delete=models.PROTECT, related_name="+"
    )
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="score_unique")
        ]

    def __str__(self):
        return f"{self.criterion}: {self.level}"
