from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CarteConfig(AppConfig):
    name = "carte"
    verbose_name = _("Map")
