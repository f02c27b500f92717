"""Pages under the language prefix: publications, the portal, exports, the dictionary."""

from django.urls import path

from . import finding_citation
from .views import exports, finding_pdf, pages, pdf, portal

app_name = "publications"
urlpatterns = [
    path("publications/", pages.publication_list, name="list"),
    path("publications/<slug:slug>/", pages.publication_detail, name="detail"),
    path("publications/<slug:slug>/fichiers/<int:file_id>/", pages.publication_file, name="file"),
    path(
        "publications/<slug:slug>/citation.<str:fmt>",
        pages.publication_citation,
        name="citation",
    ),
    path("espace-partenaire/", portal.portal, name="portal"),
    path("espace-partenaire/jetons/", portal.token_create, name="token-create"),
    path(
        "espace-partenaire/jetons/<int:token_id>/revoquer/",
        portal.token_revoke,
        name="token-revoke",
    ),
    path("espace-partenaire/telechargements/", portal.download_report, name="downloads"),
    path("espace-partenaire/telechargements.csv", portal.download_csv, name="downloads-csv"),
    # Every export has a budget per client (views/exports.py: throttled).
    path(
        "export/initiatives/<slug:slug>.pdf",
        exports.throttled(pdf.initiative_pdf),
        name="initiative-pdf",
    ),
    path(
        "export/findings/<slug:slug>.pdf",
        exports.throttled(finding_pdf.finding_pdf),
        name="finding-pdf",
    ),
    # Under the findings' own address (their pages are fieldwork's, their citation is ours).
    path(
        "enseignements/<slug:slug>/citation.<str:fmt>",
        finding_citation.finding_citation,
        name="finding-citation",
    ),
    path("export/<slug:name>.<str:fmt>", exports.throttled(exports.export), name="export"),
    path("donnees/", exports.dictionary, name="dictionary"),
    path("donnees/datapackage.json", exports.datapackage_json, name="datapackage"),
    path("donnees/catalogue.ttl", exports.catalogue_view, {"fmt": "ttl"}, name="catalogue-ttl"),
    path(
        "donnees/catalogue.jsonld",
        exports.catalogue_view,
        {"fmt": "jsonld"},
        name="catalogue-jsonld",
    ),
]
