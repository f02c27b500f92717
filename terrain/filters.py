"""The findings' FilterSet: the public list of findings, the findings export and the API filter
published findings with it (publications.filters re-exports it with the other kinds')."""

from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from initiatives.filters import (
    DirectoryForm,
    InitiativeFilterSet,
    KnownObjectsFilter,
    KnownThemesFilter,
    PublicFilterSet,
    TerritoryFilter,
)
from initiatives.models import Initiative

from .models import Finding


class FindingTerritoryFilter(TerritoryFilter):
    """Findings about a published initiative located in the territory (or below it)."""

    def filter(self, qs, value):
        if not value:
            return qs
        places = Initiative.objects.published().in_territory(value).values("pk")
        about = Finding.initiatives.through.objects.filter(initiative__in=places)
        return qs.filter(pk__in=about.values("finding"))


class FindingFilterSet(PublicFilterSet):
    # `ignored()`: the values not understood, exactly as the directory reports them.
    ignored = InitiativeFilterSet.ignored

    theme = KnownThemesFilter(
        label=_("Theme"),
        field_name="themes__slug",
        to_field_name="slug",
        queryset=Tag.objects.all(),
    )
    initiative = KnownObjectsFilter(
        label=_("Initiative"),
        field_name="initiatives__slug",
        to_field_name="slug",
        queryset=Initiative.objects.published(),
    )
    territoire = FindingTerritoryFilter(label=_("Territory"))

    class Meta:
        model = Finding
        fields = []
        form = DirectoryForm
