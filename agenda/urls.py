from django.urls import path

from . import views

app_name = "agenda"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("mois/<int:year>/<int:month>/", views.month, name="month"),
    path("evenements/<int:pk>/", views.detail, name="detail"),
    path("proposer/", views.propose, name="propose"),
    path("importer/", views.import_ics, name="import"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/<int:pk>/", views.moderate, name="moderate"),
    path("moderation/<int:pk>/modifier/", views.edit, name="edit"),
]
