"""Import a file of initiatives from the command line (files received by mail, a partner's system).

    python manage.py import_directory FILE [--source NAME] [--dry-run] [--publish]

Prints the counts and the refused rows with their lines. Exits 0 when the import ran (refused
rows included), 2 with one line when the file cannot be read.
"""

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

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
            raise CommandError(
                f"{path}: no column holds the name (columns: {', '.join(run.columns)})",
                returncode=2,
            )
        stage = Stage.PREVIEW if dry_run else Stage.COMMIT
        run = services.run_now(run, stage)
        if run.state == "failed":
            raise CommandError(f"{path}: {run.error}", returncode=2)
        counts = run.counts if stage == Stage.COMMIT else run.preview_counts
        heading = "dry run" if dry_run else "import"
        self.stdout.write(f"{heading} {run.pk} of {path.name} (source {run.source.name}):")
        self.stdout.write(
            "  "
            + ", ".join(
                f"{name} {counts.get(name, 0)}"
                for name in ("created", "updated", "merged", "unchanged", "refused")
            )
        )
        for issue in run.issues.filter(stage=stage).order_by("line", "pk"):
            kind = "refused" if issue.refused else "note"
            self.stdout.write(f"  line {issue.line}: {kind}: {issue.message}")
