"""FilterSets of the directory, shared by the pages, the map, the exports and the API.

Query parameters are part of the public contract (shared links, partners' embeds, the API):
`territoire=region:84`, `theme=<slug>`, `type_acteur=scic`, `levier=territorial_coherence`,
`ptce=<slug>`, `stade=emerging`, `annee=2016`, `tri=-published`. Several values of one facet are
alternatives (OR); different facets combine (AND). An invalid value is reported by the form and
ignored, so a bad link still shows a page: for a facet with several values, only the values that
are not understood are dropped, the others still apply.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F, Q
from django.db.models.functions import Collate
from django.utils.translation import gettext_lazy as _
from django_filters import fields as filter_fields
from taggit.models import Tag

from observatoire.namematch import name_regex
from observatoire.vocabulary import term
from observatoire.widgets import ManyOptionsSelectMultiple
from territoires.fields import TerritoryInput
from territoires.lookup import label, resolve

from .arrays import available as arrays_available
from .arrays import has_actor_form, overlaps
from .identifiers import compact
from .models import Initiative, LegalForm, Organisation, Pole, Role, Stage

LEVERS = [
    ("sectoral_interaction", _("sectoral interaction")),
    ("territorial_coherence", _("territorial coherence")),
    ("cross_world_alliances", _("alliances between actors of different worlds")),
]
UNKNOWN_VALUE = _("Unknown value “%(value)s”, ignored.")
FRENCH_COLLATION = "fr-x-icu"  # PostgreSQL's ICU collation: "Épicerie" sorts among the E


def by_name(field="name", *, descending=False):
    """Order by a name the way a French reader expects (accents, case), where the database can."""
    expression = F(field)
    if connection.vendor == "postgresql":
        expression = Collate(expression, FRENCH_COLLATION)
    return expression.desc() if descending else expression.asc()


@dataclass(frozen=True)
class Ignored:
    """One query-parameter value that was not understood, so not applied."""

    label: str
    value: str
    reason: str


class TerritoryField(forms.CharField):
    """`level:code` (e.g. `region:84`, `commune:62178`) resolved to a Territory, or what a person
    types: a name, a code or a postcode (territoires/lookup.py), of which `resolution` keeps what
    was understood, for the page to say it."""

    widget = TerritoryInput

    def clean(self, value):
        value = super().clean(value)
        self.resolution = resolve(value)
        if not value:
            return None
        if self.resolution.territory is not None:
            return self.resolution.territory
        if self.resolution.candidates:
            raise ValidationError(
                _("“%(typed)s” may be several territories: %(candidates)s. Choose one."),
                params={
                    "typed": value,
                    "candidates": "; ".join(label(t) for t in self.resolution.candidates[:5]),
                },
            )
        raise ValidationError(_("Unknown territory “%(value)s”."), params={"value": value})


class KnownChoicesField(filter_fields.MultipleChoiceField):
    """Keeps the values it knows and remembers the others in `unknown` (see DirectoryForm)."""

    def clean(self, value):
        values = list(dict.fromkeys(str(v) for v in self.to_python(value)))
        self.unknown = [v for v in values if not self.valid_value(v)]
        return super().clean([v for v in values if v not in self.unknown])


class KnownObjectsField(filter_fields.ModelMultipleChoiceField):
    """The same for a facet whose values are rows (themes, PTCEs): one query, unknown kept aside."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        # An empty value (a text field left blank, `ptce=`) asks for nothing.
        values = [v for v in dict.fromkeys(str(v).strip() for v in value) if v]
        # A NUL byte cannot even be sent to PostgreSQL: it is simply unknown.
        candidates = [v for v in values if "\x00" not in v]
        found = list(self.queryset.filter(**{f"{key}__in": candidates})) if candidates else []
        known = {str(getattr(obj, key)) for obj in found}
        self.unknown = [v for v in values if v not in known]
        return found


class DirectoryForm(forms.Form):
    """Reports the dropped values of a many-valued facet as errors without dropping the facet.

    `add_error()` would also remove the field's cleaned value, and with it the values that were
    understood; so the message goes straight into the error dict, where `errors` and `is_valid()`
    (and the pages that show them) find it.
    """

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        for name, field in self.fields.items():
            for value in getattr(field, "unknown", ()):
                message = UNKNOWN_VALUE % {"value": value}
                self._errors.setdefault(name, self.error_class()).append(message)


class TerritoryFilter(django_filters.Filter):
    field_class = TerritoryField

    def filter(self, qs, value):
        return qs.in_territory(value) if value else qs


class KnownChoicesFilter(django_filters.MultipleChoiceFilter):
    """Any of the chosen values of a column. Without DISTINCT (django-filter's default for many
    values): a column of the row itself cannot repeat the row, and DISTINCT over every column of
    100,000 initiatives cost 150-180 ms per query."""

    field_class = KnownChoicesField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)


