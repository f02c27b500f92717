"""Reads for pages: an owner's files with their jobs, in a fixed number of queries."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.urls import reverse

from .forms import UploadForm
from .models import DerivedFile, JobState, Kind, MediaFile, ProcessingJob
from .owners import for_owner, owner_name


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
    name, entry = owner_name(owner), for_owner(owner)
    files = list(files_of(owner)[:100])
    return {
        "request": request,
        "owner": owner,
        "files": files,
        "active": any(job.is_active for media in files for job in media.jobs.all()),
        "form": form or UploadForm(kinds=list(entry.kinds)),
        "upload_url": reverse("medias:owner-files", args=[name, owner.pk]),
        "list_url": reverse("medias:owner-files-list", args=[name, owner.pk]),
        "next": next_url or request.get_full_path(),
        "owner_label": entry.label,
        "owner_kind": name,
        "failed": {
            media.pk
            for media in files
            if any(job.state == JobState.FAILED for job in media.jobs.all())
        },
    }


def public_images(owner) -> list[dict]:
    """The owner's photos as their public (EXIF-free) thumbnails, oldest first, in one query.

    Only processed images have such renditions, so a file still in the queue does not show.
    """
    return public_images_of([owner]).get(str(owner.pk), [])


def public_thumbnails(owners):
    """The public thumbnails of these owners' images (of one model): what `public_images` reads."""
    meta = owners[0]._meta
    return DerivedFile.objects.filter(
        public=True,
        name__in=("thumb-small", "thumb-medium"),
        media__kind=Kind.IMAGE,
        # The content type by its natural key, joined: no cache-dependent extra query.
        media__owner_type__app_label=meta.app_label,
        media__owner_type__model=meta.model_name,
        media__owner_id__in=[str(owner.pk) for owner in owners],
    )


def public_images_of(owners) -> dict[str, list[dict]]:
    """`public_images` for several owners of one model at once: {owner pk as str: images}."""
    owners = list(owners)
    if not owners:
        return {}
    rows = (
        public_thumbnails(owners)
        .order_by("media__created_at", "media_id", "name")
        .values_list("media__owner_id", "media_id", "name")
    )
    images: dict[str, dict[int, dict]] = {}
    for owner_id, media_id, name in rows:
        size = "small" if name == "thumb-small" else "medium"
        url = reverse("medias:rendition", args=[media_id, name])
        images.setdefault(owner_id, {}).setdefault(media_id, {})[size] = url
    return {
        owner_id: [image for image in by_media.values() if "small" in image]
        for owner_id, by_media in images.items()
    }


def renditions_of(owner, name: str) -> list[DerivedFile]:
    """The owner's renditions called `name` (e.g. its photos' "thumb-medium"), oldest first."""
    return list(
        DerivedFile.objects.filter(
            name=name,
            media__owner_type__app_label=owner._meta.app_label,
            media__owner_type__model=owner._meta.model_name,
            media__owner_id=str(owner.pk),
        ).order_by("media__created_at", "media_id")
    )


def latest_rendition(owner, name: str):
    """The newest rendition called `name` among the owner's files (e.g. an interview's playable
    audio), or None."""
    return (
        DerivedFile.objects.filter(
            name=name,
            media__owner_type__app_label=owner._meta.app_label,
            media__owner_type__model=owner._meta.model_name,
            media__owner_id=str(owner.pk),
        )
        .order_by("-media__created_at", "-media_id")
        .first()
    )


PLAYER_RENDITIONS = ("rendition-audio", "waveform")


def player_files(owner) -> dict | None:
    """The owner's newest processed recording as a player needs it, in one query: the URL of its
    playable rendition and of its waveform peaks (None if it has none), or None if no recording
    of the owner was processed yet."""
    rows = (
        DerivedFile.objects.filter(
            name__in=PLAYER_RENDITIONS,
            media__owner_type__app_label=owner._meta.app_label,
            media__owner_type__model=owner._meta.model_name,
            media__owner_id=str(owner.pk),
        )
        .order_by("-media__created_at", "-media_id")
        .values_list("media_id", "name")
    )
    by_media: dict[int, set] = {}
    for media_id, name in rows:
        by_media.setdefault(media_id, set()).add(name)
    for media_id, names in by_media.items():  # newest first (dicts keep insertion order)
        if "rendition-audio" in names:
            return {
                "audio": reverse("medias:rendition", args=[media_id, "rendition-audio"]),
                "waveform": reverse("medias:rendition", args=[media_id, "waveform"])
                if "waveform" in names
                else None,
            }
    return None
