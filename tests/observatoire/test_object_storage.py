"""The production shape keeps its files in the object store: every file field of every model is
an S3 storage with a private prefix and private objects, never a folder of the web container; and
with those very settings, against a real S3-compatible server (moto's), an upload is stored,
processed by the pipeline reading it back through the storage API, and served by the checking
views only, while the store refuses anyone who comes without credentials.
"""

import datetime
import json
import socket
import urllib.error
import urllib.request

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from initiatives.models import Person
from medias import pipeline, services
from medias.models import DerivedFile, JobState, MediaFile
from observatoire.publishing import State
from publications.models import Audience, Download, Publication, PublicationFile
from terrain.models import AccessLog, Consent, Interviewee
from tests.fresh_python import run_script
from tests.medias import files
from tests.medias.fieldwork import initiative, interview, people, region  # noqa: F401

BUCKET = "observatoire-media"
PRODUCTION_STORAGES = r"""
import json
import os

os.environ["DJANGO_SETTINGS_MODULE"] = "observatoire.settings.production"
import django

django.setup()
from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import models
from storages.backends.s3 import S3Storage


def described(storage):
    return {
        "s3": isinstance(storage, S3Storage),
        "filesystem": isinstance(storage, FileSystemStorage),
        "bucket": getattr(storage, "bucket_name", None),
        "location": getattr(storage, "location", None),
        "acl": getattr(storage, "default_acl", None),
        "signed": getattr(storage, "querystring_auth", None),
    }


fields = {
    f"{model._meta.label}.{field.name}": described(field.storage)
    for model in apps.get_models()
    for field in model._meta.get_fields()
    if isinstance(field, models.FileField)
}
print(json.dumps({
    "fields": fields,
    "default": described(default_storage),
    "STORAGES": {k: v for k, v in settings.STORAGES.items() if k != "staticfiles"},
}))
"""


