"""The agenda's FilterSet, shared by the list, the month view and the .ics feed.

Query parameters follow the directory's contract: `territoire=region:84` (with the territories
below it), `theme=<slug>` (several: any of them), `type=webinar` (several: any of them).
"""

from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from initiatives.filters import (
    DirectoryForm,
    KnownChoicesFilter,
    KnownThemesFilter,
    PublicFilterSet,
    TerritoryFilter,
)

from .models import Event, Kind


class EventFilterSet(PublicFilterSet):
    territoire = TerritoryFilter(label=_("Territory"))
    theme = KnownThemesFilter(
        label=_("Theme"),
        field_name="themes__slug",
        to_field_name="slug",
        queryset=Tag.objects.all(),
        distinct=True,
    )
    type = KnownChoicesFilter(label=_("Kind"), field_name="kind", choices=Kind.choices)

    class Meta:
        model = Event
        fields = []
        form = DirectoryForm
