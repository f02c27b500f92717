from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerrainConfig(AppConfig):
    name = "terrain"
    verbose_name = _("Fieldwork")
