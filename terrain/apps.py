from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerrainConfig(AppConfig):
    name = "terrain"
    verbose_name = _("Fieldwork")

    def ready(self):
        from initiatives.people import register_holder
        from observatoire import cache, panels, shredders

        from . import files
        from .access import people_held, people_reachable
        from .models.findings import quoted_publicly, quoting_findings
        from .services.cases import CasesShredder
        from .services.erasure import FieldworkShredder
        from .views.public import initiative_findings, initiative_findings_probe

        shredders.register(FieldworkShredder())
        shredders.register(CasesShredder())  # the values researchers gave a person's case
        files.register()  # an interview's files: who reads them, what a transcript becomes
        # An interviewee is reachable only from the fieldwork of the seasons that met them.
        register_holder("fieldwork", held=people_held, reachable=people_reachable)
        # Published findings about an initiative, in the profile's main column after its photos.
        panels.register(
            "initiative",
            "findings",
            lambda initiative, request: initiative_findings(initiative),
            templates={"main": "terrain/_initiative_findings.html"},
            order=20,
            cache=True,
            # Most initiatives have no finding: one probe with the profile's other blocks.
            probe=initiative_findings_probe,
            empty=lambda initiative: initiative_findings(initiative, found=[]),
        )
        # A coded excerpt shows on public pages only once a published finding quotes it.
        cache.shown_publicly_if("terrain.excerpt", quoted_publicly)
        # A quote changed: the findings quoting it. Consents and interviewees decide whether and
        # how a quote shows: a change to one forgets every cached page, as a withdrawal does.
        cache.touches("terrain.excerpt", quoting_findings)
        cache.touches("terrain.consent", lambda consent: [cache.EVERYTHING])
        cache.touches("terrain.interviewee", lambda interviewee: [cache.EVERYTHING])
