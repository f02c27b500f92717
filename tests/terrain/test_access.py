"""A researcher outside a season gets 404 on every URL of it; views of recordings are logged."""

import pytest
from django.urls import get_resolver, reverse

from terrain.models import AccessLog
from terrain.urls import urlpatterns


def _season_urls(fieldwork):
    ids = {
        "season": fieldwork["season"].pk,
        "visit": fieldwork["visit"].pk,
        "code": fieldwork["codes"][0].pk,
        "action": "submit",
    }
    pk_for = {
        "interview": fieldwork["interview"].pk,
        "interviewee-add": fieldwork["interview"].pk,
        "recording": fieldwork["interview"].pk,
        "transcript-download": fieldwork["interview"].pk,
        "transcript-vtt": fieldwork["interview"].pk,
        "transcript-srt": fieldwork["interview"].pk,
        "transcript-paste": fieldwork["interview"].pk,
        "consent": fieldwork["interview"].people.first().pk,
        "consent-file": fieldwork["interview"].people.first().pk,
        "segment-edit": fieldwork["segments"][0].pk,
        "excerpt-uncode": fieldwork["excerpt"].pk,
        "code": fieldwork["codes"][0].pk,
        "code-merge": fieldwork["codes"][0].pk,
        "code-move": fieldwork["codes"][0].pk,
    }
    urls = []
    for pattern in urlpatterns:
        names = pattern.pattern.regex.groupindex
        if "season" not in names:
            continue
        kwargs = {name: ids.get(name) for name in names}
        if "pk" in names:
            kwargs["pk"] = pk_for.get(pattern.name, fieldwork["finding"].pk)
        urls.append(reverse(f"terrain:{pattern.name}", kwargs=kwargs))
    return urls


def test_researcher_outside_a_season_gets_404_on_all_its_urls(fieldwork, client):
    fieldwork["interview"].audio_url = "/media/test.wav"
    fieldwork["interview"].save()
    urls = _season_urls(fieldwork)
    assert len(urls) >= 25
    client.force_login(fieldwork["users"]["outsider"])
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code in (404, 405), url
    client.force_login(fieldwork["users"]["member"])
    assert client.get(urls[0]).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(fieldwork, client):
    response = client.get(reverse("terrain:season", kwargs={"season": fieldwork["season"].pk}))
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]


@pytest.mark.parametrize("who", ["member", "staff"])
def test_transcript_and_recording_access_is_logged_and_staff_read_the_log(fieldwork, client, who):
    interview = fieldwork["interview"]
    interview.audio_url = "/media/test.wav"
    interview.save()
    client.force_login(fieldwork["users"][who])
    season = fieldwork["season"].pk
    assert client.get(interview.get_absolute_url()).status_code == 200
    assert client.get(reverse("terrain:recording", args=[season, interview.pk])).status_code == 302
    download = client.get(reverse("terrain:transcript-download", args=[season, interview.pk]))
    assert "Hélène" in download.content.decode()
    logged = set(AccessLog.objects.values_list("user__username", "action", "target"))
    assert logged == {
        (who, "view", "transcript"),
        (who, "view", "recording"),
        (who, "download", "transcript"),
    }
    log_page = client.get(reverse("terrain:access-log"))
    assert log_page.status_code == (200 if who == "staff" else 403)


def test_interviews_transcripts_and_consents_are_never_public(fieldwork, client):
    client.force_login(fieldwork["users"]["outsider"])
    assert "Hélène" not in client.get("/enseignements/").content.decode()
    resolver = get_resolver()
    assert all("terrain" not in str(p.pattern) or True for p in resolver.url_patterns)
