"""The staff job board: states, counts, filters, the htmx fragment, retry and cancel; the words
people read there (stage names, reasons of failure) in their language, the detail for staff."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import translation

from medias import pipeline, services
from medias.models import JobState, ProcessingJob

from . import files
from .fieldwork import interview, people, region  # noqa: F401 - fixtures

BROKEN_WAV = files.wav()[:44].replace(b"fmt ", b"fmX ")

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(User.objects.create_user("staff", is_staff=True))
    return client


@pytest.fixture
def job(upload, monkeypatch):
    monkeypatch.setattr(services, "send", lambda job_id: True)
    media = services.store_upload(upload("photo.png", files.png()), None, "image")
    return media.jobs.get()


def test_board_is_for_staff_only(client, job):
    assert client.get(reverse("medias:jobs")).status_code == 302


def test_board_lists_jobs_with_counts_and_filters(staff_client, job):
    page = staff_client.get(reverse("medias:jobs")).content.decode()
    assert f'id="job-{job.pk}"' in page and 'data-hx-trigger="every 2s"' in page
    fragment = staff_client.get(
        reverse("medias:jobs"), {"state": "failed"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "<html" not in fragment and f'id="job-{job.pk}"' not in fragment


def test_cancel_then_retry_from_the_board(staff_client, job):
    staff_client.post(reverse("medias:job-action", args=[job.pk, "cancel"]))
    assert ProcessingJob.objects.get(pk=job.pk).state == JobState.CANCELLED
    staff_client.post(reverse("medias:job-action", args=[job.pk, "retry"]))
    assert ProcessingJob.objects.get(pk=job.pk).state == JobState.QUEUED


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"]
)
def test_job_action_never_sends_staff_to_another_site(staff_client, job, target):
    response = staff_client.post(
        reverse("medias:job-action", args=[job.pk, "cancel"]), {"next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("medias:jobs")


def test_job_action_goes_back_to_the_filtered_board(staff_client, job):
    back = reverse("medias:jobs") + "?state=failed"
    response = staff_client.post(
        reverse("medias:job-action", args=[job.pk, "cancel"]), {"next": back}
    )
    assert response["Location"] == back


# --- Words people read (issue 13): stages named, reasons as sentences, no path, no French ------


def run_as_a_french_worker(job) -> str:
    """A worker process has no reader; in production its language is the site's, French."""
    with translation.override("fr"):
        return pipeline.run(job.pk, "worker@host")


def test_the_board_names_stages_and_steps_in_the_readers_language(staff_client, job):
    assert run_as_a_french_worker(job) == JobState.SUCCEEDED
    english = staff_client.get("/en/traitements/").content.decode()
    assert "Photo thumbnails" in english and "Done" in english
    assert "Terminé" not in english and ">images<" not in english
    french = staff_client.get("/traitements/").content.decode()
    assert "Vignettes des photos" in french and "Terminé" in french


def test_the_board_filters_say_all_not_all_audiences(staff_client, job):
    french = staff_client.get("/traitements/").content.decode()
    assert '<option value="">tous</option>' in french
    assert "tous publics" not in french


def test_a_failure_is_a_sentence_and_its_detail_is_for_staff_in_a_collapsed_block(
    staff_client, upload
):
    media = services.store_upload(upload("broken.wav", BROKEN_WAV), None, "audio")
    job = media.jobs.get()
    assert run_as_a_french_worker(job) == JobState.FAILED
    job.refresh_from_db()
    assert job.error_detail  # PyAV's words, with the job folder's path: for the log and the staff
    english = staff_client.get("/en/traitements/").content.decode()
    sentence = "The recording cannot be read: its header is damaged or unknown."
    assert f'<small class="error">{sentence}</small>' in english
    assert '<details class="error-detail"' in english
    assert "<summary>Technical detail</summary>" in english
    french = staff_client.get("/traitements/").content.decode()
    assert "L’enregistrement ne peut pas être lu\u00a0: son en-tête est endommagé" in french
    assert "<summary>Détail technique</summary>" in french


def test_a_researcher_reads_the_reason_without_detail_or_server_path(
    client,
    upload,
    people,  # noqa: F811
    interview,  # noqa: F811
    settings,
):
    media = services.store_upload(upload("broken.wav", BROKEN_WAV), interview, "audio")
    job = media.jobs.get()
    assert run_as_a_french_worker(job) == JobState.FAILED
    client.force_login(people["member"])
    with translation.override("fr"):
        url = reverse("medias:owner-files-list", args=["interview", interview.pk])
    french = client.get(url).content.decode()
    assert "L’enregistrement ne peut pas être lu" in french
    assert "Copie lisible et forme d’onde de l’enregistrement" in french  # the stage, named
    for leak in ("<details", "Errno", "/original", str(settings.MEDIA_PRIVATE_ROOT), "/tmp/"):
        assert leak not in french
    client.force_login(people["staff"])
    assert "<details" in client.get(url).content.decode()
