"""The staff job board, uploads where people work, and files served to those who may see them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from observatoire.workspaces import staff_required

from . import access, conf, owners, services, serving
from .forms import UploadForm
from .models import JobState, Kind, MediaFile, ProcessingJob
from .selectors import files_of, owner_files_context


@staff_required
def job_board(request):
    jobs = ProcessingJob.objects.select_related("media").order_by("-created_at", "-pk")
    state, kind = request.GET.get("state", ""), request.GET.get("kind", "")
    if state in JobState.values:
        jobs = jobs.filter(state=state)
    if kind in Kind.values:
        jobs = jobs.filter(media__kind=kind)
    counts = dict(ProcessingJob.objects.values_list("state").annotate(n=Count("pk")))
    context = {
        "jobs": jobs[:200],
        "counts": [(value, label, counts.get(value, 0)) for value, label in JobState.choices],
        "kinds": Kind.choices,
        "states": JobState.choices,
        "state": state,
        "kind": kind,
        "speech_model": conf.speech_model_dir(),
    }
    template = "medias/_jobs.html" if request.headers.get("HX-Request") else "medias/job_board.html"
    return render(request, template, context)


@staff_required
@require_POST
def job_action(request, pk, action):
    job = get_object_or_404(ProcessingJob, pk=pk)
    if action == "retry":
        services.retry_job(job)
    elif action == "cancel":
        services.cancel_job(job)
    # `next` comes from the form: only an address on this site (no open redirect).
    return redirect(_safe_next(request, reverse("medias:jobs")))


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else fallback


@login_required
def owner_files(request, owner_kind, pk):
    """Upload a file to an interview or an initiative, and watch the owner's files being processed.

    A refused file comes back as the form with the reason and a 4xx status; nothing is kept.
    """
    owner = access.owner_for(request.user, owner_kind, pk)
    kinds = list(owners.by_name(owner_kind).kinds)
    form, status = UploadForm(kinds=kinds), 200
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, kinds=kinds)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.store_upload(data["file"], owner, data["kind"], user=request.user)
                _replace(owner, request.POST.get("replaces"))
            except services.UploadRefused as exc:
                form.add_error("file", exc.message)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("%(name)s was received; it is being processed.")
                    % {"name": data["file"].name},
                )
                return redirect(_safe_next(request, request.path))
    # After a refusal the form keeps where the person came from (e.g. the interview page).
    context = owner_files_context(request, owner, form, next_url=_safe_next(request, ""))
    return render(request, "medias/owner_files.html", context, status=status)


def _replace(owner, media_pk) -> None:
    """A new upload in place of one whose processing failed: the failed one goes."""
    if not (media_pk or "").isdigit():
        return
    failed = files_of(owner).filter(pk=int(media_pk)).first()
    if failed is not None and services.has_failed(failed):
        services.delete_media(failed)


@login_required
@require_POST
def delete_file(request, owner_kind, pk, media_pk):
    """Delete an upload whose processing failed (a processed file is evidence: it stays)."""
    owner = access.owner_for(request.user, owner_kind, pk)
    media = get_object_or_404(files_of(owner), pk=media_pk)
    if services.has_failed(media):
        services.delete_media(media)
        messages.success(request, _("%(name)s is deleted.") % {"name": media.original_name})
    else:
        messages.error(request, _("Only a file whose processing failed can be deleted here."))
    return redirect(_safe_next(request, reverse("medias:owner-files", args=[owner_kind, pk])))


@login_required
def owner_files_list(request, owner_kind, pk):
    """The htmx-polled list of an owner's files: state, progress, step and reason of failure."""
    owner = access.owner_for(request.user, owner_kind, pk)
    return render(request, "medias/_owner_list.html", owner_files_context(request, owner))


def serve(request, pk, name=None):
    """Serve an original (`name` None) or a rendition, to those who may see its owner only.

    Byte ranges are honoured, so players can seek; how the bytes leave is MEDIA_SERVE's choice
    (medias/serving.py). Readings of an interview's recordings and transcripts go to terrain's
    access log, once a listening. Anything a person may not read is a 404, so that no one learns
    which files exist.
    """
    media = get_object_or_404(MediaFile.objects.select_related("owner_type"), pk=pk)
    derived = get_object_or_404(media.derived, name=name) if name else None
    if not access.may_read(request.user, media, derived):
        raise Http404
    stored = derived.file if derived else media.original
    if not stored:
        raise Http404
    response = serving.deliver(
        request,
        stored,
        content_type=derived.mime_type if derived else media.mime_type,
        as_attachment=derived is None,
        filename=media.original_name if derived is None else f"{media.pk}-{derived.name}",
        # A strong validator for If-Range: the original's checksum. A rendition has none (a new
        # run of its processor rewrites it under the same name), so a resume with If-Range
        # gets the whole of it, never a mix of two versions.
        etag=f'"{media.checksum}"' if derived is None else None,
    )
    if response.status_code != 416:
        access.log_reading(request, media, derived)
    public = derived is not None and derived.public and not request.user.is_authenticated
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response
