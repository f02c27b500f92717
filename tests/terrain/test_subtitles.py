"""A transcript leaves as WebVTT and SRT that third-party parsers read (webvtt-py, srt), written
from the stored segments, for the season's researchers only, each download logged.

The round trip goes through what a researcher does: upload a .vtt and a .srt on the interview,
the real pipeline turns them into segments, then download them again.
"""

import html
import io

import pytest
import srt
import webvtt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from medias import pipeline
from medias import services as media_services
from medias.models import JobState, MediaFile
from terrain import services
from terrain.models import AccessLog, Transcript
from tests.medias.fieldwork import interview, people, region  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

UPLOADED_VTT = """WEBVTT

NOTE an OHMS-style export with character references and two voices in a cue

00:00:01.000 --> 00:00:04.000
<v Anna>Dupont &amp; fils, c'est &lt;3 ans d'&eacute;changes.</v>

00:00:04.000 --> 00:00:10.000
<v Anna>On a commencé à deux.</v> <v Marc>Puis à dix, avec Ophélie Langlais.</v>
"""

UPLOADED_SRT = """1
00:00:12,000 --> 00:00:15,000
{\\an8}Marc: Le local est en haut & à gauche.
"""

EXPECTED = [
    ("Anna", "Dupont & fils, c'est <3 ans d'échanges."),
    ("Anna", "On a commencé à deux."),
    ("Marc", "Puis à dix, avec Ophélie Langlais."),
]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_PRIVATE_ROOT = tmp_path / "private-media"


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    # The jobs are run below by the pipeline itself, as the worker runs them.
    monkeypatch.setattr(media_services, "send", lambda job_id: True)


