"""`/api/v1/` and `/api/schema/` with its documentation page."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import changes, docs, views

router = DefaultRouter()
router.register("initiatives", views.InitiativeViewSet, basename="initiative")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("ptces", views.PoleViewSet, basename="ptce")
router.register("territories", views.TerritoryViewSet, basename="territory")
router.register("publications", views.PublicationViewSet, basename="publication")
router.register("findings", views.FindingViewSet, basename="finding")
router.register("events", views.EventViewSet, basename="event")
router.register("changes", changes.ChangeViewSet, basename="change")

app_name = "api"
urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs.documentation, name="docs"),
    # Ends with "/": an address without it still gets the slash appended (APPEND_SLASH).
    re_path(r"^(?P<path>.*/)$", views.not_found),
]
