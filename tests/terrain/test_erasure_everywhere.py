"""Erasing a person leaves their names and phone number nowhere: database, files, cache.

Every kind of data is filled the way people fill it: a recording named after her processed by
the real pipeline (rendition, waveform), a VTT transcript and a DOCX with her name and phone
number (text extracted, name suggestions found), a memo with her phone number, a signed consent
form, a quoted finding whose PDF and public page were rendered and cached. After the erasure,
the whole database (`pg_dump`), every file of both media roots and every cache entry are read.
"""

import datetime

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from initiatives.models import Initiative, Person
from medias import pipeline
from medias import services as media_services
from medias.models import DerivedFile, JobState, MediaFile, PseudonymSuggestion
from medias.storage import private_storage
from observatoire.publishing import State
from observatoire.shredders import erase_person
from terrain import services
from terrain.models import (
    Code,
    Consent,
    Erasure,
    Excerpt,
    Finding,
    FindingExcerpt,
    Interview,
    Interviewee,
    Naming,
    Season,
    Segment,
    Visit,
)
from tests.medias import files
from tests.terrain import traces
from tests.terrain.conftest import users  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "06 12 34 56 78"
NEEDLES = traces.Needles("Ophélie", "Langlais", phone=PHONE)
VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Chercheuse>Pouvez-vous vous présenter ?

00:00:04.500 --> 00:00:09.000
<v Ophélie Langlais>Je suis Ophélie Langlais, je coordonne la Maison des échanges.

