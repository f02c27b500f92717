from django.urls import path

from . import views

# Included by initiatives/urls.py, in its namespace.
urlpatterns = [
    path("import/", views.imports, name="imports"),
    path("import/<int:pk>/", views.run_page, name="import"),
    path("import/<int:pk>/etat/", views.run_state, name="import-state"),
    path("import/<int:pk>/<str:action>/", views.run_action, name="import-action"),
    path("import/<int:pk>/refus-<str:stage>.csv", views.issues_csv, name="import-issues"),
]
