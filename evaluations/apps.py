from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Assessment grids")

    def ready(self):
        from observatoire import cache, panels

        from .models import Assessment
        from .selectors import published_radar

        def shown(radar):
            cache.depends_on(*cache.model_tags("evaluations"))  # any assessment or grid changed
            return radar

        # The latest published assessment as a radar, on the profile's side.
        panels.register(
            "initiative",
            "radar",
            lambda initiative, request: shown(published_radar(initiative)),
            templates={"side": "evaluations/_radar.html"},
            order=30,
            cache=True,
            # Most initiatives were never assessed: one probe with the profile's other blocks.
            probe=lambda initiative: Assessment.objects.published().filter(initiative=initiative),
            empty=lambda initiative: shown(None),
        )
