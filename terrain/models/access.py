"""Who opened which recording or transcript, and a record that an erasure took place."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


class AccessLog(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        DOWNLOAD = "download", _("downloaded")

    class Target(models.TextChoices):
        TRANSCRIPT = "transcript", _("transcript")
        RECORDING = "recording", _("recording")
        EXPORT = "export", _("coded work export")
        CONSENT = "consent", _("signed consent form")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="terrain_accesses",
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    target = models.CharField(_("what"), max_length=12, choices=Target.choices)
    interview = models.ForeignKey(
        "terrain.Interview",
        verbose_name=_("interview"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="access_log",
    )
    season = models.ForeignKey(
        "terrain.Season",
        verbose_name=_("season"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="access_log",
    )
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]

    def __str__(self):
        at = date_format(timezone.localtime(self.at), "SHORT_DATETIME_FORMAT")
        return f"{at} {self.user} {self.action} {self.target}"


class Erasure(models.Model):
    """That a person was erased, when and by whom; never what was erased."""

    person_id = models.BigIntegerField(_("person id"))
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erased by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    erased_at = models.DateTimeField(_("erased at"), auto_now_add=True)
    erasers = models.JSONField(_("erasers run"), default=list)

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        ordering = ["-erased_at"]

    def __str__(self):
        erased = date_format(timezone.localtime(self.erased_at), "SHORT_DATE_FORMAT")
        return f"#{self.person_id} {erased}"
