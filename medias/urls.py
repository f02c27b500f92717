from django.urls import path

from . import views

app_name = "medias"
urlpatterns = [
    path("", views.job_board, name="jobs"),
    path("<int:pk>/<str:action>/", views.job_action, name="job-action"),
    path("fichiers/<str:owner_kind>/<int:pk>/", views.owner_files, name="owner-files"),
    path(
        "fichiers/<str:owner_kind>/<int:pk>/etat/", views.owner_files_list, name="owner-files-list"
    ),
    path(
        "fichiers/<str:owner_kind>/<int:pk>/<int:media_pk>/supprimer/",
        views.delete_file,
        name="delete-file",
    ),
    path("fichier/<int:pk>/", views.serve, name="original"),
    path("fichier/<int:pk>/<slug:name>/", views.serve, name="rendition"),
]
