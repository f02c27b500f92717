"""Deliverables of a mission (a report, a tool), kept in versions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliverableKind(models.TextChoices):
    REPORT = "report", _("report")
    TOOL = "tool", _("tool")


class Deliverable(models.Model):
    mission = models.ForeignKey(
        "accompagnements.SupportMission",
        verbose_name=_("mission"),
        on_delete=models.CASCADE,
        related_name="deliverables",
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=10, choices=DeliverableKind.choices, default=DeliverableKind.REPORT
    )

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["mission", "title"]

    def __str__(self):
        return self.title


class DeliverableVersion(models.Model):
    deliverable = models.ForeignKey(
        Deliverable,
        verbose_name=_("deliverable"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"))
    # The version's file: a medias.MediaFile owned by the deliverable, processed by the queue.
    media = models.ForeignKey(
        "medias.MediaFile",
        verbose_name=_("file"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deliverable version")
        verbose_name_plural = _("deliverable versions")
        ordering = ["deliverable", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["deliverable", "number"], name="deliverable_version_unique"
            )
        ]

    def __str__(self):
        return f"{self.deliverable} v{self.number}"
