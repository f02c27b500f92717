"""Uploads from an interview or an initiative, the owner's live list, and files served by rule."""

import pytest
from django.urls import reverse

from medias import pipeline, services
from medias.models import MediaFile
from observatoire.publishing import State
from terrain.models import AccessLog

from . import files
from .fieldwork import initiative, interview, people, region  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr(services, "send", lambda job_id: True)


def upload_url(owner_kind, owner):
    return reverse("medias:owner-files", args=[owner_kind, owner.pk])


def post(client, owner_kind, owner, upload, name, content, kind, **extra):
    return client.post(
        upload_url(owner_kind, owner),
        {"file": upload(name, content), "kind": kind, **extra},
    )


def test_member_uploads_a_recording_from_the_interview_and_sees_its_progress(
    client,
    people,  # noqa: F811
    interview,  # noqa: F811
    upload,
):
    client.force_login(people["member"])
    back = interview.get_absolute_url()
    response = post(
        client, "interview", interview, upload, "s.wav", files.wav(), "audio", next=back
    )
    assert response.status_code == 302 and response.url == back
    media = MediaFile.objects.get()
    assert (media.owner, media.uploaded_by) == (interview, people["member"])
    fragment = client.get(reverse("medias:owner-files-list", args=["interview", interview.pk]))
    html = fragment.content.decode()
    assert "<html" not in html and "s.wav" in html
    assert 'data-state="queued"' in html and 'data-hx-trigger="every 2s"' in html


def test_the_list_stops_polling_when_nothing_is_left_to_do(
    client,
    people,  # noqa: F811
    interview,  # noqa: F811
    upload,
):
    media = services.store_upload(upload("p.png", files.png()), interview, "image")
    pipeline.run(media.jobs.get().pk, "w")
    client.force_login(people["member"])
    html = client.get(
        reverse("medias:owner-files-list", args=["interview", interview.pk])
    ).content.decode()
    assert 'data-state="succeeded"' in html and "every 2s" not in html


@pytest.mark.parametrize(
    ("name", "content", "kind", "status", "reason"),
    [
        ("empty.wav", b"", "audio", 400, "file is empty"),
        ("notes.wav", b"just some text\n" * 10, "audio", 415, "not accepted as audio"),
        ("photo.wav", files.png(), "image", 415, "rename or convert it"),
    ],
)
def test_refused_uploads_come_back_as_the_form_with_the_reason(
    client,
    people,  # noqa: F811
    interview,  # noqa: F811
    upload,
    name,
    content,
    kind,
    status,
    reason,
):
    client.force_login(people["member"])
    response = post(client, "interview", interview, upload, name, content, kind)
    assert response.status_code == status
    assert reason in response.content.decode() and 'enctype="multipart/form-data"' in (
        response.content.decode()
    )
    assert not MediaFile.objects.exists()


def test_too_large_is_413(client, people, interview, upload, settings):  # noqa: F811
    settings.MEDIA_LIMITS = {**settings.MEDIA_LIMITS, "image": 100}
    client.force_login(people["member"])
    response = post(client, "interview", interview, upload, "p.png", files.png(), "image")
    assert response.status_code == 413 and "too large" in response.content.decode()
    assert not MediaFile.objects.exists()


def test_outsiders_and_the_public_cannot_upload_to_an_interview(
    client,
    people,  # noqa: F811
    interview,  # noqa: F811
    upload,
):
    assert (
        post(client, "interview", interview, upload, "p.png", files.png(), "image").status_code
        == 302
    )
    client.force_login(people["outsider"])
    assert client.get(upload_url("interview", interview)).status_code == 404
    assert (
        post(client, "interview", interview, upload, "p.png", files.png(), "image").status_code
        == 404
    )
    assert not MediaFile.objects.exists()


def test_staff_upload_a_photo_for_an_initiative_researchers_cannot(
    client,
    people,  # noqa: F811
    initiative,  # noqa: F811
    upload,
):
    client.force_login(people["member"])
    assert client.get(upload_url("initiative", initiative)).status_code == 404
    client.force_login(people["staff"])
    page = client.get(upload_url("initiative", initiative))
    assert page.status_code == 200 and 'name="file"' in page.content.decode()
    response = post(client, "initiative", initiative, upload, "p.jpg", files.jpeg(), "image")
    assert response.status_code == 302
    assert MediaFile.objects.get().owner == initiative


def test_the_include_renders_the_form_and_the_list(rf, people, interview):  # noqa: F811
    from django.template.loader import render_to_string

    request = rf.get(interview.get_absolute_url())
    request.user = people["member"]
    html = render_to_string(
        "medias/_owner_files.html", {"owner": interview, "request": request}, request=request
    )
    assert upload_url("interview", interview) in html and f'id="owner-files-{interview.pk}"' in html


# --- Serving ---------------------------------------------------------------------------------


@pytest.fixture
def recording(interview, upload):  # noqa: F811
    return services.store_upload(upload("s.wav", files.wav()), interview, "audio")


def test_interview_originals_are_for_members_of_the_season_only(
    client,
    people,  # noqa: F811
    recording,
):
    url = reverse("medias:original", args=[recording.pk])
    assert client.get(url).status_code == 404
    client.force_login(people["outsider"])
    assert client.get(url).status_code == 404
    assert not AccessLog.objects.exists()
    client.force_login(people["member"])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content)[:4] == b"RIFF"
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]
    log = AccessLog.objects.get()
    assert (log.user, log.target, log.action) == (people["member"], "recording", "download")
    assert log.interview == recording.owner


def test_a_rendition_of_a_recording_is_logged_as_viewed(client, people, recording):  # noqa: F811
    pipeline.run(recording.jobs.get().pk, "w")
    client.force_login(people["staff"])
    response = client.get(reverse("medias:rendition", args=[recording.pk, "rendition-audio"]))
    assert response.status_code == 200
    assert AccessLog.objects.get().action == "view"


def test_public_renditions_of_published_initiatives_only(
    client,
    people,  # noqa: F811
    initiative,  # noqa: F811
    upload,
):
    media = services.store_upload(upload("p.jpg", files.jpeg()), initiative, "image")
    pipeline.run(media.jobs.get().pk, "w")
    name = media.derived.filter(public=True).first().name
    rendition = reverse("medias:rendition", args=[media.pk, name])
    response = client.get(rendition)
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"
    assert b"Exif" not in b"".join(response.streaming_content)
    assert client.get(reverse("medias:original", args=[media.pk])).status_code == 404
    initiative.state = State.WITHDRAWN
    initiative.save()
    assert client.get(rendition).status_code == 404
    client.force_login(people["staff"])
    assert client.get(reverse("medias:original", args=[media.pk])).status_code == 200
    assert not AccessLog.objects.exists()  # photos are not recordings


def test_a_missing_rendition_is_404(client, people, recording):  # noqa: F811
    client.force_login(people["staff"])
    assert client.get(reverse("medias:rendition", args=[recording.pk, "nope"])).status_code == 404
