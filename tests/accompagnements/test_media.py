"""Workshop photos and recordings and deliverable versions go through the media queue."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accompagnements import services
from medias.models import JobState, Kind, MediaFile
from tests.medias.files import odt, png, wav


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_PRIVATE_ROOT = tmp_path / "private-media"


def test_a_version_file_is_a_media_file_owned_by_the_deliverable_and_queued(mission, users):
    deliverable = mission.deliverables.create(title="Rapport")
    version = services.add_version(
        deliverable, file=SimpleUploadedFile("rapport.odt", odt(["Synthèse"])), by=users["staff"]
    )
    media = version.media
    assert media.owner == deliverable and media.kind == Kind.DOCUMENT
    assert [job.state for job in media.jobs.all()] == [JobState.QUEUED]
    assert version.number == 1


def test_a_version_file_of_the_wrong_type_is_refused_with_the_reason(mission):
    deliverable = mission.deliverables.create(title="Rapport")
    with pytest.raises(services.MissionError):
        services.add_version(deliverable, file=SimpleUploadedFile("rapport.odt", png()))
    assert not deliverable.versions.exists() and not MediaFile.objects.exists()


def test_staff_upload_a_version_and_see_its_processing_state(client, users, mission):
    deliverable = mission.deliverables.create(title="Rapport")
    client.force_login(users["staff"])
    url = reverse("accompagnements:add-version", args=[mission.pk, deliverable.pk])
    client.post(url, {"file": SimpleUploadedFile("v1.odt", odt(["Un"])), "notes": "draft"})
    html = client.get(mission.get_absolute_url()).content.decode()
    assert "v1.odt" in html and 'data-state="queued"' in html


@pytest.mark.parametrize("who", ["partner", "researcher"])
def test_workshop_files_are_404_to_everyone_but_staff(client, users, workshop, who):
    client.force_login(users[who])
    url = reverse("medias:owner-files", args=["workshop", workshop.pk])
    assert client.get(url).status_code == 404


def test_staff_upload_workshop_photos_and_audio_through_the_queue(client, users, workshop):
    client.force_login(users["staff"])
    url = reverse("medias:owner-files", args=["workshop", workshop.pk])
    for name, content, kind in [("board.png", png(), "image"), ("atelier.wav", wav(1.0), "audio")]:
        response = client.post(url, {"file": SimpleUploadedFile(name, content), "kind": kind})
        assert response.status_code == 302, response.content
    files = MediaFile.objects.filter(
        owner_type=ContentType.objects.get_for_model(workshop), owner_id=str(workshop.pk)
    )
    assert sorted(files.values_list("kind", flat=True)) == ["audio", "image"]
    assert all(media.jobs.exists() for media in files)
    html = client.get(url).content.decode()
    assert "board.png" in html and "atelier.wav" in html


def _upload_processed(workshop, name, content):
    from medias import pipeline
    from medias.services import store_upload

    media = store_upload(SimpleUploadedFile(name, content), workshop, Kind.IMAGE)
    for job in media.jobs.order_by("pk"):
        pipeline.run(job.pk, "test")
    return media


def test_a_processed_workshop_photo_shows_on_the_mission_page(client, users, workshop):
    from tests.medias.files import jpeg

    media = _upload_processed(workshop, "tableau.jpg", jpeg())
    client.force_login(users["staff"])
    html = client.get(workshop.mission.get_absolute_url()).content.decode()
    thumb = reverse("medias:rendition", args=[media.pk, "thumb-small"])
    assert f'src="{thumb}"' in html
    assert client.get(thumb)["Content-Type"] == "image/webp"


def test_a_failed_upload_is_deleted_with_its_stored_file_and_a_processed_one_is_kept(
    client, users, workshop, django_capture_on_commit_callbacks
):
    from tests.medias.files import jpeg

    failed = _upload_processed(workshop, "coupee.jpg", jpeg()[:3000])
    kept = _upload_processed(workshop, "tableau.jpg", jpeg())
    stored = failed.original.storage.path(failed.original.name)
    client.force_login(users["staff"])
    page = client.get(reverse("medias:owner-files", args=["workshop", workshop.pk])).content
    delete = reverse("medias:delete-file", args=["workshop", workshop.pk, failed.pk])
    assert f'action="{delete}"'.encode() in page
    assert (
        reverse("medias:delete-file", args=["workshop", workshop.pk, kept.pk]).encode() not in page
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(delete).status_code == 302
    assert not MediaFile.objects.filter(pk=failed.pk).exists()
    import os

    assert not os.path.exists(stored)
    refused = reverse("medias:delete-file", args=["workshop", workshop.pk, kept.pk])
    client.post(refused)
    assert MediaFile.objects.filter(pk=kept.pk).exists()


def test_a_failed_upload_is_replaced_by_the_next_one(client, users, workshop):
    from tests.medias.files import jpeg

    failed = _upload_processed(workshop, "coupee.jpg", jpeg()[:3000])
    client.force_login(users["staff"])
    url = reverse("medias:owner-files", args=["workshop", workshop.pk])
    response = client.post(
        url,
        {"file": SimpleUploadedFile("tableau.jpg", jpeg()), "kind": "image", "replaces": failed.pk},
    )
    assert response.status_code == 302
    names = list(MediaFile.objects.values_list("original_name", flat=True))
    assert names == ["tableau.jpg"]


def test_others_cannot_delete_a_workshop_file(client, users, workshop):
    from tests.medias.files import jpeg

    failed = _upload_processed(workshop, "coupee.jpg", jpeg()[:3000])
    client.force_login(users["researcher"])
    delete = reverse("medias:delete-file", args=["workshop", workshop.pk, failed.pk])
    assert client.post(delete).status_code == 404
    assert MediaFile.objects.filter(pk=failed.pk).exists()
