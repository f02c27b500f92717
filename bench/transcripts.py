"""Transcript processing (parse + pseudonym suggestions) against spaCy alone on the same text.

The transcripts are WebVTT files written from the bench's own segments, with people and places
named in them so that the model has something to find.
"""

import tempfile
import time
from pathlib import Path

from django.db import connection

from . import Result, figure
from .database import prepare
from .measure import interleave, samples

TARGET = 1.5
NAMES = ["Camille Martin", "Karim Benali", "Sophie Durand", "Louis Moreau", "Nadia Roux"]
PLACES = ["Lyon", "Roubaix", "Marseille", "Rennes", "Tulle"]


def _clock(ms: int) -> str:
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def write_transcripts(folder: Path, count: int) -> list[Path]:
    paths = []
    with connection.cursor() as cursor:
        for transcript in range(1, count + 1):
            cursor.execute(
                "SELECT position, speaker, start_ms, end_ms, text FROM terrain_segment "
                "WHERE transcript_id = %s ORDER BY position",
                [transcript],
            )
            lines = ["WEBVTT", ""]
            for position, speaker, start, end, text in cursor.fetchall():
                name = NAMES[(transcript + position) % len(NAMES)]
                place = PLACES[position % len(PLACES)]
                lines += [
                    f"{_clock(start)} --> {_clock(end)}",
                    f"<v {speaker}>{text} J'en ai parlé avec {name} à {place}.",
                    "",
                ]
            path = folder / f"transcript-{transcript}.vtt"
            path.write_text("\n".join(lines), encoding="utf-8")
            paths.append(path)
    return paths


@figure("transcript processing", order=60)
def transcripts(context: dict) -> Result:
    prepare(context)
    from medias.processors import pseudonyms
    from medias.processors import transcripts as parser

    nlp = pseudonyms.nlp()
    with tempfile.TemporaryDirectory() as folder:
        paths = write_transcripts(Path(folder), samples(context, small=2, full=12))
        texts = [parser.process(path).text for path in paths]

        def floor(i):
            started = time.perf_counter()
            for text in texts:
                for _offset, chunk in pseudonyms._chunks(text):
                    nlp(chunk)
            return time.perf_counter() - started

        def subject(i):
            started = time.perf_counter()
            for path in paths:
                output = parser.process(path)
                pseudonyms.propose(pseudonyms.find_names(output.text))
            return time.perf_counter() - started

        floors, subjects = interleave(floor, subject, rounds=3, warmup=1)
    return Result(
        "transcript processing (parse + suggestions)",
        min(subjects),
        min(floors),
        unit=" s",
        target=TARGET,
        notes=f"{len(paths)} transcripts of 100 segments, best of 3",
        details={"subject": subjects, "floor": floors},
    )
