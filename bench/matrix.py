"""The matrix query (codes × attribute values) over a season of 100 interviews, against its SQL.

The season is written inside a transaction that is rolled back at the end, so the bench's
dataset is left as it was: 100 interviews of 100 turns, an excerpt every fifth turn with one or
two of 40 codes, one interviewee each, and a researcher's choice attribute with four values.
The floor runs the very statements the matrix sends (captured), on the same connection, and
fetches their rows: what is left is the ORM and the assembling of the table.
"""

import random
import time
from datetime import date

from django.db import connection, transaction

from . import Result, figure
from .database import database_settings, exists, recreate
from .measure import captured_sql, interleave, samples

# The ORM compiles four aggregate queries of seven joins and builds the table: about a third of
# the floor on this machine. Like the pages' target (3), it catches a matrix gone per-row.
TARGET = 2.0
INTERVIEWS = 100
TURNS = 100
GENERATIONS = ["moins de 30 ans", "30 à 45 ans", "45 à 60 ans", "plus de 60 ans"]


def build_season():
    """The season of 100 interviews (rows are created, never committed)."""
    from initiatives.models import Person
    from terrain.models import (
        Attribute,
        AttributeValue,
        Case,
        Code,
        Excerpt,
        Interview,
        Interviewee,
        Season,
        Segment,
        Transcript,
        Visit,
    )
    from terrain.services.cases import refresh_cases

    rng = random.Random(19)
    season = Season.objects.create(title="Saison du banc d'essai", start_date=date(2026, 1, 1))
    codes = Code.objects.bulk_create(
        Code(season=season, name=f"Code {n}", position=n) for n in range(40)
    )
    visits = Visit.objects.bulk_create(
        Visit(season=season, date=date(2026, 1 + n % 12, 1 + n % 28)) for n in range(INTERVIEWS)
    )
    interviews = Interview.objects.bulk_create(
        Interview(visit=visit, title=f"Entretien {n}") for n, visit in enumerate(visits)
    )
    people = Person.objects.bulk_create(
        Person(first_name="Personne", last_name=f"{n}", slug=f"bench-matrix-person-{n}")
        for n in range(INTERVIEWS)
    )
    Interviewee.objects.bulk_create(
        Interviewee(interview=i, person=p, role=rng.choice(["coordinatrice", "élu", "bénévole"]))
        for i, p in zip(interviews, people, strict=True)
    )
    transcripts = Transcript.objects.bulk_create(Transcript(interview=i) for i in interviews)
    segments = Segment.objects.bulk_create(
        Segment(
            transcript=t,
            position=p,
            speaker="A" if p % 2 else "B",
            start_ms=p * 20000,
            end_ms=p * 20000 + 19000,
            text="On a posé un diagnostic partagé avant de décider quoi que ce soit.",
        )
        for t in transcripts
        for p in range(TURNS)
    )
    excerpts = Excerpt.objects.bulk_create(
        Excerpt(segment=s, start=0, end=30, text=s.text[:30]) for s in segments[4::5]
    )
    through = Excerpt.codes.through
    through.objects.bulk_create(
        through(excerpt_id=e.pk, code_id=c.pk)
        for e in excerpts
        for c in rng.sample(codes, rng.randrange(1, 3))
    )
    refresh_cases(season)
    generation = Attribute.objects.create(
        season=season,
        applies_to="interviewee",
        name="Génération",
        kind="choice",
        choices="\n".join(GENERATIONS),
    )
    AttributeValue.objects.bulk_create(
        AttributeValue(case=case, attribute=generation, value=rng.choice(GENERATIONS))
        for case in Case.objects.filter(season=season, kind="interviewee")
    )
    # What autovacuum does for a season typed in over weeks: the planner knows the tables' sizes.
    with connection.cursor() as cursor:
        for table in (
            "terrain_segment",
            "terrain_excerpt",
            "terrain_excerpt_codes",
            "terrain_transcript",
            "terrain_interview",
            "terrain_visit",
            "terrain_case",
            "terrain_case_interviews",
            "terrain_attributevalue",
            "terrain_code",
        ):
            cursor.execute(f"ANALYZE {table}")
    return season, generation, len(excerpts)


class _Rollback(Exception):
    pass


def _migrated() -> None:
    """The bench database, migrated: the figure writes its own season, not the shared dataset."""
    from django.core.management import call_command

    database = database_settings()
    if not exists(database):
        recreate(database)
    call_command("migrate", verbosity=0, interactive=False)


def _measure(season, columns, query: dict, rounds: int) -> dict:
    """Best times of the matrix (FilterSet, then build_matrix) and of its captured SQL."""
    from terrain.matrix import MatrixFilterSet, build_matrix

    def subject_once():
        filterset = MatrixFilterSet(query, season=season)
        if not filterset.is_valid():
            raise RuntimeError(filterset.errors)
        return build_matrix(season, filterset.narrowed(), columns)

    statements = captured_sql(subject_once)

    def subject(i):
        started = time.perf_counter()
        subject_once()
        return time.perf_counter() - started

    def floor(i):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql.replace("%", "%%"))
                cursor.fetchall()
        return time.perf_counter() - started

    floors, subjects = interleave(floor, subject, rounds=rounds, warmup=3)
    table = subject_once()
    return {
        "floors": floors,
        "subjects": subjects,
        "queries": len(statements),
        "cells": len(table.cells),
    }


@figure("matrix query", order=62)
def matrix(context: dict) -> list[Result]:
    _migrated()
    from terrain.models import Attribute

    rounds = samples(context, small=15, full=40)
    measured = {}
    try:
        with transaction.atomic():
            season, generation, excerpts = build_season()
            role = Attribute.objects.get(season=season, applies_to="interviewee", source="role")
            measured["all"] = _measure(season, generation, {}, rounds)
            # Narrowed to the cases holding one value of another attribute (a subquery more).
            narrowed = {"attribut": [f"{role.pk}:élu"]}
            measured["filtered"] = _measure(season, generation, narrowed, rounds)
            raise _Rollback
    except _Rollback:
        pass
    results = []
    for key, label in (("all", "all excerpts"), ("filtered", "interviewees who are élus")):
        found = measured[key]
        results.append(
            Result(
                f"matrix query (codes × attribute values, 100 interviews, {label})",
                min(found["subjects"]),
                min(found["floors"]),
                unit=" s",
                target=TARGET,
                notes=(
                    f"{excerpts} excerpts, 40 codes × 4 values, {found['queries']} queries; "
                    f"best of {rounds}"
                ),
                details=found,
            )
        )
    return results
