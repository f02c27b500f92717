from django.urls import path

from . import views

app_name = "territoires"
urlpatterns = [
    path("", views.territory_list, name="list"),
    path("<slug:level>/<str:code>/", views.territory_detail, name="detail"),
]
