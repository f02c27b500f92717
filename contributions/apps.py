from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContributionsConfig(AppConfig):
    name = "contributions"
    verbose_name = _("Contributions from the public")

    def ready(self):
        from . import panels

        panels.register()  # the profile's links: suggest a correction, claim, edit
