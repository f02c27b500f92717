from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("Initiatives and actors")

    def ready(self):
        from observatoire import shredders

        from . import files, history, invalidation, panels
        from .erasure import PersonShredder

        history.connect()  # an initiative's versions keep its themes and PTCEs
        shredders.register(PersonShredder())
        files.register()  # who uploads and reads the files attached here
        panels.register()  # its profile's blocks, and its initiatives on territory pages
        invalidation.register()  # which cached pages a change of an initiative touches
