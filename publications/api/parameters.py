"""The query parameters of the API: described in the OpenAPI schema and checked on every request.

The pages drop a value they do not understand and say so (`FilterSet.ignored()`); a program
would never see that sentence, so the API refuses instead, naming each parameter:
- a parameter the endpoint does not take, two values where one is expected, a value of the wrong
  shape, a value outside a closed list (`stade`, `type_acteur`, `niveau`...), a year out of range,
  a cursor or page size that cannot be read: 400, `{"<parameter>": ["why", ...], ...}`;
- a well-formed name of something that does not exist (`territoire=region:99`, a theme or PTCE
  slug nobody uses): 404, `{"detail": "<parameter>: why"}`. The set of such names is open and
  changes with the data, so the schema can only give their shape; a 400 would refuse requests the
  schema calls valid.
"""

import datetime
import re

from django.utils.translation import gettext as _
from django_filters import OrderingFilter
from rest_framework.exceptions import NotFound, ValidationError

from initiatives.filters import (
    IdentifierFilter,
    KnownChoicesFilter,
    KnownObjectsFilter,
    TerritoryFilter,
    YearFilter,
)
from territoires.models import Level

from .pagination import CURSOR_PATTERN

TERRITORY_PATTERN = r"^(" + "|".join(Level.values) + r"):[-_0-9A-Za-z]{1,20}$"
# Slugs of initiatives and PTCEs, and of themes, which keep their accents ("achats-mutualisés").
NAME_PATTERN = r"^[-_0-9A-Za-zÀ-ÖØ-öø-ɏ]{1,200}$"
INTEGER = re.compile(r"-?[0-9]{1,9}")
# A SIREN, SIRET or RNA, with the spaces and dots people paste (matched without them).
IDENTIFIER_PATTERN = r"^[0-9A-Za-z][0-9A-Za-z .\-/]{0,29}$"
# DRF's own: `?format=json` or `format=api` (the browsable page) on any endpoint.
ALWAYS = ("format",)
# Every list takes it: only the objects with a change recorded since then (publications.changes).
MODIFIED_SINCE = "modifie_depuis"
# RFC 3339's date-time, what the schema's `format: date-time` promises.
DATE_TIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})"
)
MODIFIED_SINCE_SCHEMA = {
    "name": MODIFIED_SINCE,
    "in": "query",
    "required": False,
    "description": "Only the objects created, changed or republished since this moment "
    "(RFC 3339, with its offset: 2026-12-01T00:00:00Z); those unpublished or erased since then "
    "are in /api/v1/changes/.",
    "schema": {"type": "string", "format": "date-time"},
}


def offered(filterset_class) -> dict:
    """The filters the API takes: the FilterSet's, less the sort (the API pages by id)."""
    return {
        name: filter_
        for name, filter_ in filterset_class.base_filters.items()
        if not isinstance(filter_, OrderingFilter)
    }


def choices(filter_) -> list[str]:
    return [str(value) for value, _label in filter_.extra["choices"]]


def year_bounds(filter_) -> tuple[int, int]:
    return filter_.extra.get("min_value", 1), filter_.extra.get("max_value", 9999)


def value_schema(filter_) -> dict:
    if isinstance(filter_, TerritoryFilter):
        return {"type": "string", "pattern": TERRITORY_PATTERN}
    if isinstance(filter_, KnownChoicesFilter):
        return {"type": "array", "items": {"type": "string", "enum": choices(filter_)}}
    if isinstance(filter_, KnownObjectsFilter):
        return {"type": "array", "items": {"type": "string", "pattern": NAME_PATTERN}}
    if isinstance(filter_, YearFilter):
        low, high = year_bounds(filter_)
        return {"type": "integer", "minimum": low, "maximum": high}
    if isinstance(filter_, IdentifierFilter):
        return {"type": "string", "pattern": IDENTIFIER_PATTERN}
    raise TypeError(f"No API description for {type(filter_).__name__}")


def describe(name, filter_) -> dict:
    schema = value_schema(filter_)
    described = {
        "name": name,
        "in": "query",
        "required": False,
        "description": str(filter_.label or name),
        "schema": schema,
    }
    if schema["type"] == "array":
        described.update(style="form", explode=True)
    return described


