from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = _("Publications, exports and partners")

    def ready(self):
        from observatoire import shredders

        from .erasure import PdfShredder

        shredders.register(PdfShredder())
