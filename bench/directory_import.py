"""Directory import: 10,000 rows of a partner's CSV through the whole import, against a COPY.

The file is written the way partners send them (semicolons, Windows-1252), its rows placed on
real communes in the three ways the import reads: a postcode and the commune's name, an INSEE
code, or coordinates alone; a fifth carry a SIRET, every row two themes. The subject is the
import as staff run it (services.start then the committed run: prepare, match, save_entry with
its history and themes, one transaction per batch); the floor is PostgreSQL's COPY of the same
rows into the same table (its triggers fire; no history, no themes), rolled back. The target is
the issue's: 10,000 rows in under a minute. Memory: the process's peak resident memory over its
start while the import runs (the file is streamed, one batch held). Both runs are removed after,
so the figures measured after this one see the dataset unchanged.
"""

import random
import tempfile
import time
from pathlib import Path

from django.core.files import File
from django.db import connection
from stdnum import luhn

from . import Result, figure
from .database import prepare
from .export_memory import PeakSampler
from .measure import RawSQL

ROWS = {"small": 3_000, "full": 10_000}
SOURCE = "bench-import"
# The target is 10,000 rows in a minute; the small run (3 minutes in all) imports 3,000
# rows against the same pace, 18 s.
TARGET_SECONDS = {"small": 18, "full": 60}
TARGET_MB = 150
THEMES = ["alimentation", "mobilité", "réemploi", "culture", "habitat", "énergie", "santé"]
COLUMNS = [
    "name", "slug", "summary", "description", "stage", "website", "contact_email",
    "contact_phone", "siret", "address", "latitude", "longitude", "territory_id", "state",
    "created_at", "updated_at", "source", "source_id", "sectoral_interaction",
    "territorial_coherence", "cross_world_alliances",
]  # fmt: skip


def _siret(rng) -> str:
    """A SIRET whose SIREN (its first nine digits) and whole are both Luhn-valid."""
    siren = "".join(rng.choice("0123456789") for _ in range(8))
    body = (
        siren + luhn.calc_check_digit(siren) + "".join(rng.choice("0123456789") for _ in range(4))
    )
    return body + luhn.calc_check_digit(body)


def write_file(path: Path, rows: int, seed: int = 16) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT t.code, t.name, t.latitude, t.longitude, min(p.code)
            FROM territoires_territory t
            LEFT JOIN territoires_postalcode p ON p.territory_id = t.id
            WHERE t.level = 'commune' AND t.is_current GROUP BY t.id ORDER BY t.code
            """
        )
        communes = cursor.fetchall()
    rng = random.Random(seed)
    placed = [c for c in communes if c[2] is not None]
    lines = ["Identifiant;Nom;Code postal;Commune;Code INSEE;Latitude;Longitude;SIRET;Thèmes"]
    for n in range(rows):
        kind = n % 10
        code, name, lat, lng, postcode = rng.choice(placed if kind == 9 else communes)
        cells = [f"B{n:06d}", f"Initiative coopérative n°{n} de {name}", "", "", "", "", ""]
        if kind == 9:  # coordinates alone: the nearest commune centre
            cells[5:7] = [f"{lat + 0.001:.5f}".replace(".", ","), f"{lng:.5f}".replace(".", ",")]
        elif kind >= 6 or not postcode:
            cells[4] = code
        else:
            cells[2:4] = [postcode, name]
        cells.append(_siret(rng) if kind % 5 == 0 else "")
        cells.append(", ".join(rng.sample(THEMES, 2)))
        lines.append(";".join(cells))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252", errors="replace"))


def _forget() -> None:
    """Remove what the import wrote, in a few statements (Django's delete would send a signal
    per row: the change feed's and history's)."""
    from django.contrib.contenttypes.models import ContentType

    from initiatives.importing.models import ImportRun, ImportSource
    from initiatives.models import Initiative

    ids = "SELECT id FROM initiatives_initiative WHERE source = %s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM taggit_taggeditem WHERE content_type_id = %s AND object_id IN ({ids})",
            [ContentType.objects.get_for_model(Initiative).pk, SOURCE],
        )
        for table in ("initiatives_role", "initiatives_initiative_poles"):
            cursor.execute(f"DELETE FROM {table} WHERE initiative_id IN ({ids})", [SOURCE])
        cursor.execute("DELETE FROM initiatives_historicalinitiative WHERE source = %s", [SOURCE])
        cursor.execute("DELETE FROM initiatives_initiative WHERE source = %s", [SOURCE])
    for run in ImportRun.objects.filter(source__name=SOURCE):
        run.file.delete(save=False)
        run.delete()
    ImportSource.objects.filter(name=SOURCE).delete()


def _copy(rows: list[tuple]) -> float:
    """Seconds to COPY the rows into the initiatives' table, in a transaction rolled back."""
    raw = RawSQL()
    try:
        raw.connection.autocommit = False
        with raw.connection.cursor() as cursor:
            started = time.perf_counter()
            sql = f"COPY initiatives_initiative ({', '.join(COLUMNS)}) FROM STDIN"
            with cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
            seconds = time.perf_counter() - started
        raw.connection.rollback()
    finally:
        raw.close()
    return seconds


@figure("directory import", order=95)
def directory_import(context: dict) -> list[Result]:
    prepare(context)
    from initiatives.importing import services
    from initiatives.importing.models import Stage
    from initiatives.models import Initiative

    rows, target = ROWS[context["scale"]], TARGET_SECONDS[context["scale"]]
    _forget()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "partenaire.csv"
        write_file(path, rows)
        sampler = PeakSampler()
        sampler.start()
        started = time.perf_counter()
        with path.open("rb") as handle:
            run = services.start(File(handle, name=path.name), source_name=SOURCE)
        run = services.run_now(run, Stage.COMMIT)
        seconds = time.perf_counter() - started
        growth = sampler.stop()
    counts = dict(run.counts)
    written = list(Initiative.objects.filter(source=SOURCE).values_list(*COLUMNS))
    _forget()
    copy_seconds = _copy(written)
    rate = rows / seconds
    details = {
        "counts": counts,
        "seconds": round(seconds, 1),
        "copy_seconds": round(copy_seconds, 2),
    }
    return [
        Result(
            f"import: {rows:,} CSV rows, seconds",
            round(seconds, 1),
            floor=round(copy_seconds, 2),
            unit=" s",
            kind="limit",
            target=target,
            notes=f"{rate:,.0f} rows/s; COPY of the same rows {len(written) / copy_seconds:,.0f} "
            f"rows/s; {counts}",
            details=details,
        ),
        Result(
            "import: peak RSS growth",
            round(growth, 1),
            unit=" MB",
            kind="limit",
            target=TARGET_MB,
            notes=f"{rows:,} rows streamed in batches",
            details=details,
        ),
    ]
