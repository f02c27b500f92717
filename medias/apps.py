from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediasConfig(AppConfig):
    name = "medias"
    verbose_name = _("Media and processing")

    def ready(self):
        from observatoire import shredders

        from . import checks  # noqa: F401 - registers the checks
        from .erasure import MediaShredder

        shredders.register(MediaShredder())
