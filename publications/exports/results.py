"""The published results as data: findings (quotes read through consent) and agenda events."""

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils.translation import gettext_lazy as _

from agenda.filters import EventFilterSet
from agenda.models import Event
from initiatives.models import Initiative, Organisation
from terrain.quotes import prefetch_quotes, public_text

from ..filters import FindingFilterSet
from .aggregates import joined
from .columns import (
    ARRAY_SEPARATOR,
    PUBLISHED_COLUMN,
    URL_COLUMN,
    Column,
    ExportSpec,
    coordinates,
    territory_columns,
)
from .querying import _filtered, _themes, values

LEVERS = ("sectoral_interaction", "territorial_coherence", "cross_world_alliances")


class FindingRows:
    """Findings as export rows. Quotes come from `public_quotes()` (consent checked now); their
    rows are prefetched per chunk, so the number of queries does not grow with the findings."""

    def __init__(self, queryset):
        self.queryset = queryset.prefetch_related(
            "themes",
            Prefetch(
                "initiatives",
                Initiative.objects.published().order_by("slug"),
                to_attr="public_initiatives",
            ),
            prefetch_quotes(),
        )

    def iterator(self, chunk_size):
        for finding in self.queryset.iterator(chunk_size=chunk_size):
            quotes = finding.public_quotes()
            row = {
                name: getattr(finding, name)
                for name in ("id", "slug", "title", "summary", "text", *LEVERS, "licence")
            }
            row.update(
                theme_names=ARRAY_SEPARATOR.join(sorted(t.name for t in finding.themes.all())),
                initiative_slugs=ARRAY_SEPARATOR.join(i.slug for i in finding.public_initiatives),
                quotes=public_text(quotes),
                has_removed_quotes=any(quote.removed for quote in quotes),
                published_at=finding.published_at,
            )
            yield row


def finding_rows(params):
    filterset = FindingFilterSet(params or None)
    filterset.is_valid()
    queryset = _filtered(filterset).order_by("pk")
    return FindingRows(queryset), filterset


def event_rows(params):
    filterset = EventFilterSet(params or None)
    filterset.is_valid()
    queryset = _filtered(filterset).order_by("starts_at", "pk")
    through = Event.initiatives.through
    initiatives = (
        through.objects.filter(event=OuterRef("pk"), initiative__state="published")
        .order_by()
        .values("event")
        .annotate(slugs=joined("initiative__slug"))
        .values("slugs")
    )
    organiser = Organisation.objects.published().filter(pk=OuterRef("organiser"))
    return values(
        queryset,
        EVENTS,
        theme_names=_themes(Event),
        initiative_slugs=Subquery(initiatives),
        organiser_slug=Subquery(organiser.values("slug")[:1]),
    ), filterset


def _levers() -> tuple[Column, ...]:
    return (
        Column("sectoral_interaction", "boolean", _("Lever: sectoral interaction."), "true"),
        Column("territorial_coherence", "boolean", _("Lever: territorial coherence."), "false"),
        Column(
            "cross_world_alliances",
            "boolean",
            _("Lever: alliances between actors of different worlds."),
            "true",
        ),
    )


THEMES_COLUMN = Column(
    "themes", "array", _("Themes, separated by “|” in CSV."), "mobilité", source="theme_names"
)
INITIATIVES_COLUMN = Column(
    "initiatives",
    "array",
    _("Slugs of the published initiatives concerned, separated by “|” in CSV."),
    "maison-des-echanges",
    source="initiative_slugs",
)

FINDINGS = ExportSpec(
    name="findings",
    title=_("Findings"),
    description=_(
        "Published findings of the fieldwork, with the quotes their speakers still consent to."
    ),
    url_pattern="findings:detail",
    rows=finding_rows,
    has_geometry=False,
    columns=(
        Column("id", "integer", _("Stable identifier in the observatory."), "12"),
        Column("slug", "string", _("Short name used in web addresses."), "confiance-echanges"),
        Column("title", "string", _("Title."), "Trust is built by exchanges"),
        Column("summary", "string", _("One-sentence summary."), "A lesson on trust."),
        Column("text", "string", _("The finding."), "Regular exchanges build trust."),
        THEMES_COLUMN,
        INITIATIVES_COLUMN,
        *_levers(),
        Column(
            "quotes",
            "string",
            _(
                "The quotes the people quoted consent to now, one a line: “speaker: text”. "
                "A withdrawn consent removes a quote at once."
            ),
            "Paul: Trust came from regular exchanges.",
        ),
        Column(
            "has_removed_quotes",
            "boolean",
            _("Whether some quotes were removed because consent no longer allows them."),
            "false",
        ),
        Column("licence", "string", _("Licence of the text."), "Licence Ouverte 2.0"),
        URL_COLUMN,
        PUBLISHED_COLUMN,
    ),
)

EVENTS = ExportSpec(
    name="events",
    title=_("Events"),
    description=_("Published events of the regional agenda, past and upcoming."),
    url_pattern="agenda:detail",
    url_kwarg="pk",
    rows=event_rows,
    columns=(
        Column("id", "integer", _("Stable identifier in the observatory."), "31"),
        Column("title", "string", _("Title."), "Rencontre des PTCE"),
        Column("description", "string", _("Description."), "A day of workshops."),
        Column(
            "kind",
            "string",
            _("Kind: meeting, workshop, training, webinar or gathering."),
            "workshop",
        ),
        Column("starts_at", "datetime", _("Start."), "2025-03-14T09:30:00+01:00"),
        Column("ends_at", "datetime", _("End, if known."), "2025-03-14T17:00:00+01:00"),
        Column("all_day", "boolean", _("Whether it lasts whole days."), "false"),
        Column("place", "string", _("Place."), "Salle des fêtes"),
        Column("online", "boolean", _("Whether it takes place online."), "false"),
        Column("link", "string", _("Link given by the organiser."), "https://example.org", "url"),
        *territory_columns(),
        *coordinates("territory__"),
        THEMES_COLUMN,
        Column(
            "organiser",
            "string",
            _("Slug of the organising organisation, if published."),
            "adere-laura",
            source="organiser_slug",
        ),
        INITIATIVES_COLUMN,
        URL_COLUMN,
        PUBLISHED_COLUMN,
    ),
)
