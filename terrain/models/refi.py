"""What a REFI-QDA project brings that the fieldwork model has no place for: cases and sets.

Interviewees are exported as cases computed from their consent; a project imported from another
tool (QualCoder, MAXQDA, ATLAS.ti, NVivo) may carry cases of its own, with typed variables, and
sets grouping codes, sources and notes. They are kept here, per season, and exported again.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Case(models.Model):
    """A case read from a REFI-QDA project: a name, typed variable values, its sources."""

    season = models.ForeignKey(
        "terrain.Season", verbose_name=_("season"), on_delete=models.CASCADE, related_name="cases"
    )
    guid = models.UUIDField(_("GUID"), default=uuid.uuid4)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # [{"name": "Age", "type": "Integer", "value": "42"}]: REFI-QDA's typeOfVariable, as text.
    values = models.JSONField(_("variable values"), default=list, blank=True)
    interviews = models.ManyToManyField(
        "terrain.Interview", verbose_name=_("interviews"), blank=True, related_name="cases"
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["season", "guid"], name="case_guid_per_season")
        ]

    def __str__(self):
        return self.name


class CodeSet(models.Model):
    """A REFI-QDA set: a named group of codes, sources (interviews) and notes (memos)."""

    season = models.ForeignKey(
        "terrain.Season", verbose_name=_("season"), on_delete=models.CASCADE, related_name="sets"
    )
    guid = models.UUIDField(_("GUID"), default=uuid.uuid4)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    codes = models.ManyToManyField(
        "terrain.Code", verbose_name=_("codes"), blank=True, related_name="sets"
    )
    interviews = models.ManyToManyField(
        "terrain.Interview", verbose_name=_("interviews"), blank=True, related_name="sets"
    )
    memos = models.ManyToManyField(
        "terrain.Memo", verbose_name=_("memos"), blank=True, related_name="sets"
    )

    class Meta:
        verbose_name = _("set")
        verbose_name_plural = _("sets")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["season", "guid"], name="codeset_guid_per_season")
        ]

    def __str__(self):
        return self.name
