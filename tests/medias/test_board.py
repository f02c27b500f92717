"""The staff job board: states, counts, filters, the htmx fragment, retry and cancel."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from medias import services
from medias.models import JobState, ProcessingJob

from . import files

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
    assert f'id="job-{job.pk}"' in page and 'hx-trigger="every 2s"' in page
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
