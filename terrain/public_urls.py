from django.urls import path

from .views import public

app_name = "findings"
urlpatterns = [
    path("", public.finding_list, name="list"),
    path("<slug:slug>/", public.finding_detail, name="detail"),
]