class KnownObjectsFilter(django_filters.ModelMultipleChoiceFilter):
    """Rows related to any of the chosen objects (themes, PTCEs), as a subquery of their ids.

    A join would repeat a row once per matching object and need DISTINCT over every column; the
    subquery keeps each row once, so the directory's facets count the filtered rows directly.
    """

    field_class = KnownObjectsField

    def filter(self, qs, value):
        if not value:
            return qs
        key = self.extra.get("to_field_name") or "pk"
        wanted = [getattr(obj, key) for obj in value]
        matching = qs.model._default_manager.filter(**{f"{self.field_name}__in": wanted})
        return qs.filter(pk__in=matching.values("pk"))


class PoleField(KnownObjectsField):
    """PTCEs by slug, or by name as a person types it: the facet shows only the PTCEs with the
    most initiatives, the others are asked for by name ("artois" finds "PTCE de l'Artois").

    A typed name is matched whatever its accents, case and separators, first as the whole name,
    then as a part of one name; a part of several names stays an unknown value.
    """

    def _check_values(self, value):
        found = super()._check_values(value)
        for typed in list(self.unknown):
            pole = self._by_name(typed)
            if pole is not None:
                self.unknown.remove(typed)
                if pole not in found:
                    found.append(pole)
        return found

    def _by_name(self, typed: str):
        pattern = name_regex(typed)
        if not pattern or len(typed) > 200 or "\x00" in typed:
            return None
        for regex in (f"^{pattern}$", pattern):
            matches = list(self.queryset.filter(name__iregex=regex)[:2])
            if len(matches) == 1:
                return matches[0]
            if matches:
                return None
        return None


class PoleFilter(KnownObjectsFilter):
    """The form's select (the map) lists every published PTCE: written in Python (ManyOptions)."""

    field_class = PoleField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", ManyOptionsSelectMultiple)
        super().__init__(*args, **kwargs)


class ThemeField(KnownObjectsField):
    def label_from_instance(self, obj):
        return term(obj.name)  # in the reader's language where the vocabulary has it


class KnownThemesFilter(KnownObjectsFilter):
    """Themes, each offered in the reader's language where the shared vocabulary has it."""

    field_class = ThemeField


class ThemeFilter(KnownThemesFilter):
    """Initiatives with any of the chosen themes; on PostgreSQL from `theme_ids` (migration 0006).

    An array overlap on the row itself (GIN-indexed) instead of a subquery joining the tagged
    items: under a common theme at 100,000 initiatives, the page query went from 250 ms (hashing
    34,000 ids) to a walk of the name index that stops after the page.
    """

    def filter(self, qs, value):
        if not value or not arrays_available(qs):
            return super().filter(qs, value)
        return qs.filter(overlaps([tag.pk for tag in value]))


class YearFilter(django_filters.NumberFilter):
    # A whole number: a decimal year would reach the `__year` lookup and fail there.
    field_class = forms.IntegerField


class DirectoryOrderingFilter(django_filters.OrderingFilter):
    """Sorts with the primary key last, so that pages never share or skip a row."""

    def get_ordering_value(self, param):
        value = super().get_ordering_value(param)
        if value.lstrip("-") == "name":
            return by_name(descending=value.startswith("-"))
        # Initiatives without a start date go last whichever way one sorts by it.
        if value.lstrip("-") == "start_date":
            descending = value.startswith("-")
            return (
                F("start_date").desc(nulls_last=True)
                if descending
                else F("start_date").asc(nulls_last=True)
            )
        return value

    def filter(self, qs, value):
        params = [param for param in value or [] if param]
        if not params:
            return qs
        return qs.order_by(*[self.get_ordering_value(param) for param in params], "pk")


class PublicFilterSet(django_filters.FilterSet):
    """A FilterSet over what is public: whoever forgets the queryset gets only `published()`."""

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = self._meta.model.objects.published()
        super().__init__(data, queryset, **kwargs)

    def notices(self) -> list[str]:
        """What was read from a typed value: "“62” was read as Pas-de-Calais (62, département)."""
        return territory_notices(self)


def canonical_value(filterset, name: str, value: str) -> str:
    """A filter value as links should carry it: a typed territory ("62700") as its internal code
    (`commune:62178`), so that a shared link names the territory the page used."""
    resolution = getattr(filterset.form.fields.get(name), "resolution", None)
    territory = getattr(resolution, "territory", None)
    return f"{territory.level}:{territory.code}" if territory is not None else value


def territory_notices(filterset) -> list[str]:
    if not filterset.is_bound:
        return []
    filterset.errors  # noqa: B018 - cleans the form, as FilterSet.qs does
    fields = filterset.form.fields.values()
    return [
        str(notice)
        for field in fields
        if (notice := getattr(getattr(field, "resolution", None), "notice", ""))
    ]


