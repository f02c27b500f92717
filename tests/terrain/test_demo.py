"""The demo season of the Observatoire de l'Implicite loads, twice without duplicates."""

from django.contrib.auth import get_user_model

from terrain.demo import load_demo_fieldwork
from terrain.models import (
    Code,
    Consent,
    Excerpt,
    Finding,
    FindingExcerpt,
    Interview,
    Season,
    Segment,
    Visit,
)

COUNTED = [Season, Visit, Interview, Consent, Segment, Code, Excerpt, Finding, FindingExcerpt]


def _counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_demo_fieldwork_loads_once(db):
    season = load_demo_fieldwork()
    first = _counts()
    load_demo_fieldwork()
    assert _counts() == first
    assert first["Segment"] == 20 and first["Code"] == 4 and first["Finding"] == 1
    researcher = get_user_model().objects.get(username="researcher")
    assert list(Season.objects.for_user(researcher)) == [season]
    finding = Finding.objects.published().get()
    quotes = finding.public_quotes()
    assert quotes and not any(q.removed for q in quotes)
    assert {q.speaker for q in quotes} == {"Ophélie Langlais"}
    assert "confiance" in finding.public_quotes_text.lower()


def test_demo_researcher_account_is_a_member_whatever_the_order(db):
    from initiatives.demo.loading import APP_LOADERS

    assert APP_LOADERS.index("terrain.demo.load_demo_fieldwork") > APP_LOADERS.index(
        "accompagnements.demo.load_demo_missions"
    )
    user = get_user_model().objects.create_user("researcher", password="kept")
    season = load_demo_fieldwork()
    assert season.researchers.filter(pk=user.pk).exists()
    user.refresh_from_db()
    assert user.check_password("kept")  # an existing account is left as it is


def test_the_demo_interview_has_its_turns_spoken_in_a_processed_recording(db, client, settings):
    from medias.models import Kind, MediaFile
    from terrain.demo import TURNS

    settings.DEMO_RECORDING = True
    load_demo_fieldwork()
    load_demo_fieldwork()  # a second load keeps the one recording
    interview = Interview.objects.get()
    recording = MediaFile.objects.get(owner_id=str(interview.pk), kind=Kind.AUDIO)
    assert recording.jobs.get().state == "succeeded"
    duration = recording.metadata["audio_video"]["duration"]
    last_end = Segment.objects.order_by("-end_ms").first().end_ms / 1000
    assert last_end - 1 <= duration <= last_end + 1
    assert recording.derived.filter(name="rendition-audio").exists()
    assert len(TURNS) == Segment.objects.count()
    client.force_login(get_user_model().objects.get(username="researcher"))
    page = client.get(interview.get_absolute_url()).content.decode()
    assert "<audio" in page