def production_storages(tmp_path, **env) -> dict:
    environment = {
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "observatoire.example.org",
        "DATABASE_URL": "postgres://observatoire@127.0.0.1:5432/observatoire",
        "MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_ACCESS_KEY_ID": "observatoire",
        "AWS_SECRET_ACCESS_KEY": "not-a-secret",
        **env,
    }
    result = run_script(PRODUCTION_STORAGES, tmp_path / "var", **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_file_field_of_the_production_shape_is_a_private_s3_prefix(tmp_path):
    report = production_storages(tmp_path)
    fields = report["fields"]
    # The project's file fields, all found (a new one is checked as soon as it exists).
    assert {
        "medias.MediaFile.original",
        "medias.DerivedFile.file",
        "terrain.Consent.signed_form",
        "publications.PublicationFile.file",
    } <= set(fields)
    for name, storage in fields.items():
        assert storage["s3"] and not storage["filesystem"], name
        assert (storage["bucket"], storage["location"]) == (BUCKET, "private"), name
        assert storage["acl"] == "private" and storage["signed"] is True, name
    # Whatever else writes through the default storage lands in the store too, private.
    default = report["default"]
    assert default["s3"] and not default["filesystem"] and default["acl"] == "private"


def test_the_private_files_may_have_a_bucket_of_their_own(tmp_path):
    report = production_storages(tmp_path, AWS_PRIVATE_STORAGE_BUCKET_NAME="observatoire-private")
    assert {storage["bucket"] for storage in report["fields"].values()} == {"observatoire-private"}


# --- against a real S3-compatible server ------------------------------------------------------


@pytest.fixture
def object_store(tmp_path, settings):
    """moto's S3 server on a free port, and the production STORAGES pointed at it."""
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="observatoire",
        aws_secret_access_key="not-a-secret",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    storages = production_storages(
        tmp_path, AWS_S3_ENDPOINT_URL=endpoint, AWS_S3_REGION_NAME="us-east-1"
    )["STORAGES"]
    settings.STORAGES = {**settings.STORAGES, **storages}
    try:
        yield {"client": client, "endpoint": endpoint}
    finally:
        server.stop()


def keys(store, prefix=""):
    listing = store["client"].list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return {item["Key"] for item in listing.get("Contents", [])}


def anonymous_get(store, key) -> int:
    try:
        return urllib.request.urlopen(f"{store['endpoint']}/{BUCKET}/{key}", timeout=10).status
    except urllib.error.HTTPError as error:
        return error.code


def nothing_on_disk(settings):
    for root in (settings.MEDIA_ROOT, settings.MEDIA_PRIVATE_ROOT):
        assert not [path for path in root.rglob("*") if path.is_file()], root


@pytest.mark.django_db
def test_a_photo_is_stored_processed_and_served_through_the_object_store(
    client,
    object_store,
    settings,
    monkeypatch,
    people,  # noqa: F811
    initiative,  # noqa: F811
):
    monkeypatch.setattr(services, "send", lambda job_id: True)  # the worker is called below
    client.force_login(people["staff"])
    url = reverse("medias:owner-files", args=["initiative", initiative.pk])
    photo = SimpleUploadedFile("atelier-2024.jpg", files.jpeg())
    assert client.post(url, {"kind": "image", "file": photo}).status_code == 302
    media = MediaFile.objects.get()
    assert keys(object_store) == {f"private/{media.original.name}"}

    # The worker reads the original back from the store and writes its renditions there.
    assert pipeline.run(media.jobs.get().pk, "worker@elsewhere") == JobState.SUCCEEDED
    renditions = {f"private/{row.file.name}" for row in DerivedFile.objects.filter(media=media)}
    assert len(renditions) == 3 and keys(object_store) == renditions | {
        f"private/{media.original.name}"
    }
    nothing_on_disk(settings)

    # No object can be read without credentials, whatever its name.
    for key in keys(object_store):
        assert anonymous_get(object_store, key) == 403, key
        grants = object_store["client"].get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
        assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"], key

    # The public thumbnail through its view; the original to staff only, as an attachment.
    client.logout()
    thumbnail = client.get(reverse("medias:rendition", args=[media.pk, "thumb-small"]))
    assert thumbnail.status_code == 200
    assert b"".join(thumbnail.streaming_content)[:4] == b"RIFF"
    assert client.get(reverse("medias:original", args=[media.pk])).status_code == 404
    client.force_login(people["staff"])
    original = client.get(reverse("medias:original", args=[media.pk]))
    assert b"".join(original.streaming_content) == files.jpeg()


@pytest.mark.django_db
def test_consent_forms_and_publication_files_live_in_the_store_behind_their_views(
    client,
    object_store,
    settings,
    people,  # noqa: F811
    interview,  # noqa: F811
):
    person = Person.objects.create(first_name="Hélène", last_name="Brûlé", slug="helene")
    interviewee = Interviewee.objects.create(interview=interview, person=person)
    Consent.objects.create(interviewee=interviewee)
    season = interview.visit.season
    client.force_login(people["member"])
    scan = files.pdf("Consentement")
    response = client.post(
        reverse("terrain:consent", args=[season.pk, interviewee.pk]),
        {"naming": "pseudonym", "signed_form": SimpleUploadedFile("consentement.pdf", scan)},
    )
    assert response.status_code == 302
    consent = Consent.objects.get(interviewee=interviewee)
    assert keys(object_store, "private/consents/") == {f"private/{consent.signed_form.name}"}
    download = client.get(reverse("terrain:consent-file", args=[season.pk, interviewee.pk]))
    assert b"".join(download.streaming_content) == scan
    assert download["Content-Disposition"] == 'attachment; filename="consentement.pdf"'
    assert AccessLog.objects.filter(target="consent").count() == 1

    publication = Publication.objects.create(
        title="Rapport", slug="rapport", kind="report", authors="Dupont, Marie",
        date=datetime.date(2024, 5, 2), audience=Audience.PARTNERS, state=State.PUBLISHED,
    )  # fmt: skip
    item = PublicationFile(publication=publication, title="Rapport (PDF)")
    item.file.save("rapport.pdf", ContentFile(scan))
    key = f"private/{item.file.name}"
    assert key in keys(object_store) and anonymous_get(object_store, key) == 403
    client.logout()
    assert client.get(item.get_absolute_url()).status_code == 404
    client.force_login(people["staff"])
    response = client.get(item.get_absolute_url())
    assert b"".join(response.streaming_content) == scan
    assert response["X-Content-Type-Options"] == "nosniff"
    assert Download.objects.count() == 1
    nothing_on_disk(settings)
