"""FilterSets for what the directory's FilterSet does not cover: organisations, PTCEs, territories,
publications, findings. They reuse its fields (`territoire=region:84`, unknown values dropped and
reported), so one query string means the same thing on a page, in an export and in the API.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from initiatives.filters import (
    DirectoryForm,
    IdentifierFilter,
    InitiativeFilterSet,
    KnownChoicesFilter,
    KnownThemesFilter,
    PublicFilterSet,
    TerritoryFilter,
    YearFilter,
)
from initiatives.models import LegalForm, Organisation, Pole, PoleStage
from terrain.filters import FindingFilterSet, FindingTerritoryFilter  # noqa: F401 - the exports' and API's
from territoires.models import Level, Territory

from .models import Kind, Publication


class ReportsIgnored:
    """`ignored()`: the values not understood, exactly as the directory reports them."""

    ignored = InitiativeFilterSet.ignored


class OrganisationFilterSet(ReportsIgnored, django_filters.FilterSet):
    territoire = TerritoryFilter(label=_("Territory"))
    type_acteur = KnownChoicesFilter(
        label=_("Actor type"), field_name="legal_form", choices=LegalForm.choices
    )
    siren = IdentifierFilter(label=_("SIREN"), field_name="siren")
    siret = IdentifierFilter(label=_("SIRET (head office)"), field_name="siret")
    rna = IdentifierFilter(label=_("RNA number"), field_name="rna")

    class Meta:
        model = Organisation
        fields = []
        form = DirectoryForm

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(
            data, Organisation.objects.published() if queryset is None else queryset, **kwargs
        )


class PoleFilterSet(ReportsIgnored, django_filters.FilterSet):
    territoire = TerritoryFilter(label=_("Territory"))
    stade = KnownChoicesFilter(label=_("Stage"), field_name="stage", choices=PoleStage.choices)
    annee = YearFilter(
        label=_("Founded in"), field_name="founded_year", min_value=1800, max_value=2100
    )

    class Meta:
        model = Pole
        fields = []
        form = DirectoryForm

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, Pole.objects.published() if queryset is None else queryset, **kwargs)


class WithinFilter(TerritoryFilter):
    """`territoire` for territories themselves: the territory and every place below it."""

    def filter(self, qs, value):
        return qs.filter(pk__in=Territory.objects.within(value).values("pk")) if value else qs


class TerritoryFilterSet(ReportsIgnored, django_filters.FilterSet):
    territoire = WithinFilter(label=_("Territory"))
    niveau = KnownChoicesFilter(label=_("Level"), field_name="level", choices=Level.choices)

    class Meta:
        model = Territory
        fields = []
        form = DirectoryForm


class PublicationTerritoryFilter(TerritoryFilter):
    """Publications about the territory: tagged with a place in it, or about an initiative in it."""

    def filter(self, qs, value):
        if not value:
            return qs
        places = Territory.objects.within(value).values("pk")
        return qs.filter(
            Q(territories__in=places) | Q(initiatives__territory__in=places)
        ).distinct()


class PublicationFilterSet(ReportsIgnored, PublicFilterSet):
    type = KnownChoicesFilter(label=_("Kind"), field_name="kind", choices=Kind.choices)
    theme = KnownThemesFilter(
        label=_("Theme"),
        field_name="initiatives__themes__slug",
        to_field_name="slug",
        queryset=Tag.objects.all(),
    )
    territoire = PublicationTerritoryFilter(label=_("Territory"))
    annee = YearFilter(label=_("Year"), field_name="date__year", min_value=1800, max_value=2100)

    class Meta:
        model = Publication
        fields = []
        form = DirectoryForm
