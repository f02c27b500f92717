"""Column specs: name, type, meaning and example of each exported field, in a stable order.

The CSV header, the JSON keys, the GeoJSON properties, the Frictionless schema and the data
dictionary page (`/donnees/`) are all read from these specs, so they cannot disagree.
Types are Frictionless table-schema types; `array` columns are joined with `|` in CSV.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

ARRAY_SEPARATOR = "|"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # string, integer, number, boolean, date, datetime, array
    description: str
    example: str
    source: str = ""  # key in the values() row; defaults to the name

    @property
    def key(self) -> str:
        return self.source or self.name


@dataclass(frozen=True)
class ExportSpec:
    name: str  # the file name: /export/<name>.csv
    title: str
    description: str
    columns: tuple[Column, ...]
    # params -> (values() queryset ordered and ready to iterate, filterset or None)
    rows: Callable[[object], tuple[QuerySet, object]] = field(compare=False, repr=False)
    url_pattern: str = ""  # profile URL with "{slug}" (or "{level}"/"{code}") filled per row
    has_geometry: bool = True
    url_kwarg: str = "slug"  # "pk": the profile URL takes the row's id (events have no slug)

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


def territory_columns(prefix="territory") -> tuple[Column, ...]:
    return (
        Column(
            f"{prefix}_level",
            "string",
            _("Level of the territory: region, departement, epci, commune or area."),
            "commune",
            source=f"{prefix}__level",
        ),
        Column(
            f"{prefix}_code",
            "string",
            _("Official code of the territory (INSEE, or SIREN for an EPCI)."),
            "62178",
            source=f"{prefix}__code",
        ),
        Column(
            f"{prefix}_name",
            "string",
            _("Name of the territory."),
            "Bruay-la-Buissière",
            source=f"{prefix}__name",
        ),
    )


def identity_columns(example_slug: str, example_name: str) -> tuple[Column, ...]:
    return (
        Column("id", "integer", _("Stable identifier in the observatory."), "42"),
        Column("slug", "string", _("Short name used in web addresses."), example_slug),
        Column("name", "string", _("Name."), example_name),
    )


def coordinates(source_prefix: str = "") -> tuple[Column, ...]:
    return (
        Column(
            "latitude",
            "number",
            _("Latitude in decimal degrees (WGS 84)."),
            "50.48",
            source=f"{source_prefix}latitude",
        ),
        Column(
            "longitude",
            "number",
            _("Longitude in decimal degrees (WGS 84)."),
            "2.55",
            source=f"{source_prefix}longitude",
        ),
    )


URL_COLUMN = Column("url", "string", _("Address of the public page."), "https://…/initiatives/…")
PUBLISHED_COLUMN = Column(
    "published_at", "datetime", _("When it was published."), "2024-03-01T10:00:00+01:00"
)
