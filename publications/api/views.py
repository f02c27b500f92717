"""Read-only viewsets: published rows only, filtered by the same FilterSets as pages and exports."""

from django.db.models import Count, Prefetch, Q
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets

from agenda.filters import EventFilterSet
from agenda.models import Event
from initiatives.filters import InitiativeFilterSet
from initiatives.models import Initiative, Organisation, Pole
from terrain.models import Finding
from terrain.quotes import prefetch_quotes
from territoires.models import Territory

from ..changes import changed_since
from ..filters import (
    FindingFilterSet,
    OrganisationFilterSet,
    PoleFilterSet,
    PublicationFilterSet,
    TerritoryFilterSet,
)
from ..models import Publication
from . import parameters, schema, serializers  # noqa: F401 - schema registers the filters' description


class Strict(DjangoFilterBackend):
    """Filters a list with the pages' FilterSet; a value naming nothing that exists is a 404
    (malformed ones were refused by `ReadOnly.initial`, see publications.api.parameters)."""

    def filter_queryset(self, request, queryset, view):
        if view.action != "list":
            return queryset  # an object is found by its id or slug alone
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        parameters.raise_not_found(filterset)
        queryset = filterset.qs
        if queryset.query.distinct:
            # DISTINCT and the cursor's ORDER BY do not mix well: one row each, by primary key.
            queryset = view.get_queryset().filter(pk__in=queryset.values("pk"))
        since = parameters.modified_since(request)
        if since is not None:
            queryset = queryset.filter(pk__in=changed_since(view.basename, since))
        return queryset.order_by()


class ReadOnly(viewsets.ReadOnlyModelViewSet):
    filter_backends = [Strict]
    lookup_field = "slug"

    def with_relations(self, queryset):
        """What the serializer reads beyond `get_queryset()` (the change feed uses it too)."""
        return queryset

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication (401), throttles (429)
        # Other methods (OPTIONS, or a refused POST/TRACE...) are answered without a look at them.
        if self.action == "list":
            parameters.check_request(request, self.filterset_class, self.paginator)
        elif self.action == "retrieve":
            parameters.check_request(request)


class InitiativeViewSet(ReadOnly):
    """Published initiatives; query parameters as on `/initiatives/` (`territoire`, `theme`…)."""

    serializer_class = serializers.InitiativeSerializer
    filterset_class = InitiativeFilterSet

    def get_queryset(self):
        return Initiative.objects.published()

    def paginate_queryset(self, queryset):
        return super().paginate_queryset(self.with_relations(queryset))

    def with_relations(self, queryset):
        return queryset.select_related("territory").prefetch_related(
            "themes", Prefetch("poles", Pole.objects.published(), to_attr="public_poles")
        )

    def get_object(self):
        obj = super().get_object()
        obj.public_poles = list(obj.poles.filter(state="published"))
        return obj


class OrganisationViewSet(ReadOnly):
    serializer_class = serializers.OrganisationSerializer
    filterset_class = OrganisationFilterSet

    def get_queryset(self):
        return Organisation.objects.published().select_related("territory")


class PoleViewSet(ReadOnly):
    serializer_class = serializers.PoleSerializer
    filterset_class = PoleFilterSet

    def get_queryset(self):
        return Pole.objects.published().select_related("territory")


class TerritoryViewSet(ReadOnly):
    """Territories where published initiatives are located."""

    serializer_class = serializers.TerritorySerializer
    filterset_class = TerritoryFilterSet
    lookup_field = "pk"

    def get_queryset(self):
        published = Q(initiatives__state="published")
        return (
            Territory.objects.current()
            .annotate(initiatives_count=Count("initiatives", filter=published))
            .filter(initiatives_count__gt=0)
            .select_related("parent")
        )


class PublicationViewSet(ReadOnly):
    serializer_class = serializers.PublicationSerializer
    filterset_class = PublicationFilterSet

    def get_queryset(self):
        return Publication.objects.published().prefetch_related("files", _public_initiatives())

    def get_serializer_context(self):
        from ..views.portal import is_partner

        user = self.request.user
        partner = bool(user and user.is_authenticated and is_partner(user))
        return {**super().get_serializer_context(), "partner": partner}


def _public_initiatives() -> Prefetch:
    queryset = Initiative.objects.published().order_by("slug")
    return Prefetch("initiatives", queryset, to_attr="public_initiatives")


class FindingViewSet(ReadOnly):
    """Published findings; `theme`, `initiative` and `territoire` as on the pages. Quotes are
    those their speakers consent to at the time of the request."""

    serializer_class = serializers.FindingSerializer
    filterset_class = FindingFilterSet

    def get_queryset(self):
        return Finding.objects.published().prefetch_related(
            "themes", _public_initiatives(), prefetch_quotes()
        )


class EventViewSet(ReadOnly):
    """Published agenda events, past and upcoming; `territoire`, `theme`, `type` as on /agenda/."""

    serializer_class = serializers.EventSerializer
    filterset_class = EventFilterSet
    lookup_field = "pk"

    def get_queryset(self):
        organiser = Prefetch(
            "organiser", Organisation.objects.published(), to_attr="public_organiser"
        )
        return (
            Event.objects.published()
            .select_related("territory")
            .prefetch_related("themes", organiser, _public_initiatives())
        )


def not_found(request, path=""):
    """Any other address under /api/ (a slug with a "/" or a "."): the API's JSON 404, not the
    site's HTML page, so that a program reads the same body as for a missing object."""
    return JsonResponse({"detail": _("No such address in the API.")}, status=404)
