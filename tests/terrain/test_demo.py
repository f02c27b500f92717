"""The demo season of the Observatoire de l’Implicite loads, twice without duplicates, with an
interview in blind double coding whose agreement can be measured and settled."""

import re

from django.contrib.auth import get_user_model
from django.urls import reverse

from terrain.demo import TURNS, load_demo_fieldwork
from terrain.demo_agreement import TURNS as AGREEMENT_TURNS
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
    assert first["Interview"] == 2 and first["Code"] == 4 and first["Finding"] == 1
    assert first["Segment"] == len(TURNS) + len(AGREEMENT_TURNS)
    for username in ("researcher", "researcher2"):
        researcher = get_user_model().objects.get(username=username)
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

    settings.DEMO_RECORDING = True
    load_demo_fieldwork()
    load_demo_fieldwork()  # a second load keeps the one recording
    interview = Interview.objects.get(title__startswith="Entretien avec la coordinatrice")
    recording = MediaFile.objects.get(owner_id=str(interview.pk), kind=Kind.AUDIO)
    assert recording.jobs.get().state == "succeeded"
    duration = recording.metadata["audio_video"]["duration"]
    last_end = Segment.objects.filter(transcript__interview=interview).order_by("-end_ms")
    last_end = last_end.first().end_ms / 1000
    assert last_end - 1 <= duration <= last_end + 1
    assert recording.derived.filter(name="rendition-audio").exists()
    assert len(TURNS) == Segment.objects.filter(transcript__interview=interview).count()
    client.force_login(get_user_model().objects.get(username="researcher"))
    page = client.get(interview.get_absolute_url()).content.decode()
    assert "<audio" in page


def test_demo_has_an_interview_in_blind_double_coding_with_figures_to_read(db, client):
    """Both demo researchers coded the interview with Line Simon blind and declared it done: its
    agreement is measurable and neither perfect nor nil, some passages are settled (agreed, or
    decided by the team) and some wait in the disagreement view."""
    from terrain.demo_agreement import CODINGS, INTERVIEW_TITLE
    from terrain.models import DoubleCoding
    from terrain.services import agreement

    season = load_demo_fieldwork()
    load_demo_fieldwork()  # a second load codes nothing twice and settles nothing twice
    double = DoubleCoding.objects.get(interview__title=INTERVIEW_TITLE)
    coders = {turn.coder.username for turn in double.turns.all()}
    assert coders == {"researcher", "researcher2"}
    assert not double.blind and all(turn.done_at for turn in double.turns.all())
    assert Excerpt.objects.filter(
        segment__transcript__interview=double.interview, coder__isnull=False
    ).count() == sum(len(coding) for coding in CODINGS)

    figures = agreement.figures(double)
    by_code = {row.code.name if row.code else None: row for row in figures}
    assert set(by_code) == {"diagnostic partagé", "médiation", "gouvernance", "confiance", None}
    overall = by_code[None]
    assert 0 < overall.kappa < 1 and 0 < overall.alpha < 1 and 0 < overall.percentage < 100
    # "confiance": the second coder's passage holds the first coder's, whole.
    assert 0 < by_code["confiance"].kappa < 1

    passages = agreement.passages(double)
    agreed = [p for p in passages if p.agreed]
    waiting = [p for p in passages if not p.settled]
    assert len(agreed) == 3 and all(p.settled for p in agreed)
    assert len(waiting) == 2
    assert (
        double.settlements.filter(choice="coder", kept_coder__username="researcher2").count() == 1
    )

    client.force_login(get_user_model().objects.get(username="researcher2"))
    page = client.get(reverse("terrain:agreement", args=[season.pk, double.interview_id]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Line Simon" in html and "nous avons pris six mois pour partager nos enjeux" in html
    listing = client.get(reverse("terrain:agreements", args=[season.pk])).content.decode()
    assert INTERVIEW_TITLE in listing


def test_demo_texts_are_typeset_in_french_and_an_earlier_plain_load_is_brought_to_it(db):
    """Curly apostrophes and no-break spaces before : ; ? ! in the demo's French; a demo loaded
    when its texts were typed plainly is retypeset in place, its excerpts' offsets kept."""
    from terrain.demo import EXCERPTS, SEASON_TITLE, plain

    season = load_demo_fieldwork()
    texts = list(Segment.objects.values_list("text", flat=True)) + [season.title, season.route]
    assert not any("'" in text for text in texts)
    assert not any(re.search(r" [:;?!]", text) for text in texts)
    assert any("’" in text for text in texts) and any("\u00a0:" in text for text in texts)

    # As an earlier demo left it: the same characters, typed plainly.
    Season.objects.filter(pk=season.pk).update(title=plain(SEASON_TITLE))
    first = Segment.objects.filter(transcript__interview__title__startswith="Entretien avec la")
    for segment in first:
        Segment.objects.filter(pk=segment.pk).update(text=plain(segment.text))
    for excerpt in Excerpt.objects.filter(segment__in=first):
        Excerpt.objects.filter(pk=excerpt.pk).update(text=plain(excerpt.text))
    counts = _counts()
    load_demo_fieldwork()
    assert _counts() == counts
    assert Season.objects.get().title == SEASON_TITLE
    kept = set(Excerpt.objects.values_list("text", flat=True))
    assert {passage for _index, passage, _codes in EXCERPTS} <= kept