def parse_date_time(text: str) -> datetime.datetime | None:
    """An RFC 3339 date-time as an aware datetime, or None when it is not one."""
    match = DATE_TIME.fullmatch(text)
    if not match:
        return None
    day, minutes, seconds, fraction, offset = match.groups()
    seconds = min(int(seconds), 59)  # a leap second is the last second of its minute here
    fraction = (fraction or ".0")[1:7].ljust(6, "0")
    offset = "+00:00" if offset in "Zz" else offset
    try:
        value = datetime.datetime.fromisoformat(f"{day}T{minutes}:{seconds:02d}.{fraction}{offset}")
        return value.astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        return None


def modified_since(request) -> datetime.datetime | None:
    """`modifie_depuis` of a list request, already checked by `check_request`."""
    value = request.query_params.get(MODIFIED_SINCE)
    return parse_date_time(value) if value is not None else None


def _value_errors(filter_, values: list[str]) -> list[str]:
    """Why these values of one filter cannot be read (an empty list when they can)."""
    if not isinstance(filter_, KnownChoicesFilter | KnownObjectsFilter) and len(values) > 1:
        return [_("Give one value, not %(count)d.") % {"count": len(values)}]
    errors = []
    for value in values:
        if isinstance(filter_, TerritoryFilter) and not re.fullmatch(TERRITORY_PATTERN, value):
            errors.append(
                _("“%(value)s” is not a territory: level:code, for example region:84.")
                % {"value": value}
            )
        elif isinstance(filter_, KnownChoicesFilter) and value not in choices(filter_):
            errors.append(
                _("Unknown value “%(value)s”: one of %(choices)s.")
                % {"value": value, "choices": ", ".join(choices(filter_))}
            )
        elif isinstance(filter_, KnownObjectsFilter) and not re.fullmatch(NAME_PATTERN, value):
            errors.append(_("“%(value)s” is not a slug.") % {"value": value})
        elif isinstance(filter_, IdentifierFilter) and not re.fullmatch(IDENTIFIER_PATTERN, value):
            errors.append(_("“%(value)s” is not a SIREN, SIRET or RNA number.") % {"value": value})
        elif isinstance(filter_, YearFilter):
            low, high = year_bounds(filter_)
            if not INTEGER.fullmatch(value) or not low <= int(value) <= high:
                errors.append(
                    _("“%(value)s” is not a year from %(low)d to %(high)d.")
                    % {"value": value, "low": low, "high": high}
                )
    return errors


def check_request(request, filterset_class=None, paginator=None) -> None:
    """400 naming every parameter that cannot be read; on a list, `filterset_class` and
    `paginator` say which parameters it takes (a single object takes none but `format`)."""
    filters = offered(filterset_class) if filterset_class else {}
    paging = [paginator.cursor_query_param, paginator.page_size_query_param] if paginator else []
    if filterset_class:
        paging.append(MODIFIED_SINCE)
    errors = {}
    for name in request.query_params:
        values = request.query_params.getlist(name)
        if name in filters:
            problems = _value_errors(filters[name], values)
        elif name == getattr(paginator, "cursor_query_param", None):
            cursor_ok = len(values) == 1 and re.fullmatch(CURSOR_PATTERN, values[0])
            problems = [] if cursor_ok else [_("Invalid cursor.")]
        elif name == MODIFIED_SINCE and name in paging:
            readable = len(values) == 1 and parse_date_time(values[0]) is not None
            problems = [] if readable else [_("A date and time: 2026-12-01T00:00:00Z.")]
        elif name in paging or name in ALWAYS:
            problems = []  # the page size is checked by the paginator, `format` by DRF
        else:
            taken = ", ".join([*filters, *paging]) or _("none")
            problems = [_("Unknown parameter; this endpoint takes: %(names)s.") % {"names": taken}]
        if problems:
            errors[name] = problems
    if paginator and paginator.page_size_query_param in request.query_params:
        try:
            paginator.get_page_size(request)
        except ValidationError as exc:
            errors.update(exc.detail)
    if errors:
        raise ValidationError(errors)


def raise_not_found(filterset) -> None:
    """After `check_request`, what the FilterSet still refuses names something that does not
    exist (a territory, a theme, a PTCE, an initiative): a 404 that says which."""
    if filterset.is_valid():
        return
    form = filterset.form
    reasons = []
    for name, messages in form.errors.items():
        unknown = getattr(form.fields.get(name), "unknown", None)
        if unknown:
            messages = [_("nothing is named “%(value)s”.") % {"value": v} for v in unknown]
        reasons += [f"{name}: {message}" for message in messages]
    raise NotFound(" ".join(reasons))