class IdentifierFilter(django_filters.CharFilter):
    """A SIREN, SIRET or RNA as people paste it ("552 100 554"): matched without separators."""

    def filter(self, qs, value):
        return super().filter(qs, compact(value)) if value else qs


class InitiativeFilterSet(PublicFilterSet):
    territoire = TerritoryFilter(label=_("Territory"))
    theme = ThemeFilter(
        label=_("Theme"),
        field_name="themes__slug",
        to_field_name="slug",
        queryset=Tag.objects.all(),
    )
    type_acteur = KnownChoicesFilter(
        label=_("Actor type"), choices=LegalForm.choices, method="filter_actor_types"
    )
    levier = KnownChoicesFilter(
        label=_("Lever of co-construction"), choices=LEVERS, method="filter_levers"
    )
    ptce = PoleFilter(
        label=_("PTCE"),
        field_name="poles__slug",
        to_field_name="slug",
        queryset=Pole.objects.published().only("name", "slug"),  # what a choice shows
    )
    stade = KnownChoicesFilter(label=_("Stage"), field_name="stage", choices=Stage.choices)
    annee = YearFilter(
        label=_("Year started"), field_name="start_date__year", min_value=1800, max_value=2100
    )
    # Identifiers: the initiative's own SIRET, or the SIREN of one of its published organisations.
    siret = IdentifierFilter(label=_("SIRET"), field_name="siret")
    siren = IdentifierFilter(label=_("SIREN"), method="filter_siren")
    tri = DirectoryOrderingFilter(
        label=_("Sort"),
        fields=[("name", "name"), ("published_at", "published"), ("start_date", "started")],
        field_labels={
            "name": _("Name, A to Z"),
            "-name": _("Name, Z to A"),
            "published_at": _("Published first"),
            "-published": _("Published last"),
            "start_date": _("Started first"),
            "-started": _("Started last"),
        },
    )

    class Meta:
        model = Initiative
        fields = []
        form = DirectoryForm

    def filter_actor_types(self, queryset, name, values):
        if not values:
            return queryset
        # Only published organisations count: an unpublished one must not make an initiative match.
        if arrays_available(queryset):
            return queryset.filter(has_actor_form(list(values)))  # actor_forms, migration 0009
        actors = Organisation.objects.published().filter(legal_form__in=values)
        return queryset.filter(
            pk__in=Role.objects.filter(organisation__in=actors).values("initiative_id")
        )

    def filter_siren(self, queryset, name, value):
        siren = compact(value)
        if not siren:
            return queryset
        actors = Organisation.objects.published().filter(siren=siren)
        return queryset.filter(
            Q(siret__startswith=siren)
            | Q(pk__in=Role.objects.filter(organisation__in=actors).values("initiative_id"))
        )

    def filter_levers(self, queryset, name, values):
        if not values:
            return queryset
        any_lever = Q()
        for lever in values:
            any_lever |= Q(**{lever: True})
        return queryset.filter(any_lever)

    def query(self, *, without=()) -> str:
        """This selection as a query string: the filters only (no page, nothing unknown), so that a
        link built from it (an export, the map) shows what the page shows."""
        if not self.is_bound:
            return ""
        data = self.data
        values = data.getlist if hasattr(data, "getlist") else lambda name: [data.get(name)]
        return urlencode(
            [
                (name, value)
                for name in self.filters
                if name not in without
                for value in values(name)
                if value
            ]
        )

    @property
    def export_query(self) -> str:
        return self.query()

    @property
    def map_query(self) -> str:
        return self.query(without=("tri",))  # the map has no order

    def queryset_without(self, *names):
        """The queryset under every current filter except `names`, unsorted.

        A facet counts its values under all the other filters: choosing a theme must not make the
        other themes drop to zero.
        """
        queryset = self.queryset.all()
        if self.is_bound:
            self.errors  # noqa: B018 - cleans the form, as FilterSet.qs does
            for name, value in self.form.cleaned_data.items():
                if name not in names and name != "tri":
                    queryset = self.filters[name].filter(queryset, value)
        return queryset.order_by()

    def ignored(self) -> list[Ignored]:
        """Every value in the query that was not understood, and so not applied."""
        if not self.is_bound or self.is_valid():
            return []
        form = self.form
        items = []
        for name, errors in form.errors.items():
            field = form.fields.get(name)
            if field is None:
                continue
            unknown = getattr(field, "unknown", None)
            if unknown:
                items += [Ignored(str(field.label), v, str(_("unknown value"))) for v in unknown]
                continue
            raw = form[name].data
            values = raw if isinstance(raw, list | tuple) else [raw]
            reason = " ".join(str(error) for error in errors)
            items += [Ignored(str(field.label), str(v), reason) for v in values if v]
        return items
