"""Reads for pages: an owner's files with their jobs, in a fixed number of queries."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.urls import reverse

from .access import OWNERS, owner_name
from .forms import UploadForm
from .models import MediaFile, ProcessingJob


def files_of(owner):
    """The owner's files, newest first, each with its jobs in pipeline order."""
    return (
        MediaFile.objects.filter(
            owner_type=ContentType.objects.get_for_model(owner), owner_id=str(owner.pk)
        )
        .select_related("uploaded_by")
        .prefetch_related(Prefetch("jobs", queryset=ProcessingJob.objects.order_by("pk")))
    )


def owner_files_context(request, owner, form=None, next_url="") -> dict:
    name = owner_name(owner)
    files = list(files_of(owner)[:100])
    return {
        "request": request,
        "owner": owner,
        "files": files,
        "active": any(job.is_active for media in files for job in media.jobs.all()),
        "form": form or UploadForm(kinds=OWNERS[name][1]),
        "upload_url": reverse("medias:owner-files", args=[name, owner.pk]),
        "list_url": reverse("medias:owner-files-list", args=[name, owner.pk]),
        "next": next_url or request.get_full_path(),
        "owner_label": OWNERS[name][2],
    }
