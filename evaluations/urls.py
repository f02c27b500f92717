from django.urls import path

from . import views

app_name = "evaluations"
urlpatterns = [
    path("initiative/<slug:slug>/", views.subject_assessments, name="initiative"),
    path("initiative/<slug:slug>/nouvelle/", views.new_assessment, name="new"),
    path(
        "organisation/<slug:slug>/",
        views.subject_assessments,
        {"kind": "organisation"},
        name="organisation",
    ),
    path(
        "organisation/<slug:slug>/nouvelle/",
        views.new_assessment,
        {"kind": "organisation"},
        name="organisation-new",
    ),
    path("<int:pk>/", views.edit_assessment, name="edit"),
    path("<int:pk>/publication/", views.publish, name="publish"),
]
