from django.urls import path

from . import views
from .importing.urls import urlpatterns as importing

app_name = "initiatives"
urlpatterns = [
    path("initiatives/", views.initiative_list, name="list"),
    path("initiatives/<slug:slug>/", views.initiative_detail, name="detail"),
    path("acteurs/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("ptce/", views.pole_list, name="poles"),
    path("ptce/<slug:slug>/", views.pole_detail, name="pole"),
    *importing,
]
