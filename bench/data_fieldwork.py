"""The benchmark's fieldwork: seasons of interviews with segments, codes and excerpts (COPY)."""

import random
from datetime import date, timedelta

from .data import NOW, SPEECH, _copy


def fieldwork(rng, params, communes) -> None:
    """Ten seasons of interviews: about 100 segments each, an excerpt coded every fifth one."""
    segments = params["segments"]
    interviews = max(segments // 100, 1)
    seasons = 10
    _copy(
        "terrain_season",
        ["id", "title", "start_date", "end_date", "route", "created_at"],
        (
            (pk, f"Saison {2015 + pk}", date(2015 + pk, 4, 1), date(2015 + pk, 9, 30), "", NOW)
            for pk in range(1, seasons + 1)
        ),
    )
    _copy(
        "terrain_code",
        ["id", "name", "colour", "definition", "guid", "position", "parent_id", "season_id"],
        (
            (pk, f"Code {pk}", "#1f77b4", "", _uuid(rng), pk, None, (pk - 1) // 40 + 1)
            for pk in range(1, seasons * 40 + 1)
        ),
    )
    _copy(
        "terrain_visit",
        ["id", "date", "place", "notes", "season_id", "territory_id"],
        (
            (
                pk,
                date(2016, 5, 1) + timedelta(days=pk % 3000),
                "",
                "",
                (pk - 1) % seasons + 1,
                rng.choice(communes)[0],
            )
            for pk in range(1, interviews + 1)
        ),
    )
    _copy(
        "terrain_interview",
        ["id", "title", "date", "language", "audio_url", "notes", "created_at", "visit_id"],
        ((pk, f"Entretien {pk}", None, "fr", "", "", NOW, pk) for pk in range(1, interviews + 1)),
    )
    _copy(
        "terrain_transcript",
        ["id", "language", "source", "created_at", "updated_at", "interview_id"],
        ((pk, "fr", "bench", NOW, NOW, pk) for pk in range(1, interviews + 1)),
    )
    texts = {}

    def segment_rows():
        for pk in range(1, segments + 1):
            transcript, position = (pk - 1) // 100 + 1, (pk - 1) % 100
            text = ", ".join(rng.sample(SPEECH, rng.randrange(1, 4))).capitalize() + "."
            if pk % 5 == 0:
                texts[pk] = text
            yield (
                pk,
                transcript,
                position,
                "A" if position % 2 else "B",
                position * 20000,
                position * 20000 + 19000,
                text,
            )

    _copy(
        "terrain_segment",
        ["id", "transcript_id", "position", "speaker", "start_ms", "end_ms", "text"],
        segment_rows(),
    )
    excerpt_codes = []

    def excerpt_rows():
        for pk, (segment, text) in enumerate(texts.items(), start=1):
            season = ((segment - 1) // 100) % seasons
            for code in rng.sample(range(1, 41), rng.randrange(1, 3)):
                excerpt_codes.append((pk, season * 40 + code))
            end = min(len(text), 40 + rng.randrange(40))
            yield (pk, segment, 0, end, text[:end], _uuid(rng), NOW)

    _copy(
        "terrain_excerpt",
        ["id", "segment_id", "start", '"end"', "text", "guid", "created_at"],
        excerpt_rows(),
    )
    _copy("terrain_excerpt_codes", ["excerpt_id", "code_id"], excerpt_codes)


def _uuid(rng: random.Random) -> str:
    import uuid

    return str(uuid.UUID(int=rng.getrandbits(128), version=4))
