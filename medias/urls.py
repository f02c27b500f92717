from django.urls import path

from . import views

app_name = "medias"
urlpatterns = [
    path("", views.job_board, name="jobs"),
    path("<int:pk>/<str:action>/", views.job_action, name="job-action"),
]
