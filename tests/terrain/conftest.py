"""A small season with an interview, consented interviewees, a coded transcript and a finding."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from initiatives.models import Initiative, Person
from observatoire.publishing import State
from terrain import services
from terrain.models import (
    Code,
    Consent,
    Finding,
    FindingExcerpt,
    Interview,
    Interviewee,
    Naming,
    Season,
    Transcript,
    Visit,
)

TURNS = [
    {
        "speaker": "Chercheuse",
        "start_ms": 0,
        "end_ms": 4000,
        "text": "Comment est née la coopération ?",
    },
    {
        "speaker": "Hélène",
        "start_ms": 4000,
        "end_ms": 12000,
        "text": "Au début, Hélène Brûlé et Joël Pérez se méfiaient ; "
        "la confiance est venue des échanges réguliers.",
    },
    {
        "speaker": "Joël",
        "start_ms": 12000,
        "end_ms": 20000,
        "text": "Oui, et c'est Hélène qui a proposé le diagnostic partagé à l'été.",
    },
]


@pytest.fixture
def users(db):
    User = get_user_model()
    return {
        "member": User.objects.create_user("member", password="pw", email="m@example.org"),
        "outsider": User.objects.create_user("outsider", password="pw"),
        "staff": User.objects.create_user(
            "staff", password="pw", is_staff=True, email="staff@example.org"
        ),
    }


@pytest.fixture
def fieldwork(users, territory_factory):
    region = territory_factory(territory_factory.Level.REGION, "32", "Hauts-de-France")
    initiative = Initiative.objects.create(
        name="Maison des échanges",
        slug="maison-des-echanges",
        summary="Échanger plutôt qu'acheter.",
        territory=region,
        state=State.PUBLISHED,
    )
    season = Season.objects.create(title="Saison 2024", start_date=datetime.date(2024, 5, 1))
    season.researchers.add(users["member"])
    visit = Visit.objects.create(season=season, date=datetime.date(2024, 5, 3), territory=region)
    visit.initiatives.add(initiative)
    interview = Interview.objects.create(visit=visit, title="Entretien coordination")
    helene = Person.objects.create(first_name="Hélène", last_name="Brûlé", slug="helene-brule")
    joel = Person.objects.create(first_name="Joël", last_name="Pérez", slug="joel-perez")
    h = Interviewee.objects.create(interview=interview, person=helene, role="coordinatrice")
    j = Interviewee.objects.create(interview=interview, person=joel, role="bénévole")
    h_consent = Consent.objects.create(
        interviewee=h,
        quoting_allowed=True,
        publication_allowed=True,
        naming=Naming.NAMED,
    )
    j_consent = Consent.objects.create(
        interviewee=j,
        quoting_allowed=True,
        publication_allowed=True,
        naming=Naming.PSEUDONYM,
        pseudonym="Paul",
    )
    transcript = Transcript.objects.create(interview=interview)
    segments = services.import_segments(transcript, TURNS)
    trust = Code.objects.create(season=season, name="Confiance", colour="#aa3300")
    diagnosis = Code.objects.create(season=season, name="Diagnostic partagé", parent=trust)
    text = segments[1].text
    start = text.index("Hélène Brûlé")
    end = len(text)
    excerpt = services.code_excerpt(segments[1], start, end, [trust], coder=users["member"])
    text2 = segments[2].text
    joel_excerpt = services.code_excerpt(
        segments[2], 0, len(text2), [diagnosis, trust], coder=users["member"]
    )
    finding = Finding.objects.create(
        season=season,
        title="La confiance se construit par les échanges",
        slug="confiance-echanges",
        summary="Une leçon sur la confiance.",
        text="Les échanges réguliers installent la confiance.",
        author=users["member"],
    )
    finding.initiatives.add(initiative)
    FindingExcerpt.objects.create(finding=finding, excerpt=excerpt, position=1)
    FindingExcerpt.objects.create(finding=finding, excerpt=joel_excerpt, position=2)
    return {
        "season": season,
        "visit": visit,
        "interview": interview,
        "initiative": initiative,
        "helene": helene,
        "joel": joel,
        "helene_consent": h_consent,
        "joel_consent": j_consent,
        "transcript": transcript,
        "segments": segments,
        "codes": [trust, diagnosis],
        "excerpt": excerpt,
        "joel_excerpt": joel_excerpt,
        "finding": finding,
        "users": users,
    }


@pytest.fixture
def published(fieldwork):
    finding = fieldwork["finding"]
    services.submit_finding(finding)
    services.publish_finding(finding, by=fieldwork["users"]["staff"])
    finding.refresh_from_db()
    return fieldwork
