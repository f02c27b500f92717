from django.urls import path

from .views import editing, missions, reports, workshops

app_name = "accompagnements"
urlpatterns = [
    path("", missions.board, name="board"),
    path("tableau-de-bord/", missions.dashboard, name="dashboard"),
    path("financements.csv", missions.funding_csv, name="funding-csv"),
    path("nouvelle/", editing.mission_create, name="create"),
    path("<int:pk>/", missions.detail, name="detail"),
    path("<int:pk>/modifier/", editing.mission_edit, name="edit"),
    path("<int:pk>/ateliers/nouveau/", editing.workshop_create, name="workshop-create"),
    path("ateliers/<int:pk>/modifier/", editing.workshop_edit, name="workshop-edit"),
    path("<int:pk>/etat/", missions.change_state, name="state"),
    path(
        "<int:pk>/livrables/<int:deliverable_pk>/versions/",
        missions.add_version,
        name="add-version",
    ),
    path("<int:pk>/rapport.pdf", reports.report_pdf, name="report-pdf"),
    path("<int:pk>/rapport.odt", reports.report_odt, name="report-odt"),
    path("<int:pk>/rapport.docx", reports.report_docx, name="report-docx"),
    path("<int:pk>/rapport/version/", reports.save_report_version, name="report-version"),
    path("ateliers/<int:pk>/metaplan/", workshops.metaplan, name="metaplan"),
    path("ateliers/<int:pk>/metaplan/cartes/", workshops.add_cards, name="add-cards"),
    path("ateliers/<int:pk>/metaplan/groupes/", workshops.add_cluster, name="add-cluster"),
    path(
        "ateliers/<int:pk>/metaplan/groupes/<int:cluster_pk>/",
        workshops.rename_cluster,
        name="rename-cluster",
    ),
    path(
        "ateliers/<int:pk>/metaplan/groupes/<int:cluster_pk>/supprimer/",
        workshops.delete_cluster,
        name="delete-cluster",
    ),
    path("ateliers/<int:pk>/metaplan/cartes/<int:card_pk>/", workshops.edit_card, name="edit-card"),
    path(
        "ateliers/<int:pk>/metaplan/cartes/<int:card_pk>/supprimer/",
        workshops.delete_card,
        name="delete-card",
    ),
    path("ateliers/<int:pk>/metaplan/deplacer/", workshops.move_card, name="move-card"),
    path(
        "ateliers/<int:pk>/metaplan/disposition/",
        workshops.save_arrangement,
        name="save-arrangement",
    ),
    path("ateliers/<int:pk>/backcasting/", workshops.backcasting, name="backcasting"),
    path("ateliers/<int:pk>/backcasting/etapes/", workshops.add_step, name="add-step"),
    path(
        "ateliers/<int:pk>/backcasting/etapes/<int:step_pk>/",
        workshops.move_step,
        name="move-step",
    ),
]
