from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ObservatoireConfig(AppConfig):
    name = "observatoire"
    verbose_name = _("Observatory")

    def ready(self):
        from . import shredders, sweep
        from .cache import connect_signals
        from .roles import sync_roles
        from .search_sqlite import repair_after_migrate

        connect_signals()  # public pages and fragments forgotten when public content changes
        # Erasure: after the apps' own shredders, every other column, then the public cache.
        shredders.register(sweep.ColumnSweep())
        shredders.register(sweep.PublicCacheShredder())

        # No sender: this app has no models, so post_migrate is never sent for it; sync_roles
        # picks the apps whose permissions the roles hold.
        post_migrate.connect(sync_roles, dispatch_uid="observatoire.sync_roles")
        # SQLite drops a table's triggers when a migration rebuilds the table: put them back.
        post_migrate.connect(repair_after_migrate, dispatch_uid="observatoire.search_sqlite")
