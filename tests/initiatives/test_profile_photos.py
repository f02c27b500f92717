"""Photos on an initiative's profile: uploaded, processed by the real pipeline, shown as their
public EXIF-free thumbnails; the originals stay private."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from initiatives.models import Initiative
from initiatives.services import publish
from medias import pipeline, services
from medias.models import JobState


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_PRIVATE_ROOT = tmp_path / "private-media"


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (800, 600), (40, 120, 90))
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    exif.get_ifd(0x8825)[2] = (50.0, 29.0, 0.0)  # GPSLatitude
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


@pytest.fixture
def initiative(territory_factory):
    commune = territory_factory(territory_factory.Level.COMMUNE, "62178", "Bruay-la-Buissière")
    return publish(
        Initiative.objects.create(
            name="Maison des échanges", slug="maison", summary="On échange.", territory=commune
        )
    )


def add_photo(initiative):
    upload = SimpleUploadedFile("photo.jpg", jpeg_with_gps())
    media = services.store_upload(upload, initiative, "image")
    for job in media.jobs.order_by("pk"):
        assert pipeline.run(job.pk, "test") == JobState.SUCCEEDED, job.error
    return media


def test_a_processed_photo_shows_on_the_profile_without_its_exif(client, initiative):
    media = add_photo(initiative)

    html = client.get(initiative.get_absolute_url()).content.decode()
    small = f"/traitements/fichier/{media.pk}/thumb-small/"
    assert f'src="{small}"' in html
    assert 'alt="Maison des échanges, photo 1"' in html

    thumbnail = client.get(small)
    assert thumbnail.status_code == 200
    picture = Image.open(io.BytesIO(b"".join(thumbnail.streaming_content)))
    assert picture.format == "WEBP"
    assert not picture.getexif()
    assert client.get(f"/traitements/fichier/{media.pk}/").status_code == 404  # the original


def test_a_photo_still_in_the_queue_does_not_show(client, initiative):
    services.store_upload(SimpleUploadedFile("photo.jpg", jpeg_with_gps()), initiative, "image")
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert "/thumb-small/" not in html


@pytest.mark.parametrize("count", [1, 4])
def test_photos_cost_one_query_whatever_their_number(initiative, count, django_assert_num_queries):
    from medias.selectors import public_images

    for _ in range(count):
        add_photo(initiative)
    with django_assert_num_queries(1):
        photos = public_images(initiative)
    assert len(photos) == count
