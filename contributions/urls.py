from django.urls import path

from . import moderation, views

app_name = "contributions"
urlpatterns = [
    path("proposer/", views.propose, name="propose"),
    path("corriger/<slug:slug>/", views.correct, name="correct"),
    path("revendiquer/<slug:slug>/", views.claim, name="claim-initiative"),
    path("envoye/", views.sent, name="sent"),
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
    path("ma-fiche/<slug:slug>/", views.holder_edit, name="holder-edit"),
    path("moderation/", moderation.queue, name="queue"),
    path("moderation/spam/", moderation.bulk_spam, name="bulk-spam"),
    path("moderation/<int:pk>/", moderation.review, name="review"),
    path("moderation/revendications/<int:pk>/", moderation.review_claim, name="claim"),
    path(
        "moderation/revendications/<int:pk>/reglage/",
        moderation.claim_setting,
        name="claim-setting",
    ),
]
