from django.urls import path

from . import views

app_name = "evaluations"
urlpatterns = [
    path("initiative/<slug:slug>/", views.initiative_assessments, name="initiative"),
    path("initiative/<slug:slug>/nouvelle/", views.new_assessment, name="new"),
    path("<int:pk>/", views.edit_assessment, name="edit"),
    path("<int:pk>/publication/", views.publish, name="publish"),
]
