from django.urls import path

from . import suggest, views

app_name = "territoires"
urlpatterns = [
    path("", views.territory_list, name="list"),
    path("suggestions.json", suggest.suggest, name="suggest"),
    path("<slug:level>/<str:code>/", views.territory_detail, name="detail"),
]
