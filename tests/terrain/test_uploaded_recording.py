"""A recording uploaded to an interview plays in the reader: its rendition is served to the
season's researchers only, and each listening is logged."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from medias import pipeline, services
from medias.models import JobState
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
    from medias.selectors import latest_rendition

    rendition = latest_rendition(recorded, "rendition-audio")
    url = reverse("medias:rendition", args=[rendition.media_id, rendition.name])
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404
