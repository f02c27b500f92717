"""`/api/v1/changes/`: what a partner's mirror must do since its last visit, in order.

Each entry names an API object (`kind`, `id`) whose representation may have changed since the
cursor, once, at its latest change, oldest first. If it is published now the entry is an
`upsert` with its current representation, the same as in its list endpoint; otherwise it is a
`delete` tombstone with the id alone (a withdrawn initiative, a finding unpublished, an erased
person), never what it held. A withdrawn quote is an `upsert` of its finding without the quote.
Replaying every page into an empty copy gives the published state; `cursor` (the position of
the last entry, or the one given when nothing changed) is where the next visit starts.
"""

import re

from django.db.models import Max
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from ..changes import KINDS, PERSON
from ..models import Change
from . import views
from .pagination import Cursor
from .schema import ApiSchema

SINCE = "since"
SINCE_PATTERN = r"^[0-9]{1,18}$"
SIZE = Cursor.page_size_query_param
VIEWSETS = {
    "initiative": views.InitiativeViewSet,
    "organisation": views.OrganisationViewSet,
    "ptce": views.PoleViewSet,
    "territory": views.TerritoryViewSet,
    "publication": views.PublicationViewSet,
    "finding": views.FindingViewSet,
    "event": views.EventViewSet,
}
assert set(VIEWSETS) == set(KINDS)


@extend_schema_field({"type": ["object", "null"], "additionalProperties": True})
class Representation(serializers.JSONField):
    pass


class ChangeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[*KINDS, PERSON])
    id = serializers.IntegerField()
    action = serializers.ChoiceField(choices=["upsert", "delete"])
    at = serializers.DateTimeField()
    data = Representation(
        help_text="The object as its list endpoint shows it; null for a tombstone."
    )


class ChangePageSerializer(serializers.Serializer):
    cursor = serializers.RegexField(SINCE_PATTERN, help_text="`since` for the next visit.")
    next = serializers.URLField(allow_null=True, help_text="The next page, if there is one.")
    results = ChangeSerializer(many=True)


def _read(request) -> tuple[int, int]:
    """`since` and the page size, or a 400 naming each parameter that cannot be read."""
    errors = {}
    for name in request.query_params:
        if name not in (SINCE, SIZE, "format"):
            errors[name] = [
                _("Unknown parameter; this endpoint takes: %(names)s.")
                % {"names": f"{SINCE}, {SIZE}"}
            ]
    values = request.query_params.getlist(SINCE)
    since = 0
    if values:
        if len(values) != 1 or not re.fullmatch(SINCE_PATTERN, values[0]):
            errors[SINCE] = [_("Invalid cursor.")]
        else:
            since = int(values[0])
    size = Cursor.page_size
    try:
        size = Cursor().get_page_size(request)
    except ValidationError as exc:
        errors.update(exc.detail)
    if errors:
        raise ValidationError(errors)
    return since, size


class FeedSchema(ApiSchema):
    def _is_list_view(self, serializer=None) -> bool:
        return False  # one page object (cursor, next, results), not drf-spectacular's bare array


class ChangeViewSet(viewsets.ViewSet):
    """Every object created, changed, unpublished or erased since a cursor, oldest first, once
    each: `upsert` with its representation (as in its list), or `delete` with its id alone (a
    withdrawn initiative, an unpublished finding, an erased person). A withdrawn quote comes as
    its finding without it. Apply each page to your copy (store or drop by `kind` and `id`),
    follow `next`, keep `cursor` and start from it next time: your copy is then the published
    state, with nothing that must disappear."""

    schema = FeedSchema()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                SINCE,
                {"type": "string", "pattern": SINCE_PATTERN},
                description="The `cursor` of your last visit; none (or 0) for everything.",
            ),
            OpenApiParameter(
                SIZE,
                {"type": "integer", "minimum": 1, "maximum": Cursor.max_page_size},
                description=str(Cursor.page_size_query_description),
            ),
        ],
        responses=ChangePageSerializer,
    )
    def list(self, request):
        since, size = _read(request)
        latest = list(
            Change.objects.filter(seq__gt=since)
            .values("kind", "object_id")
            .annotate(last=Max("seq"), changed_at=Max("at"))
            .order_by("last")[: size + 1]
        )
        more, latest = len(latest) > size, latest[:size]
        current = self._current(request, latest)
        results = []
        for row in latest:
            data = current.get((row["kind"], row["object_id"]))
            results.append(
                {
                    "kind": row["kind"],
                    "id": row["object_id"],
                    "action": "delete" if data is None else "upsert",
                    "at": row["changed_at"],
                    "data": data,
                }
            )
        cursor = str(latest[-1]["last"]) if latest else str(since)
        url = request.build_absolute_uri()
        page = {
            "cursor": cursor,
            "next": replace_query_param(url, SINCE, cursor) if more else None,
            "results": results,
        }
        return Response(ChangePageSerializer(page).data)

    def _current(self, request, rows) -> dict:
        """(kind, id) -> representation, for the objects among `rows` published now."""
        wanted: dict = {}
        for row in rows:
            wanted.setdefault(row["kind"], []).append(row["object_id"])
        found = {}
        for kind, ids in wanted.items():
            if kind not in VIEWSETS:
                continue  # a person: always a tombstone
            view = VIEWSETS[kind](request=request, format_kwarg=None, action="list", kwargs={})
            objects = view.with_relations(view.get_queryset().filter(pk__in=ids))
            for item in view.get_serializer(objects, many=True).data:
                found[(kind, item["id"])] = item
        return found
