"""A recording uploaded to an interview plays in the reader: its rendition is served to the
season's researchers only, and each listening is logged."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from medias import pipeline, services
from medias.models import JobState
from medias.selectors import latest_rendition
from terrain.models import AccessLog
from tests.medias import files
from tests.medias.fieldwork import interview, people, region  # noqa: F401


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_PRIVATE_ROOT = tmp_path / "private-media"


@pytest.fixture
def recorded(interview):  # noqa: F811
    media = services.store_upload(
        SimpleUploadedFile("entretien.wav", files.wav()), interview, "audio"
    )
    for job in media.jobs.order_by("pk"):
        assert pipeline.run(job.pk, "test") == JobState.SUCCEEDED, job.error
    return interview


def test_the_reader_plays_the_uploaded_recording_and_logs_each_listening(client, people, recorded):  # noqa: F811
    season = recorded.visit.season
    client.force_login(people["member"])
    page = client.get(reverse("terrain:interview", args=[season.pk, recorded.pk]))
    assert b'id="player"' in page.content

    redirect = client.get(reverse("terrain:recording", args=[season.pk, recorded.pk]))
    assert redirect.status_code == 302
    audio = client.get(redirect["Location"])
    assert audio.status_code == 200
    assert audio["Content-Type"] == "audio/mp4"
    assert b"".join(audio.streaming_content)
    assert AccessLog.objects.filter(
        user=people["member"], interview=recorded, target=AccessLog.Target.RECORDING
    ).exists()


def test_an_outsider_hears_nothing(client, people, recorded):  # noqa: F811
    season = recorded.visit.season
    client.force_login(people["outsider"])
    assert (
        client.get(reverse("terrain:recording", args=[season.pk, recorded.pk])).status_code == 404
    )
    rendition = latest_rendition(recorded, "rendition-audio")
    url = reverse("medias:rendition", args=[rendition.media_id, rendition.name])
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404


def test_the_player_plays_the_rendition_itself_beside_its_waveform(client, people, recorded):  # noqa: F811
    client.force_login(people["member"])
    html = client.get(recorded.get_absolute_url()).content.decode()
    media_id = latest_rendition(recorded, "rendition-audio").media_id
    audio = reverse("medias:rendition", args=[media_id, "rendition-audio"])
    waveform = reverse("medias:rendition", args=[media_id, "waveform"])
    # Its own URL, served with ranges: no redirect for the player to follow at every seek.
    assert f'<audio id="player" controls preload="metadata" src="{audio}">' in html
    assert f'data-peaks-url="{waveform}" role="slider"' in html


def test_without_a_recording_the_reader_says_so(client, people, interview):  # noqa: F811
    client.force_login(people["member"])
    html = client.get(interview.get_absolute_url()).content.decode()
    assert 'id="player"' not in html and 'id="waveform"' not in html


def test_an_audio_url_listening_is_one_row_whatever_the_requests(client, people, interview):  # noqa: F811
    interview.audio_url = "/media/test.wav"
    interview.save()
    client.force_login(people["member"])
    url = reverse("terrain:recording", args=[interview.visit.season.pk, interview.pk])
    for _ in range(10):  # a player coming back through the redirect at each range request
        assert client.get(url, HTTP_RANGE="bytes=0-").status_code == 302
    assert AccessLog.objects.filter(target=AccessLog.Target.RECORDING).count() == 1
    html = client.get(interview.get_absolute_url()).content.decode()
    assert f'src="{url}"' in html and 'id="waveform"' not in html
