"""The workspace sends people only to this site: audio URLs, and memos' `next` (open redirects).

The attack: a researcher (or a tampered row) sets the audio URL to `//evil.example/...`; the
recording link on the reader then redirected whoever followed it there, under the site's name.
"""

import pytest
from django.urls import reverse

from terrain.models import Interview

pytestmark = pytest.mark.django_db

HOSTILE = [
    "//evil.example/entretien.wav",
    "https://evil.example/entretien.wav",
    "http://evil.example/entretien.wav",
    "/\\evil.example/entretien.wav",
    "javascript:alert(1)",
]


def recording(client, fieldwork):
    interview = fieldwork["interview"]
    url = reverse("terrain:recording", args=[fieldwork["season"].pk, interview.pk])
    return client.get(url)


@pytest.mark.parametrize("audio_url", HOSTILE)
def test_recording_never_redirects_to_another_site(client, fieldwork, audio_url):
    Interview.objects.filter(pk=fieldwork["interview"].pk).update(audio_url=audio_url)
    client.force_login(fieldwork["users"]["member"])
    response = recording(client, fieldwork)
    assert response.status_code == 404
    assert "Location" not in response


@pytest.mark.parametrize(
    "audio_url", ["/media/entretien.wav", "http://testserver/media/entretien.wav"]
)
def test_recording_on_this_site_still_plays(client, fieldwork, audio_url):
    Interview.objects.filter(pk=fieldwork["interview"].pk).update(audio_url=audio_url)
    client.force_login(fieldwork["users"]["member"])
    response = recording(client, fieldwork)
    assert response.status_code == 302 and response["Location"] == audio_url


def test_a_trusted_recording_host_is_allowed(client, fieldwork, settings):
    settings.RECORDING_URL_HOSTS = ["sons.example.org"]
    audio_url = "https://sons.example.org/entretien.wav"
    Interview.objects.filter(pk=fieldwork["interview"].pk).update(audio_url=audio_url)
    client.force_login(fieldwork["users"]["member"])
    assert recording(client, fieldwork)["Location"] == audio_url
    # Any other host is still refused.
    Interview.objects.filter(pk=fieldwork["interview"].pk).update(audio_url=HOSTILE[1])
    assert recording(client, fieldwork).status_code == 404


@pytest.mark.parametrize("audio_url", HOSTILE[:4])
def test_the_interview_form_refuses_an_audio_url_elsewhere(client, fieldwork, audio_url):
    client.force_login(fieldwork["users"]["member"])
    url = reverse("terrain:interview-create", args=[fieldwork["season"].pk, fieldwork["visit"].pk])
    before = Interview.objects.count()
    response = client.post(
        url,
        {
            "interview-title": "Entretien piégé",
            "interview-language": "fr",
            "interview-audio_url": audio_url,
            "person-last_name": "Martin",
        },
    )
    assert response.status_code == 200
    assert Interview.objects.count() == before
    assert "sur ce site" in response.content.decode()


@pytest.mark.parametrize("target", HOSTILE)
def test_a_memo_form_never_sends_the_researcher_to_another_site(client, fieldwork, target):
    client.force_login(fieldwork["users"]["member"])
    url = reverse("terrain:memo-create", args=[fieldwork["season"].pk])
    response = client.post(url, {"text": "Relancer Hélène", "next": target})
    assert response.status_code == 302
    assert response["Location"] == fieldwork["season"].get_absolute_url()
