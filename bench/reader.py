"""The transcript reader of a three-hour interview (3,000 segments, one in five coded) against
its floor: a plain view rendering the same segments and excerpts in the base layout.

Both are requested in-process through Django's test client (the reader is for signed-in
researchers: no cookie round trip through gunicorn is needed to compare them), in a transaction
rolled back at the end, so the bench's dataset is left as it was.
"""

import random
import time

from django.db import transaction
from django.test import Client

from . import Result, figure
from .data import SPEECH
from .database import prepare
from .measure import interleave, percentile, samples

TARGET = 3.0
SEGMENTS = 3000
SEGMENT_MS = 3600  # 3,000 turns of 3.6 s: three hours


def _interview():
    """A season's interview with a three-hour transcript, its excerpts, and a researcher."""
    from django.contrib.auth import get_user_model

    from terrain.models import Code, Excerpt, Interview, Season, Segment, Transcript, Visit

    rng = random.Random(19)
    season = Season.objects.order_by("pk").first()
    user = get_user_model().objects.create_user("bench-reader")
    season.researchers.add(user)
    visit = Visit.objects.filter(season=season).first()
    interview = Interview.objects.create(visit=visit, title="Entretien de trois heures")
    transcript = Transcript.objects.create(interview=interview)
    segments = Segment.objects.bulk_create(
        Segment(
            transcript=transcript,
            position=position,
            speaker="A" if position % 2 else "B",
            start_ms=position * SEGMENT_MS,
            end_ms=position * SEGMENT_MS + SEGMENT_MS - 200,
            text=", ".join(rng.sample(SPEECH, 2)).capitalize() + ".",
        )
        for position in range(SEGMENTS)
    )
    codes = list(Code.objects.filter(season=season)[:10])
    excerpts = Excerpt.objects.bulk_create(
        Excerpt(segment=s, start=0, end=30, text=s.text[:30], coder=user) for s in segments[::5]
    )
    through = Excerpt.codes.through
    through.objects.bulk_create(
        through(excerpt_id=e.pk, code_id=codes[i % len(codes)].pk) for i, e in enumerate(excerpts)
    )
    return user, interview, transcript


@figure("transcript reader", order=65)
def reader(context: dict) -> Result:
    prepare(context)
    rounds = samples(context, small=5, full=9)
    with transaction.atomic():
        user, interview, transcript = _interview()
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(user)
        page_url = interview.get_absolute_url()
        floor_url = f"/bench/floor/transcript/{transcript.pk}/"
        sizes = {}

        def timed(url):
            started = time.perf_counter()
            response = client.get(url)
            seconds = time.perf_counter() - started
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            sizes[url] = len(response.content)
            return seconds

        floors, pages = interleave(
            lambda i: timed(floor_url), lambda i: timed(page_url), rounds, warmup=1
        )
        transaction.set_rollback(True)
    return Result(
        "transcript reader, 3,000 segments (3 h)",
        percentile(pages, 50) * 1000,
        percentile(floors, 50) * 1000,
        unit=" ms",
        target=TARGET,
        notes=f"p50 of {rounds}; floor: the same segments and excerpts in a plain view; "
        f"{sizes[page_url] / 1e6:.1f} MB against {sizes[floor_url] / 1e6:.1f} MB",
        details={"page": pages, "floor": floors, "bytes": sizes},
    )
