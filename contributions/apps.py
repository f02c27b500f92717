from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContributionsConfig(AppConfig):
    name = "contributions"
    verbose_name = _("Contributions from the public")

    def ready(self):
        from observatoire import panels

        from .services import holder_claim

        # On a profile: suggest a correction, claim it, or (its claim holder) edit it.
        panels.register(
            "initiative",
            "contribute",
            lambda initiative, request: {
                "holder": holder_claim(request.user, initiative) if request else None
            },
            templates={"main": "contributions/_profile_links.html"},
            order=90,
        )
