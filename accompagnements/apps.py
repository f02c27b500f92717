from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccompagnementsConfig(AppConfig):
    name = "accompagnements"
    verbose_name = _("Support missions")

    def ready(self):
        from observatoire import shredders

        from . import files
        from .erasure import MissionShredder

        shredders.register(MissionShredder())
        files.register()  # who uploads and reads the files attached here
