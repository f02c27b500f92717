from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "agenda"
    verbose_name = _("Shared agenda")

    def ready(self):
        from observatoire import panels

        from .selectors import events_for

        # Upcoming events on a profile (cached per initiative: the date in the key retires past
        # ones) and on a territory page, between its initiatives and its PTCEs.
        panels.register(
            "initiative",
            "events",
            lambda initiative, request: events_for(initiative),
            templates={"side": "agenda/_upcoming.html"},
            order=20,
            cache=True,
        )
        panels.register(
            "territory",
            "events",
            lambda territory, request: events_for(territory),
            templates={"content": "agenda/_upcoming.html"},
            order=20,
        )