def upload(client, interview, name, text):  # noqa: F811
    """What the researcher does on the interview page, then what the worker does."""
    response = client.post(
        reverse("medias:owner-files", args=["interview", interview.pk]),
        {"file": SimpleUploadedFile(name, text.encode()), "kind": "transcript"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    media = MediaFile.objects.filter(owner_id=interview.pk).latest("pk")
    for job in media.jobs.order_by("pk"):
        assert pipeline.run(job.pk, "test") == JobState.SUCCEEDED, job.error
    return media


def stored(interview):  # noqa: F811
    segments = Transcript.objects.get(interview=interview).segments.order_by("position")
    return [(s.speaker, s.text) for s in segments]


def download(client, interview, name):  # noqa: F811
    season = interview.visit.season_id
    response = client.get(reverse(f"terrain:transcript-{name}", args=[season, interview.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="transcript-{interview.pk}.{name}"'
    )
    return response


def test_an_uploaded_vtt_comes_back_decoded_with_both_voices(client, people, interview):  # noqa: F811
    client.force_login(people["member"])
    upload(client, interview, "entretien.vtt", UPLOADED_VTT)
    assert stored(interview) == EXPECTED

    response = download(client, interview, "vtt")
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    captions = webvtt.from_buffer(io.StringIO(response.content.decode()))
    # webvtt-py drops the tags but leaves the references for the player to decode.
    assert [(c.voice, html.unescape(c.text)) for c in captions] == EXPECTED
    assert "Dupont &amp; fils, c'est &lt;3" in captions[0].raw_text
    assert [(c.start, c.end) for c in captions][:1] == [("00:00:01.000", "00:00:04.000")]
    # The two voices of the second cue follow each other in the cue's time.
    assert captions[1].start == "00:00:04.000" and captions[2].end == "00:00:10.000"
    assert captions[1].end == captions[2].start


def test_an_uploaded_srt_loses_its_positioning_and_the_download_reads_in_srt(
    client,
    people,  # noqa: F811
    interview,  # noqa: F811
):
    client.force_login(people["member"])
    upload(client, interview, "entretien.srt", UPLOADED_SRT)
    assert stored(interview) == [("Marc", "Le local est en haut & à gauche.")]

    response = download(client, interview, "srt")
    assert response["Content-Type"] == "application/x-subrip; charset=utf-8"
    (subtitle,) = srt.parse(response.content.decode(), ignore_errors=False)
    assert subtitle.content == "Marc: Le local est en haut & à gauche."
    assert (subtitle.start.total_seconds(), subtitle.end.total_seconds()) == (12, 15)


def test_the_srt_download_keeps_every_voice_and_our_own_reader_takes_both_back(
    client,
    people,  # noqa: F811
    interview,  # noqa: F811
):
    client.force_login(people["member"])
    upload(client, interview, "entretien.vtt", UPLOADED_VTT)
    subtitles = list(srt.parse(download(client, interview, "srt").content.decode()))
    assert [tuple(s.content.split(": ", 1)) for s in subtitles] == EXPECTED

    # A researcher takes the WebVTT to a subtitle tool and brings it back: the same turns.
    vtt = download(client, interview, "vtt").content.decode()
    upload(client, interview, "retour.vtt", vtt)
    assert stored(interview) == EXPECTED


def test_the_download_is_written_after_pseudonymisation(client, people, interview):  # noqa: F811
    client.force_login(people["member"])
    media = upload(client, interview, "entretien.vtt", UPLOADED_VTT)
    suggestion = media.pseudonyms.get(name="Ophélie")
    services.decide_suggestion(suggestion, True, "Odile", by=people["member"])

    vtt = download(client, interview, "vtt").content.decode()
    srt_text = download(client, interview, "srt").content.decode()
    for text in (vtt, srt_text):
        assert "Odile Langlais" in text and "Ophélie" not in text


def test_each_download_is_logged_and_outsiders_get_404(client, people, interview):  # noqa: F811
    season = interview.visit.season_id
    urls = [reverse(f"terrain:transcript-{n}", args=[season, interview.pk]) for n in ("vtt", "srt")]
    client.force_login(people["member"])
    # No transcript yet: nothing to download.
    assert [client.get(url).status_code for url in urls] == [404, 404]
    upload(client, interview, "entretien.vtt", UPLOADED_VTT)

    client.force_login(people["outsider"])
    assert [client.get(url).status_code for url in urls] == [404, 404]
    assert not AccessLog.objects.exists()

    for who in ("member", "staff"):
        client.force_login(people[who])
        assert [client.get(url).status_code for url in urls] == [200, 200]
    logged = list(AccessLog.objects.values_list("user__username", "action", "target"))
    assert sorted(logged) == sorted(
        [(who, "download", "transcript") for who in ("member", "member", "staff", "staff")]
    )


def test_the_reader_links_to_both_downloads(client, people, interview):  # noqa: F811
    client.force_login(people["member"])
    upload(client, interview, "entretien.vtt", UPLOADED_VTT)
    page = client.get(interview.get_absolute_url()).content.decode()
    season = interview.visit.season_id
    for name in ("vtt", "srt"):
        url = reverse(f"terrain:transcript-{name}", args=[season, interview.pk])
        assert f'href="{url}"' in page


def test_a_pasted_transcript_gives_cues_that_last_and_text_that_cannot_break_them(
    client,
    people,  # noqa: F811
    interview,  # noqa: F811
):
    """Pasted turns have no end (the last ends where it starts) and text may hold `-->`."""
    client.force_login(people["member"])
    season = interview.visit.season_id
    pasted = "[00:00:01] Anna: avant --> après <i>\n[00:00:05] Marc: dernier mot, assez long"
    response = client.post(
        reverse("terrain:transcript-paste", args=[season, interview.pk]), {"pasted": pasted}
    )
    assert response.status_code == 302
    captions = webvtt.from_buffer(io.StringIO(download(client, interview, "vtt").content.decode()))
    assert [(c.voice, html.unescape(c.text)) for c in captions] == [
        ("Anna", "avant --> après <i>"),
        ("Marc", "dernier mot, assez long"),
    ]
    # The last turn lasts about as long as it takes to say (23 characters at 15 a second).
    assert [(c.start, c.end) for c in captions] == [
        ("00:00:01.000", "00:00:05.000"),
        ("00:00:05.000", "00:00:06.533"),
    ]
    subtitles = list(srt.parse(download(client, interview, "srt").content.decode()))
    assert [s.content for s in subtitles] == [
        "Anna: avant --> après <i>",
        "Marc: dernier mot, assez long",
    ]
