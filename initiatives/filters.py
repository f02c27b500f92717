"""FilterSets of the directory, shared by the pages, the map, the exports and the API.

Query parameters are part of the public contract (shared links, partners' embeds, the API):
`territoire=region:84`, `theme=<slug>`, `type_acteur=scic`, `levier=territorial_coherence`,
`ptce=<slug>`, `stade=emerging`, `annee=2016`, `tri=-published`. Several values of one facet are
alternatives (OR); different facets combine (AND). An invalid value is reported by the form and
ignored, so a bad link still shows a page.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from territoires.models import Level, Territory

from .models import Initiative, LegalForm, Pole, Stage

LEVERS = [
    ("sectoral_interaction", _("sectoral interaction")),
    ("territorial_coherence", _("territorial coherence")),
    ("cross_world_alliances", _("alliances between actors of different worlds")),
]


class TerritoryField(forms.CharField):
    """`level:code` (e.g. `region:84`, `commune:62178`) resolved to a Territory."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        level, _sep, code = value.partition(":")
        if level not in Level.values or not code:
            raise ValidationError(_("Unknown territory “%(value)s”."), params={"value": value})
        territory = Territory.objects.filter(level=level, code=code).first()
        if territory is None:
            raise ValidationError(_("Unknown territory “%(value)s”."), params={"value": value})
        return territory


class TerritoryFilter(django_filters.Filter):
    field_class = TerritoryField

    def filter(self, qs, value):
        return qs.in_territory(value) if value else qs


class InitiativeFilterSet(django_filters.FilterSet):
    territoire = TerritoryFilter(label=_("Territory"))
    theme = django_filters.ModelMultipleChoiceFilter(
        label=_("Theme"),
        field_name="themes__slug",
        to_field_name="slug",
        queryset=Tag.objects.all(),
        distinct=True,
    )
    type_acteur = django_filters.MultipleChoiceFilter(
        label=_("Actor type"),
        field_name="roles__organisation__legal_form",
        choices=LegalForm.choices,
        distinct=True,
    )
    levier = django_filters.MultipleChoiceFilter(
        label=_("Lever of co-construction"), choices=LEVERS, method="filter_levers"
    )
    ptce = django_filters.ModelMultipleChoiceFilter(
        label=_("PTCE"),
        field_name="poles__slug",
        to_field_name="slug",
        queryset=Pole.objects.published(),
        distinct=True,
    )
    stade = django_filters.MultipleChoiceFilter(
        label=_("Stage"), field_name="stage", choices=Stage.choices
    )
    annee = django_filters.NumberFilter(
        label=_("Year started"), field_name="start_date__year", min_value=1800, max_value=2100
    )
    tri = django_filters.OrderingFilter(
        label=_("Sort"),
        fields=[("name", "name"), ("published_at", "published"), ("start_date", "started")],
        field_labels={
            "name": _("Name"),
            "published_at": _("Publication date"),
            "start_date": _("Start date"),
        },
    )

    class Meta:
        model = Initiative
        fields = []

    def filter_levers(self, queryset, name, values):
        if not values:
            return queryset
        any_lever = Q()
        for lever in values:
            any_lever |= Q(**{lever: True})
        return queryset.filter(any_lever)
