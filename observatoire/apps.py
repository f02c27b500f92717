from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ObservatoireConfig(AppConfig):
    name = "observatoire"
    verbose_name = _("Observatory")

    def ready(self):
        from .roles import sync_roles

        post_migrate.connect(sync_roles, sender=self)
