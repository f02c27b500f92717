from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "agenda"
    verbose_name = _("Shared agenda")

    def ready(self):
        from observatoire import cache, panels

        from .models import Event
        from .selectors import events_for

        def shown(events):
            cache.depends_on(*cache.model_tags("agenda"))  # refreshed when any event changes
            return events

        # Upcoming events on a profile (cached per initiative: the date in the key retires past
        # ones) and on a territory page, between its initiatives and its PTCEs.
        panels.register(
            "initiative",
            "events",
            lambda initiative, request: shown(events_for(initiative)),
            templates={"side": "agenda/_upcoming.html"},
            order=20,
            cache=True,
            # Most initiatives have no event at all: one probe with the profile's other blocks.
            probe=lambda initiative: Event.objects.published().filter(initiatives=initiative),
            empty=lambda initiative: shown([]),
        )
        panels.register(
            "territory",
            "events",
            lambda territory, request: shown(events_for(territory)),
            templates={"content": "agenda/_upcoming.html"},
            order=20,
        )
