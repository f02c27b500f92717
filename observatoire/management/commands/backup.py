"""`backup [--output PATH]`: the database, every stored file and a manifest, in one archive.

`--output -` writes the archive to standard output (`docker compose exec -T web python manage.py
backup --output - > backup.tar.gz`); the default is var/backups/observatoire-<date>.tar.gz.
What the archive holds and why: observatoire/backup.py.
"""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from observatoire import backup


class Command(BaseCommand):
    help = gettext_lazy(
        "Write one archive: a portable database dump, every stored file, a manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", help=gettext_lazy("Where to write the archive; - for stdout.")
        )

    def handle(self, output=None, **options):
        if output == "-":
            result = backup.write_backup(sys.stdout.buffer)
            report = self.stderr  # stdout is the archive
        else:
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            default = Path(settings.VAR_DIR) / "backups" / f"observatoire-{stamp}.tar.gz"
            path = Path(output) if output else default
            result = backup.backup_to_path(path)
            report = self.stdout
            report.write(str(path))
        manifest = result.manifest
        rows = sum(manifest["counts"].values())
        report.write(
            _("%(rows)d rows, %(files)d files.") % {"rows": rows, "files": len(manifest["files"])}
        )
        for line in result.missing:
            self.stderr.write(
                _("Missing from its storage (not in the archive): %(file)s") % {"file": line}
            )
