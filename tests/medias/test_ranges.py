"""A recording and its rendition served with byte ranges, as a player asks for them; access
control unchanged; one access-log row per listening, not per range request."""

import json
import time

import pytest
from django.urls import reverse

from medias import pipeline, services
from medias.models import JobState
from terrain.models import AccessLog

from . import files
from .fieldwork import interview, people, region  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def recording(interview, upload):  # noqa: F811
    """A real two-second WAV uploaded to the interview, processed by the real processors."""
    media = services.store_upload(upload("entretien.wav", files.wav()), interview, "audio")
    for job in media.jobs.order_by("pk"):
        assert pipeline.run(job.pk, "test") == JobState.SUCCEEDED, job.error
    return media


def _target(media, which):
    """(URL, the bytes stored) of the original or of the playable rendition."""
    if which == "original":
        stored = media.original
        url = reverse("medias:original", args=[media.pk])
    else:
        stored = media.derived.get(name="rendition-audio").file
        url = reverse("medias:rendition", args=[media.pk, "rendition-audio"])
    with stored.open("rb") as handle:
        return url, handle.read()


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def member(client, people):  # noqa: F811
    client.force_login(people["member"])
    return client


TARGETS = ["original", "rendition"]


@pytest.mark.parametrize("which", TARGETS)
def test_without_a_range_the_whole_file_and_an_offer_of_ranges(member, recording, which):
    url, content = _target(recording, which)
    response = member.get(url)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert int(response["Content-Length"]) == len(content)
    assert "Content-Range" not in response
    assert _body(response) == content


@pytest.mark.parametrize("which", TARGETS)
@pytest.mark.parametrize(
    ("header", "part"),
    [
        ("bytes=0-99", lambda size: (0, 99)),
        ("bytes=100-", lambda size: (100, size - 1)),
        ("bytes=-50", lambda size: (size - 50, size - 1)),
        ("bytes=10-99999999", lambda size: (10, size - 1)),  # past the end: up to the end
        ("bytes=-99999999", lambda size: (0, size - 1)),  # a suffix longer than the file
    ],
)
def test_a_satisfiable_range_is_206_with_exactly_those_bytes(
    member, recording, which, header, part
):
    url, content = _target(recording, which)
    first, last = part(len(content))
    response = member.get(url, HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/{len(content)}"
    assert response["Accept-Ranges"] == "bytes"
    assert int(response["Content-Length"]) == last - first + 1
    assert _body(response) == content[first : last + 1]


@pytest.mark.parametrize("which", TARGETS)
@pytest.mark.parametrize("header", ["bytes=999999-", "bytes=-0"])
def test_an_unsatisfiable_range_is_416_with_the_size(member, recording, which, header):
    url, content = _target(recording, which)
    assert len(content) < 999999
    response = member.get(url, HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(content)}"
    assert not AccessLog.objects.exists()  # nothing was read


@pytest.mark.parametrize("which", TARGETS)
@pytest.mark.parametrize(
    "header",
    [
        "bytes=abc",
        "bytes=",
        "bytes=-",
        "bytes=5-2",  # last before first: an invalid range-spec
        "items=0-10",  # a unit we do not know
        "0-10",
        "bytes=0-1,5-6",  # several ranges: answered with the whole file (medias/ranges.py)
    ],
)
def test_a_malformed_or_multiple_range_gets_the_whole_file(member, recording, which, header):
    url, content = _target(recording, which)
    response = member.get(url, HTTP_RANGE=header)
    assert response.status_code == 200
    assert "Content-Range" not in response
    assert _body(response) == content


def test_if_range_resumes_the_same_original_only(member, recording):
    url, content = _target(recording, "original")
    etag = member.get(url)["ETag"]
    assert etag == f'"{recording.checksum}"'
    same = member.get(url, HTTP_RANGE="bytes=10-19", HTTP_IF_RANGE=etag)
    assert same.status_code == 206 and _body(same) == content[10:20]
    other = member.get(url, HTTP_RANGE="bytes=10-19", HTTP_IF_RANGE='"another-version"')
    assert other.status_code == 200 and _body(other) == content


@pytest.mark.parametrize("which", TARGETS)
def test_strangers_get_no_byte_whatever_the_range(client, people, recording, which):  # noqa: F811
    url, _content = _target(recording, which)
    for header in ("bytes=0-99", "bytes=-50", "bytes=999999-"):
        assert client.get(url, HTTP_RANGE=header).status_code == 404  # anonymous
    client.force_login(people["outsider"])
    for header in ("bytes=0-99", "bytes=-50", "bytes=999999-"):
        assert client.get(url, HTTP_RANGE=header).status_code == 404
    assert not AccessLog.objects.exists()


# --- The access log: once a listening ---------------------------------------------------------


def _listen(client, url, requests=10):
    """What a player does: a first open-ended request, then one per seek or refill."""
    headers = ["bytes=0-"] + [f"bytes={n * 1000}-" for n in range(1, requests)]
    for header in headers:
        assert client.get(url, HTTP_RANGE=header).status_code == 206


def test_ten_range_requests_of_one_listening_are_one_row(member, people, recording):  # noqa: F811
    url, _content = _target(recording, "rendition")
    _listen(member, url)
    log = AccessLog.objects.get()
    assert (log.user, log.target, log.action) == (people["member"], "recording", "view")
    assert log.interview == recording.owner


def test_a_new_session_is_a_new_listening(client, people, recording):  # noqa: F811
    url, _content = _target(recording, "rendition")
    client.force_login(people["member"])
    _listen(client, url)
    client.logout()
    client.force_login(people["member"])  # signed in again: a new session
    _listen(client, url)
    assert AccessLog.objects.filter(user=people["member"]).count() == 2


def test_coming_back_after_a_pause_is_a_new_listening(member, recording, settings):
    settings.MEDIA_LISTENING_IDLE_SECONDS = 2
    url, _content = _target(recording, "rendition")
    _listen(member, url)
    assert AccessLog.objects.count() == 1
    time.sleep(2.5)
    _listen(member, url)
    assert AccessLog.objects.count() == 2


def test_each_file_and_each_person_has_its_own_listening(client, people, recording):  # noqa: F811
    original, _ = _target(recording, "original")
    rendition, _ = _target(recording, "rendition")
    client.force_login(people["member"])
    _listen(client, rendition, 3)
    _listen(client, original, 3)
    client.force_login(people["staff"])
    _listen(client, rendition, 3)
    rows = AccessLog.objects.order_by("pk").values_list("user__username", "action")
    assert list(rows) == [("member", "view"), ("member", "download"), ("staff", "view")]


def test_the_waveform_is_served_to_the_season_and_is_not_a_listening(
    member,
    client,
    people,  # noqa: F811
    recording,
):
    url = reverse("medias:rendition", args=[recording.pk, "waveform"])
    response = member.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    peaks = json.loads(_body(response))
    assert len(peaks) > 10 and max(peaks) > 0.1
    assert not AccessLog.objects.exists()
    client.force_login(people["outsider"])
    assert client.get(url).status_code == 404
