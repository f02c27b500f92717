from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediasConfig(AppConfig):
    name = "medias"
    verbose_name = _("Media and processing")

    def ready(self):
        from observatoire import shredders

        from . import (
            checks,  # noqa: F401 - registers the checks
            tasks,  # noqa: F401 - registers the tasks and hands the services their sender
            workers,  # noqa: F401 - connects the worker's start and stop signals
        )
        from .erasure import MediaShredder

        shredders.register(MediaShredder())
