from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = _("Publications, exports and partners")

    def ready(self):
        from observatoire import panels, shredders

        from . import changes, finding_citation
        from .erasure import PdfShredder

        shredders.register(PdfShredder())
        shredders.register(changes.FeedShredder())
        changes.connect()
        # How to cite it, on a published finding's page.
        panels.register(
            "finding",
            "citation",
            finding_citation.panel,
            templates={"main": "publications/_finding_citation.html"},
        )
