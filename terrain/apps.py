from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerrainConfig(AppConfig):
    name = "terrain"
    verbose_name = _("Fieldwork")

    def ready(self):
        from observatoire import shredders

        from .services.erasure import FieldworkShredder

        shredders.register(FieldworkShredder())
