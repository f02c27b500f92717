"""The staff job board: every job with its state and progress, live through htmx polling."""

from django.contrib.admin.views.decorators import staff_member_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import services
from .models import JobState, Kind, ProcessingJob


@staff_member_required
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
    }
    template = "medias/_jobs.html" if request.headers.get("HX-Request") else "medias/job_board.html"
    return render(request, template, context)


@staff_member_required
@require_POST
def job_action(request, pk, action):
    job = get_object_or_404(ProcessingJob, pk=pk)
    if action == "retry":
        services.retry_job(job)
    elif action == "cancel":
        services.cancel_job(job)
    return redirect(request.POST.get("next") or "medias:jobs")
