"""Typed attributes of a season's cases (interviewees, initiatives) and their values.

Some attributes are the researchers' own (a value typed in a form); the others are filled from
what the platform knows (`source`: the interviewee's role, the initiative's stage, région...)
and refreshed from it by `services.cases.refresh_cases` each time cases are read.
"""

from decimal import Decimal

from django.db import models
from django.utils.dateparse import parse_date
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from initiatives.models import Stage

from .refi import CaseKind


class AttributeKind(models.TextChoices):
    TEXT = "text", _("text")
    NUMBER = "number", _("number")
    DATE = "date", _("date")
    CHOICE = "choice", _("choice")


class Known(models.TextChoices):
    """What the platform fills by itself: the attribute's `source`."""

    ROLE = "role", _("Role")
    REGION = "region", _("Région")
    DEPARTEMENT = "departement", _("Département")
    PTCE = "ptce", _("PTCE")
    STAGE = "stage", _("Stage")
    THEMES = "themes", _("Themes")


class Attribute(models.Model):
    season = models.ForeignKey(
        "terrain.Season",
        verbose_name=_("season"),
        on_delete=models.CASCADE,
        related_name="attributes",
    )
    applies_to = models.CharField(
        _("cases"),
        max_length=12,
        choices=[
            (CaseKind.INTERVIEWEE, _("interviewees")),
            (CaseKind.INITIATIVE, _("initiatives")),
        ],
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("type"), max_length=8, choices=AttributeKind.choices, default=AttributeKind.TEXT
    )
    # For a choice: the values offered, one per line, in the order the matrix shows them.
    choices = models.TextField(_("choices"), blank=True, help_text=_("One value per line."))
    # Empty for a researcher's attribute; else what the platform fills it from.
    source = models.CharField(
        _("filled from"), max_length=12, choices=Known.choices, blank=True, editable=False
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("attribute")
        verbose_name_plural = _("attributes")
        ordering = ["applies_to", "position", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["season", "applies_to", "name"], name="attribute_name_per_cases"
            ),
            models.UniqueConstraint(
                fields=["season", "applies_to", "source"],
                name="attribute_source_per_cases",
                condition=~models.Q(source=""),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_known(self) -> bool:
        return bool(self.source)

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def display(self, value: str) -> str:
        """A stored value as the page shows it (dates and numbers in the reader's format)."""
        if value == "":
            return str(_("No PTCE")) if self.source == Known.PTCE else "—"
        if self.source == Known.STAGE:
            return str(Stage(value).label) if value in Stage.values else value
        if self.kind == AttributeKind.DATE and (day := parse_date(value)):
            return date_format(day, "SHORT_DATE_FORMAT")
        if self.kind == AttributeKind.NUMBER:
            return number_format(Decimal(value))
        return value

    def sort_key(self, value: str):
        """The order of the matrix's columns: the choices' order, numbers and dates in order."""
        if self.kind == AttributeKind.CHOICE:
            order = self.choice_list()
            return (0, order.index(value), "") if value in order else (1, 0, value)
        if self.kind == AttributeKind.NUMBER and value:
            return (0, Decimal(value), "")
        return (0 if value else 1, 0, value.casefold())


class AttributeValue(models.Model):
    """One value of an attribute for a case; a known attribute may hold several (themes)."""

    case = models.ForeignKey(
        "terrain.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="attribute_values",
    )
    attribute = models.ForeignKey(
        Attribute, verbose_name=_("attribute"), on_delete=models.CASCADE, related_name="values"
    )
    # The canonical text (a number as a plain decimal, a date as ISO): what the matrix groups by.
    value = models.CharField(_("value"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attribute value")
        verbose_name_plural = _("attribute values")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "attribute", "value"], name="attribute_value_unique"
            )
        ]
        indexes = [models.Index(fields=["attribute", "value"], name="attribute_value_lookup")]

    def __str__(self):
        return f"{self.attribute}: {self.value}"
