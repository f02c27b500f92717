"""Import a file of initiatives from the command line (files received by mail, a partner's system).

    python manage.py import_directory FILE [--source NAME] [--dry-run] [--publish]

Prints the counts and the refused rows with their lines. Exits 0 when the import ran (refused
rows included), 2 with one line when the file cannot be read.
"""

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from initiatives.importing import services
from initiatives.importing.models import Stage
from initiatives.importing.readers import UnreadableFile


class Command(BaseCommand):
    help = "Import initiatives from a CSV, XLSX, GeoJSON or GoGoCarto JSON file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--source", default="", help="the source's name (default: the file's)")
        parser.add_argument("--dry-run", action="store_true", help="say what would happen only")
        parser.add_argument("--publish", action="store_true", help="publish the new entries")

    def handle(self, *args, file, source, dry_run, publish, **options):
        path = Path(file)
        try:
            with path.open("rb") as handle:
                run = services.start(
                    File(handle, name=path.name), source_name=source or path.stem, publish=publish
                )
        except UnreadableFile as exc:
            raise CommandError(f"{path}: {exc.message}", returncode=2) from None
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror or exc}", returncode=2) from None
        if "name" not in run.mapping.values():
            message = _("no column holds the name (columns: %(columns)s)") % {
                "columns": ", ".join(run.columns)
            }
            raise CommandError(f"{path}: {message}", returncode=2)
        stage = Stage.PREVIEW if dry_run else Stage.COMMIT
        run = services.run_now(run, stage)
        if run.state == "failed":
            raise CommandError(f"{path}: {run.error}", returncode=2)
        names = {"run": run.pk, "file": path.name, "source": run.source.name}
        if dry_run:
            heading = _("Dry run %(run)s of %(file)s (source %(source)s):") % names
        else:
            heading = _("Import %(run)s of %(file)s (source %(source)s):") % names
        self.stdout.write(heading)
        self.stdout.write(
            "  "
            + ", ".join(
                _("%(label)s: %(count)s") % {"label": label, "count": n}
                for _name, label, n in run.counts_of(stage)
            )
        )
        for issue in run.issues.filter(stage=stage).order_by("line", "pk"):
            if issue.refused:
                text = _("line %(line)s, refused: %(why)s")
            else:
                text = _("line %(line)s, remark: %(why)s")
            self.stdout.write("  " + text % {"line": issue.line, "why": issue.message})
