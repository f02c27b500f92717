"""What a REFI-QDA project brings that the fieldwork model has no place for: cases and sets.

Interviewees are exported as cases computed from their consent; a project imported from another
tool (QualCoder, MAXQDA, ATLAS.ti, NVivo) may carry cases of its own, with typed variables, and
sets grouping codes, sources and notes. They are kept here, per season, and exported again.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseKind(models.TextChoices):
    INTERVIEWEE = "interviewee", _("interviewee")
    INITIATIVE = "initiative", _("initiative")
    IMPORTED = "imported", _("imported case")


class Case(models.Model):
    """A unit compared across interviews: an interviewee, an initiative met, or a REFI-QDA case.

    Interviewee and initiative cases are kept in step with the fieldwork by
    `services.cases.refresh_cases` (one per person interviewed, one per initiative met, tied to
    their interviews); their typed attribute values are `AttributeValue` rows (models.cases).
    Cases read from a REFI-QDA project keep their variables as they came, in `values`.
    """

    season = models.ForeignKey(
        "terrain.Season", verbose_name=_("season"), on_delete=models.CASCADE, related_name="cases"
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=CaseKind.choices, default=CaseKind.IMPORTED
    )
    person = models.ForeignKey(
        "initiatives.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
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
            models.UniqueConstraint(fields=["season", "guid"], name="case_guid_per_season"),
            models.UniqueConstraint(
                fields=["season", "person"],
                name="case_person_per_season",
                condition=models.Q(person__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["season", "initiative"],
                name="case_initiative_per_season",
                condition=models.Q(initiative__isnull=False),
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The person's or the initiative's name as it is now (never a copy of it)."""
        if self.person_id:
            return str(self.person)
        if self.initiative_id:
            return self.initiative.name
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
