from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerrainConfig(AppConfig):
    name = "terrain"
    verbose_name = _("Fieldwork")

    def ready(self):
        from initiatives.people import register_holder
        from observatoire import shredders

        from . import files
        from .access import people_held, people_reachable
        from .services.erasure import FieldworkShredder

        shredders.register(FieldworkShredder())
        files.register()  # an interview's files: who reads them, what a transcript becomes
        # An interviewee is reachable only from the fieldwork of the seasons that met them.
        register_holder("fieldwork", held=people_held, reachable=people_reachable)