00:00:09.500 --> 00:00:14.000
<v Ophélie Langlais>La confiance est venue des échanges réguliers, appelez-moi au 06.12.34.56.78.
"""


@pytest.fixture
def roots(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_PRIVATE_ROOT = tmp_path / "private-media"
    settings.PUBLIC_CACHE_SECONDS = 300  # public pages cached, as in production
    cache.clear()
    yield [settings.MEDIA_ROOT, settings.MEDIA_PRIVATE_ROOT]
    cache.clear()


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    """Jobs are run here by the real pipeline, one after the other, instead of by a worker."""
    monkeypatch.setattr(media_services, "send", lambda job_id: True)


def upload(name: str, content: bytes, owner, kind: str, user) -> MediaFile:
    media = media_services.store_upload(SimpleUploadedFile(name, content), owner, kind, user)
    for job in media.jobs.order_by("pk"):
        assert pipeline.run(job.pk, "test") == JobState.SUCCEEDED, job.error
    return media


@pytest.fixture
def ophelie(users, territory_factory, roots):  # noqa: F811
    """Ophélie Langlais, interviewed, recorded, transcribed, coded, quoted, noted, cached."""
    region = territory_factory(territory_factory.Level.REGION, "32", "Hauts-de-France")
    initiative = Initiative.objects.create(
        name="Maison des échanges", slug="maison", territory=region, state=State.PUBLISHED
    )
    person = Person.objects.create(
        first_name="Ophélie",
        last_name="Langlais",
        slug="ophelie-langlais",
        phone=PHONE,
        email="ophelie.langlais@example.org",
        public_bio="Ophélie Langlais coordonne la Maison des échanges.",
        state=State.PUBLISHED,
    )
    season = Season.objects.create(title="Saison 2024", start_date=datetime.date(2024, 5, 1))
    season.researchers.add(users["member"])
    visit = Visit.objects.create(season=season, date=datetime.date(2024, 5, 3), territory=region)
    interview = Interview.objects.create(
        visit=visit, title="Entretien avec Ophélie", audio_url="https://son.example.org/e42.mp3"
    )
    interviewee = Interviewee.objects.create(
        interview=interview, person=person, role="coordinatrice", speaker_label="Ophélie Langlais"
    )
    consent = Consent.objects.create(
        interviewee=interviewee,
        quoting_allowed=True,
        publication_allowed=True,
        naming=Naming.NAMED,
    )
    consent.signed_form.save(
        "consentement-langlais.txt", ContentFile(f"Signé : Ophélie Langlais, {PHONE}".encode())
    )
    member = users["member"]
    recording = upload("entretien-ophelie-langlais.wav", files.wav(), interview, "audio", member)
    vtt = upload("transcription-ophelie.vtt", VTT.encode(), interview, "transcript", member)
    notes = files.docx(["Notes : Ophélie Langlais", f"Téléphone : {PHONE}"])
    docx = upload("notes-langlais.docx", notes, interview, "document", member)
    interview.memos.create(text=f"Rappeler Ophélie au {PHONE} pour la relecture.", author=member)
    season.memos.create(text="Ophélie Langlais connaît tout le réseau.", author=member)
    # Her quote in a published finding.
    segment = Segment.objects.get(transcript__interview=interview, text__contains="confiance")
    code = Code.objects.create(season=season, name="Confiance")
    excerpt = services.code_excerpt(segment, 0, len(segment.text), [code], coder=member)
    finding = Finding.objects.create(
        season=season,
        title="La confiance se construit",
        slug="confiance",
        summary="Les échanges réguliers installent la confiance.",
        text="Comme le dit Ophélie, la confiance vient des échanges.",
        author=member,
    )
    finding.initiatives.add(initiative)
    FindingExcerpt.objects.create(finding=finding, excerpt=excerpt, position=1)
    services.submit_finding(finding)
    services.publish_finding(finding, by=users["staff"])
    return {
        "person": person,
        "interview": interview,
        "recording": recording,
        "vtt": vtt,
        "docx": docx,
        "finding": finding,
        "excerpt": excerpt,
    }


def test_erasure_leaves_her_nowhere(client, ophelie, users, roots):  # noqa: F811
    recording = ophelie["recording"]
    voice = [recording.original.name] + [d.file.name for d in recording.derived.all()]
    assert {d.name for d in recording.derived.all()} >= {"rendition-audio", "waveform"}
    assert PseudonymSuggestion.objects.filter(media=ophelie["vtt"], name__contains="Ophélie")
    assert "06 12 34 56 78" in MediaFile.objects.get(pk=ophelie["docx"].pk).text
    # Her quote on the public page and in the PDF, both cached.
    page = client.get(ophelie["finding"].get_absolute_url())
    assert "Ophélie Langlais" in page.content.decode()
    pdf = client.get(reverse("publications:finding-pdf", args=[ophelie["finding"].slug]))
    assert "Langlais" in traces.readable(pdf.content)
    # Every place is searched: before the erasure, each one finds her.
    assert traces.database(NEEDLES)
    assert any("medias/originals" in hit for hit in traces.files(NEEDLES, *roots))
    assert any("consent" in hit for hit in traces.files(NEEDLES, *roots))
    cached = traces.cache(NEEDLES)
    assert any("pdf:finding" in hit for hit in cached)
    assert any("public:" in hit for hit in cached)

    report = erase_person(ophelie["person"], by=users["staff"])

    assert traces.database(NEEDLES) == []
    assert traces.files(NEEDLES, *roots) == []
    assert traces.cache(NEEDLES) == []
    # Her voice is gone, renditions and waveform with it.
    assert not any(private_storage().exists(name) for name in voice)
    assert not MediaFile.objects.filter(pk=recording.pk).exists()
    assert not DerivedFile.objects.filter(media_id=recording.pk).exists()
    assert Interview.objects.get(pk=ophelie["interview"].pk).audio_url == ""
    # The research structure stays: the transcript file, rewritten; the segments and excerpt.
    vtt = MediaFile.objects.get(pk=ophelie["vtt"].pk)
    with vtt.original.open("rb") as handle:
        assert "[erased]" in handle.read().decode()
    assert vtt.original_name == "transcription-[erased].vtt"
    assert Interviewee.objects.filter(person=ophelie["person"]).exists()
    excerpt = Excerpt.objects.select_related("segment").get(pk=ophelie["excerpt"].pk)
    assert excerpt.segment.text[excerpt.start : excerpt.end] == excerpt.text
    # The public page and the PDF are made again, without her.
    assert "Langlais" not in client.get(ophelie["finding"].get_absolute_url()).content.decode()
    pdf = client.get(reverse("publications:finding-pdf", args=[ophelie["finding"].slug]))
    assert pdf.status_code == 200 and "Langlais" not in traces.readable(pdf.content)
    # One report, a section per shredder; one record, that it was done.
    sections = [s.identifier for s in report.sections]
    assert sections[:4] == ["terrain", "terrain-cases", "medias", "accompagnements"], sections
    assert Erasure.objects.filter(person_id=ophelie["person"].pk).count() == 1
