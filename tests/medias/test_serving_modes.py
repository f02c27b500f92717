"""MEDIA_SERVE's other modes: the view still checks who asks and logs the listening, but hands
the bytes to nginx (X-Accel-Redirect) or to the object store (a signed URL).

The object store is django-storages' real S3Storage: presigning is computed locally, so no store
needs to run; the field's storage is swapped for it as a deployment's STORAGES["medias"] would.
"""

import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import checks
from django.urls import reverse
from ruamel.yaml import YAML
from storages.backends.s3 import S3Storage

from medias import pipeline, services
from medias.models import DerivedFile, JobState, MediaFile
from terrain.models import AccessLog

from . import files
from .fieldwork import interview, people, region  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def recording(interview, upload):  # noqa: F811
    media = services.store_upload(upload("entretien.wav", files.wav()), interview, "audio")
    for job in media.jobs.order_by("pk"):
        assert pipeline.run(job.pk, "test") == JobState.SUCCEEDED, job.error
    return media


@pytest.fixture
def object_store(monkeypatch):
    """The private files' storage as production configures it (MEDIA_STORAGE=s3)."""
    store = S3Storage(
        bucket_name="observatoire-media",
        endpoint_url="http://minio:9000",
        access_key="observatoire",
        secret_key="a-secret-of-the-deployment",
        default_acl="private",
        querystring_auth=True,
    )
    monkeypatch.setattr(MediaFile._meta.get_field("original"), "storage", store)
    monkeypatch.setattr(DerivedFile._meta.get_field("file"), "storage", store)
    return store


def _rendition_url(media):
    return reverse("medias:rendition", args=[media.pk, "rendition-audio"])


def _lifetime(query: dict) -> float:
    """Seconds a presigned URL lives, whichever signature version signed it."""
    if "X-Amz-Expires" in query:
        return int(query["X-Amz-Expires"][0])
    return int(query["Expires"][0]) - time.time()


def _signed(query: dict) -> bool:
    return bool(query.get("X-Amz-Signature") or query.get("Signature"))


def _strangers_get_nothing(client, people, url):  # noqa: F811
    client.logout()
    anonymous = client.get(url, HTTP_RANGE="bytes=0-")
    client.force_login(people["outsider"])
    outsider = client.get(url, HTTP_RANGE="bytes=0-")
    for response in (anonymous, outsider):
        assert response.status_code == 404
        assert "X-Accel-Redirect" not in response and "Location" not in response
    assert not AccessLog.objects.filter(user=people["outsider"]).exists()


def test_x_accel_from_a_local_folder(client, people, recording, settings):  # noqa: F811
    settings.MEDIA_SERVE = "x-accel"
    url = _rendition_url(recording)
    client.force_login(people["member"])
    for _ in range(5):
        response = client.get(url, HTTP_RANGE="bytes=100-")
        assert response.status_code == 200 and response.content == b""
        stored = recording.derived.get(name="rendition-audio").file.name
        assert response["X-Accel-Redirect"] == "/_protected/" + stored
        assert response["Content-Type"] == "audio/mp4"
        assert response["Cache-Control"] == "private, no-store"
    assert AccessLog.objects.get().user == people["member"]  # five requests, one listening
    _strangers_get_nothing(client, people, url)


def test_x_accel_from_the_object_store(client, people, recording, settings, object_store):  # noqa: F811
    settings.MEDIA_SERVE = "x-accel"
    url = _rendition_url(recording)
    client.force_login(people["member"])
    response = client.get(url, HTTP_RANGE="bytes=0-")
    target = urlsplit(response["X-Accel-Redirect"])
    key = recording.derived.get(name="rendition-audio").file.name
    assert target.path == f"/_protected/observatoire-media/{key}"
    query = parse_qs(target.query)
    assert _signed(query) and 0 < _lifetime(query) <= 60
    # The store answers with the type and cache policy the view chose, not its own guesses.
    assert query["response-content-type"] == ["audio/mp4"]
    assert query["response-cache-control"] == ["private, no-store"]
    assert AccessLog.objects.get().action == "view"
    _strangers_get_nothing(client, people, url)


def test_signed_url_redirects_to_the_store(client, people, recording, settings, object_store):  # noqa: F811
    settings.MEDIA_SERVE = "signed-url"
    settings.MEDIA_SIGNED_URL_SECONDS = 600
    client.force_login(people["member"])
    response = client.get(reverse("medias:original", args=[recording.pk]))
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert (location.scheme, location.netloc) == ("http", "minio:9000")
    assert location.path == f"/observatoire-media/{recording.original.name}"
    query = parse_qs(location.query)
    assert _signed(query) and 590 < _lifetime(query) <= 600
    assert query["response-content-disposition"] == ['attachment; filename="entretien.wav"']
    log = AccessLog.objects.get()
    assert (log.target, log.action) == ("recording", "download")
    _strangers_get_nothing(client, people, reverse("medias:original", args=[recording.pk]))


def _ours(deploy=False) -> list[str]:
    found = checks.run_checks(include_deployment_checks=deploy)
    return [message.id for message in found if message.id.startswith("medias.")]


def test_the_checks_name_a_mode_that_cannot_work(settings, object_store):
    settings.MEDIA_SERVE = "nginx"
    assert _ours() == ["medias.E001"]
    settings.MEDIA_SERVE = "direct"
    assert _ours() == []
    assert _ours(deploy=True) == ["medias.W001"]  # recordings from the store through Python
    settings.MEDIA_SERVE = "x-accel"
    assert _ours(deploy=True) == []


def test_signed_urls_need_an_object_store(settings):
    settings.MEDIA_SERVE = "signed-url"
    assert _ours() == ["medias.E002"]
    settings.MEDIA_SERVE = "direct"
    assert _ours(deploy=True) == []


def test_compose_serves_through_the_proxy_it_ships(settings):
    """docker-compose.yml sets x-accel, and its nginx has the internal location the view names."""
    services_ = YAML(typ="safe").load((ROOT / "docker-compose.yml").read_text())["services"]
    assert services_["web"]["environment"]["MEDIA_SERVE"] == "x-accel"
    proxy = services_["proxy"]
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in proxy["volumes"]
    assert "ports" not in services_["web"]  # only through the proxy
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    location = conf.split(f"location {settings.MEDIA_ACCEL_LOCATION} {{", 1)[1]
    body = location.split("}", 1)[0]
    assert "internal;" in body and "proxy_pass http://minio:9000/;" in body
    endpoint = services_["web"]["environment"]["AWS_S3_ENDPOINT_URL"]
    assert "http://minio:9000" in endpoint
