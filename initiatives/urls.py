from django.urls import path

from . import views
from .importing.urls import urlpatterns as importing
from .views import editing, history, merges

app_name = "initiatives"
urlpatterns = [
    path("initiatives/", views.initiative_list, name="list"),
    # Staff editing (views/editing.py): before the profiles, whose slug would take "nouvelle".
    path("initiatives/nouvelle/", editing.initiative_create, name="create"),
    path("initiatives/position.json", editing.territory_position, name="territory-position"),
    path("initiatives/<slug:slug>/modifier/", editing.initiative_edit, name="edit"),
    path("initiatives/<slug:slug>/roles/nouveau/", editing.role_edit, name="role-create"),
    path("initiatives/<slug:slug>/roles/<int:pk>/modifier/", editing.role_edit, name="role-edit"),
    path(
        "initiatives/<slug:slug>/roles/<int:pk>/supprimer/",
        editing.role_delete,
        name="role-delete",
    ),
    path("initiatives/<slug:slug>/", views.initiative_detail, name="detail"),
    path("acteurs/nouveau/", editing.organisation_create, name="organisation-create"),
    path("acteurs/<slug:slug>/modifier/", editing.organisation_edit, name="organisation-edit"),
    path("acteurs/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("personnes/nouvelle/", editing.person_create, name="person-create"),
    path("personnes/<slug:slug>/modifier/", editing.person_edit, name="person-edit"),
    path("ptce/", views.pole_list, name="poles"),
    path("ptce/nouveau/", editing.pole_create, name="pole-create"),
    path("ptce/ami/nouveau/", editing.call_create, name="call-create"),
    path("ptce/<slug:slug>/modifier/", editing.pole_edit, name="pole-edit"),
    path("ptce/<slug:slug>/", views.pole_detail, name="pole"),
    path("historique/<str:kind>/<int:pk>/", history.entry_history, name="history"),
    path(
        "historique/<str:kind>/<int:pk>/<int:history_id>/restaurer/",
        history.restore_version,
        name="restore",
    ),
    path("fusion/", merges.merge_entries, name="merge"),
    *importing,
]
