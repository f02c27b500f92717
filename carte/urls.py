from django.urls import path

from . import views

app_name = "carte"
urlpatterns = [
    path("", views.map_page, name="map"),
    path("initiatives.geojson", views.geojson, name="geojson"),
    path("embed/", views.embed, name="embed"),
]
