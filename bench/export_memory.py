"""Export memory: streaming every initiative as CSV keeps memory flat, and the CSV parses back.

All initiatives of the dataset (100,000 at full scale, whatever their state) go through the
export's own code path (values() rows over a server-side cursor, the CSV writer); the process's
resident memory is sampled while it runs, and the growth over the start is the figure.
"""

import csv
import tempfile
import threading
import time
from pathlib import Path

from . import Result, figure
from .database import prepare

TARGET_MB = 50
PAGE = 4096


def _rss() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * PAGE


class PeakSampler(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.start_rss = _rss()
        self.peak = self.start_rss
        self.running = True

    def run(self):
        while self.running:
            self.peak = max(self.peak, _rss())
            time.sleep(0.02)

    def stop(self) -> float:
        self.running = False
        self.join()
        self.peak = max(self.peak, _rss())
        return (self.peak - self.start_rss) / 2**20


@figure("export memory", order=50)
def export_memory(context: dict) -> list[Result]:
    prepare(context)
    from django.db import connection

    from initiatives.models import Initiative
    from publications.exports import formats, kinds

    spec = kinds.INITIATIVES
    queryset = kinds.values(
        Initiative.objects.order_by("pk"),
        spec,
        theme_names=kinds._themes(Initiative),
        ptces=kinds._pole_slugs(),
    )
    connection.ensure_connection()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "initiatives.csv"
        sampler = PeakSampler()
        sampler.start()
        started = time.monotonic()
        with path.open("wb") as out:
            for chunk in formats.encoded(formats.stream(spec, queryset, "csv", bom=True)):
                out.write(chunk)
        seconds = time.monotonic() - started
        growth = sampler.stop()
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            parsed = sum(1 for _row in reader)
        size = path.stat().st_size
    expected = Initiative.objects.count()
    details = {"rows": expected, "parsed": parsed, "seconds": round(seconds, 1), "bytes": size}
    return [
        Result(
            "export memory: CSV of every initiative, peak RSS growth",
            round(growth, 1),
            unit=" MB",
            kind="limit",
            target=TARGET_MB,
            notes=f"{expected:,} rows in {seconds:.1f} s, {size / 2**20:.0f} MB of CSV",
            details=details,
        ),
        Result(
            "export memory: rows lost when the CSV is parsed back",
            abs(expected - parsed),
            kind="limit",
            target=0,
            notes="header " + ("matches" if header == spec.column_names else "DIFFERS"),
            details=details,
        ),
    ]
