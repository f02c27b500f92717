"""The export of each kind: its columns and its rows, filtered by the pages' FilterSets."""

from django.db import connection
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from initiatives.filters import InitiativeFilterSet
from initiatives.models import Initiative, Pole
from territoires.models import Territory

from ..filters import OrganisationFilterSet, PoleFilterSet, TerritoryFilterSet
from .aggregates import joined
from .columns import (
    PUBLISHED_COLUMN,
    URL_COLUMN,
    Column,
    ExportSpec,
    coordinates,
    identity_columns,
    territory_columns,
)
from .querying import _filtered, _themes, values
from .results import EVENTS, FINDINGS


def _pole_slugs():
    through = Initiative.poles.through
    items = (
        through.objects.filter(initiative=OuterRef("pk"), pole__in=Pole.objects.published())
        .order_by()
        .values("initiative")
        .annotate(slugs=joined("pole__slug"))
        .values("slugs")
    )
    return Subquery(items)


def initiative_rows(params):
    filterset = InitiativeFilterSet(params or None, queryset=Initiative.objects.published())
    filterset.is_valid()
    queryset = _filtered(filterset)
    # The FilterSet's `tri` when given; otherwise the primary key, the cheapest stable order.
    sort = getattr(filterset.form, "cleaned_data", {}).get("tri")
    queryset = filterset.filters["tri"].filter(queryset, sort) if sort else queryset.order_by("pk")
    return values(
        queryset, INITIATIVES, theme_names=_themes(Initiative), ptces=_pole_slugs()
    ), filterset


def organisation_rows(params):
    filterset = OrganisationFilterSet(params or None)
    filterset.is_valid()
    queryset = _filtered(filterset).order_by("pk")
    return values(queryset, ORGANISATIONS), filterset


def pole_rows(params):
    filterset = PoleFilterSet(params or None)
    filterset.is_valid()
    queryset = _filtered(filterset).order_by("pk")
    return values(queryset, PTCES), filterset


def territory_rows(params):
    """Territories with at least one published initiative located directly in them."""
    filterset = TerritoryFilterSet(params or None, queryset=Territory.objects.current())
    filterset.is_valid()
    published = Q(initiatives__state="published")
    queryset = (
        filterset.qs.annotate(initiatives_count=Count("initiatives", filter=published))
        .filter(initiatives_count__gt=0)
        .order_by("pk")
    )
    parent_code = Subquery(Territory.objects.filter(pk=OuterRef("parent")).values("code")[:1])
    return values(queryset, TERRITORIES, parent_code=parent_code), filterset


INITIATIVES = ExportSpec(
    name="initiatives",
    title=_("Initiatives"),
    description=_("Published cooperative initiatives, one row each."),
    url_pattern="initiatives:detail",
    rows=initiative_rows,
    columns=(
        *identity_columns("maison-des-echanges", "Maison des échanges"),
        Column("summary", "string", _("One-sentence summary."), "Exchange instead of purchase."),
        Column(
            "stage",
            "string",
            _("Stage: idea, emerging, running, consolidated or ended."),
            "running",
        ),
        Column("start_date", "date", _("Start date, if known."), "2016-09-01"),
        Column("end_date", "date", _("End date, if it has ended."), ""),
        *territory_columns(),
        *coordinates(),
        Column(
            "themes",
            "array",
            _("Themes, separated by “|” in CSV."),
            "mobilité|alimentation",
            source="theme_names",
        ),
        Column("ptces", "array", _("Slugs of its PTCEs, separated by “|” in CSV."), "ptce-artois"),
        Column("sectoral_interaction", "boolean", _("Lever: sectoral interaction."), "true"),
        Column("territorial_coherence", "boolean", _("Lever: territorial coherence."), "false"),
        Column(
            "cross_world_alliances",
            "boolean",
            _("Lever: alliances between actors of different worlds."),
            "true",
        ),
        Column("website", "string", _("Its own website."), "https://example.org"),
        Column("siret", "string", _("SIRET of the establishment where it runs, if any."), ""),
        URL_COLUMN,
        PUBLISHED_COLUMN,
    ),
)

ORGANISATIONS = ExportSpec(
    name="organisations",
    title=_("Organisations"),
    description=_("Published actors: associations, cooperatives, companies, local authorities…"),
    url_pattern="initiatives:organisation",
    rows=organisation_rows,
    columns=(
        *identity_columns("adere-laura", "ADERE LAURA"),
        Column("acronym", "string", _("Acronym."), "ADERE"),
        Column("legal_form", "string", _("Legal form (association, scop, scic…)."), "scic"),
        Column("summary", "string", _("One-sentence summary."), "A purchasing network."),
        Column("siren", "string", _("SIREN number of the company register."), "732829320"),
        Column(
            "siret", "string", _("SIRET number of its head office (14 digits)."), "73282932000074"
        ),
        Column("rna", "string", _("RNA number, for an association (W and 9 characters)."), ""),
        *territory_columns(),
        *coordinates("territory__"),
        Column("website", "string", _("Its own website."), "https://example.org"),
        URL_COLUMN,
        PUBLISHED_COLUMN,
    ),
)

PTCES = ExportSpec(
    name="ptces",
    title=_("PTCEs"),
    description=_("Published territorial poles of economic cooperation."),
    url_pattern="initiatives:pole",
    rows=pole_rows,
    columns=(
        *identity_columns("ptce-artois", "PTCE de l'Artois"),
        Column("summary", "string", _("One-sentence summary."), "A pole of cooperation."),
        Column("stage", "string", _("Stage: emerging or consolidated."), "emerging"),
        Column("founded_year", "integer", _("Year it was founded."), "2014"),
        *territory_columns(),
        *coordinates("territory__"),
        Column("website", "string", _("Its own website."), "https://example.org"),
        URL_COLUMN,
        PUBLISHED_COLUMN,
    ),
)

TERRITORIES = ExportSpec(
    name="territories",
    title=_("Territories with initiatives"),
    description=_("Territories where at least one published initiative is located."),
    url_pattern="territoires:detail",
    rows=territory_rows,
    columns=(
        Column("id", "integer", _("Stable identifier in the observatory."), "7"),
        Column(
            "level",
            "string",
            _("Level: region, collectivite (overseas), departement, epci, commune, area."),
            "region",
        ),
        Column("code", "string", _("Official code (INSEE, or SIREN for an EPCI)."), "84"),
        Column("name", "string", _("Name."), "Auvergne-Rhône-Alpes"),
        Column("parent_code", "string", _("Code of the territory above it."), "32"),
        Column("population", "integer", _("Population, if known."), "8000000"),
        *coordinates(),
        Column(
            "initiatives_count",
            "integer",
            _("Published initiatives located directly in it."),
            "12",
        ),
        URL_COLUMN,
    ),
)

SPECS = {
    spec.name: spec for spec in (INITIATIVES, ORGANISATIONS, PTCES, TERRITORIES, FINDINGS, EVENTS)
}


def supports_server_side_cursor() -> bool:
    return connection.vendor == "postgresql"
