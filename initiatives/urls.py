from django.urls import path

from . import views
from .views import history, merges

app_name = "initiatives"
urlpatterns = [
    path("initiatives/", views.initiative_list, name="list"),
    path("initiatives/<slug:slug>/", views.initiative_detail, name="detail"),
    path("acteurs/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("ptce/", views.pole_list, name="poles"),
    path("ptce/<slug:slug>/", views.pole_detail, name="pole"),
    path("historique/<str:kind>/<int:pk>/", history.entry_history, name="history"),
    path(
        "historique/<str:kind>/<int:pk>/<int:history_id>/restaurer/",
        history.restore_version,
        name="restore",
    ),
    path("fusion/", merges.merge_entries, name="merge"),
]
