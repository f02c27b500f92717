"""`restore ARCHIVE [--force]`: rebuild an empty instance from a `backup` archive.

Checks every checksum first (a damaged archive changes nothing), migrates, refuses a database
that holds data unless --force (which empties it first), loads the dump, writes every file
through its field's storage, recomputes the search vectors and compares the row counts.
"""

import io
import tarfile

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from observatoire import backup


class Command(BaseCommand):
    help = gettext_lazy(
        "Rebuild an empty instance from a backup archive (--force replaces existing data)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--force",
            action="store_true",
            help=gettext_lazy("Delete the data already in the database first."),
        )

    def handle(self, archive, force=False, **options):
        try:
            opened = tarfile.open(archive, "r:gz")  # noqa: SIM115 - closed by the `with` below
        except (OSError, tarfile.TarError) as exc:
            raise CommandError(
                _("Cannot read %(archive)s: %(error)s") % {"archive": archive, "error": exc}
            ) from None
        with opened:
            try:
                self._restore(opened, force)
            except (backup.BackupError, tarfile.TarError) as exc:
                raise CommandError(str(exc)) from None

    def _restore(self, archive, force):
        manifest = backup.read_manifest(archive)
        backup.check_migrations(manifest)
        backup.verify(archive, manifest)
        self.stdout.write(_("Checksums verified."))
        call_command("migrate", interactive=False, verbosity=0)
        if found := backup.data_rows():
            if not force:
                listed = ", ".join(f"{label} ({count})" for label, count in sorted(found.items()))
                raise CommandError(
                    _(
                        "The database is not empty: %(tables)s. Restore into an empty "
                        "database, or add --force to delete this data first."
                    )
                    % {"tables": listed}
                )
            call_command("flush", interactive=False, verbosity=0)
        backup.load_database(archive, manifest)
        files = backup.restore_files(archive, manifest)
        call_command("update_search_index", stdout=io.StringIO())
        if differences := backup.compare_counts(manifest):
            raise CommandError(
                _("Row counts differ after the restore: %(tables)s")
                % {"tables": "; ".join(differences)}
            )
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                _("Restored %(rows)d rows and %(files)d files.") % {"rows": rows, "files": files}
            )
        )
