"""The workspace and the public findings pages do as many queries for 50 rows as for 5."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from initiatives.models import Initiative, Person
from observatoire.publishing import State
from terrain.models import (
    Code,
    Consent,
    Excerpt,
    Finding,
    FindingExcerpt,
    FindingState,
    Interview,
    Interviewee,
    Naming,
    Season,
    Segment,
    Visit,
)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def _pinned(client, url, grow) -> None:
    """Grow the page to 5 rows, count; grow to 50, count again: the counts must be equal."""
    grow(0, 5)
    _queries(client, url)  # once first: per-process caches (content types) are filled alike
    few = _queries(client, url)
    grow(5, 50)
    assert _queries(client, url) == few


@pytest.fixture
def member_client(client, fieldwork):
    client.force_login(fieldwork["users"]["member"])
    return client


def _visits(season, initiative, start, stop):
    for n in range(start, stop):
        visit = Visit.objects.create(season=season, date=datetime.date(2024, 6, 1), place=f"P{n}")
        visit.initiatives.add(initiative)
        interview = Interview.objects.create(visit=visit, title=f"Entretien {n}")
        person = Person.objects.create(first_name="P", last_name=f"N{n}", slug=f"p-n{n}")
        Interviewee.objects.create(interview=interview, person=person)


def test_season_list_queries_do_not_grow(member_client, fieldwork):
    member = fieldwork["users"]["member"]

    def grow(start, stop):
        for n in range(start, stop):
            season = Season.objects.create(title=f"Saison {n}")
            season.researchers.add(member)
            Visit.objects.create(season=season, date=datetime.date(2024, 6, 1))

    _pinned(member_client, reverse("terrain:seasons"), grow)


def test_season_detail_queries_do_not_grow(member_client, fieldwork):
    season = fieldwork["season"]

    def grow(start, stop):
        _visits(season, fieldwork["initiative"], start, stop)
        for n in range(start, stop):
            Finding.objects.create(season=season, title=f"F{n}", slug=f"f-{n}")

    _pinned(member_client, season.get_absolute_url(), grow)


def _coded_segments(fieldwork, start, stop):
    transcript, member = fieldwork["transcript"], fieldwork["users"]["member"]
    codes = fieldwork["codes"]
    for n in range(start, stop):
        segment = Segment.objects.create(
            transcript=transcript,
            position=100 + n,
            speaker="Hélène",
            interviewee=fieldwork["segments"][1].interviewee,
            start_ms=100_000 + n * 1000,
            end_ms=100_500 + n * 1000,
            text=f"La médiation numéro {n} a construit la confiance.",
        )
        excerpt = Excerpt.objects.create(
            segment=segment, start=3, end=12, text=segment.text[3:12], coder=member
        )
        excerpt.codes.add(*codes)


def test_transcript_reader_queries_do_not_grow(member_client, fieldwork):
    _pinned(
        member_client,
        fieldwork["interview"].get_absolute_url(),
        lambda start, stop: _coded_segments(fieldwork, start, stop),
    )


def test_codebook_queries_do_not_grow(member_client, fieldwork):
    season, parent = fieldwork["season"], fieldwork["codes"][0]

    def grow(start, stop):
        for n in range(start, stop):
            Code.objects.create(season=season, name=f"Code {n}", parent=parent if n % 2 else None)

    _pinned(member_client, reverse("terrain:codebook", args=[season.pk]), grow)


def test_excerpts_of_a_code_queries_do_not_grow(member_client, fieldwork):
    season, code = fieldwork["season"], fieldwork["codes"][0]
    _pinned(
        member_client,
        reverse("terrain:code", args=[season.pk, code.pk]),
        lambda start, stop: _coded_segments(fieldwork, start, stop),
    )


def test_public_finding_list_queries_do_not_grow(client, published):
    def grow(start, stop):
        for n in range(start, stop):
            finding = Finding.objects.create(
                season=published["season"],
                title=f"Enseignement {n}",
                slug=f"enseignement-{n}",
                state=FindingState.PUBLISHED,
                published_at=timezone.now(),
            )
            finding.themes.add("confiance", f"thème {n}")

    _pinned(client, reverse("findings:list"), grow)


def test_public_finding_detail_queries_do_not_grow(client, published):
    finding = published["finding"]
    interview = published["interview"]

    def grow(start, stop):
        _coded_segments(published, start, stop)
        for n, excerpt in enumerate(
            Excerpt.objects.filter(segment__position__gte=100 + start).order_by("pk"), start
        ):
            FindingExcerpt.objects.create(finding=finding, excerpt=excerpt, position=10 + n)
        for n in range(start, stop):
            person = Person.objects.create(first_name="Q", last_name=f"M{n}", slug=f"q-m{n}")
            someone = Interviewee.objects.create(interview=interview, person=person)
            Consent.objects.create(interviewee=someone, naming=Naming.PSEUDONYM, pseudonym=f"X{n}")
            initiative = Initiative.objects.create(
                name=f"Initiative {n}",
                slug=f"initiative-{n}",
                territory=published["initiative"].territory,
                state=State.PUBLISHED,
            )
            finding.initiatives.add(initiative)

    _pinned(client, finding.get_absolute_url(), grow)
