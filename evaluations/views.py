"""Assessing an initiative with a grid, its assessments over time, and publishing one.

Staff and researchers only; anyone else gets a 404, as if the pages did not exist.
"""

from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from initiatives.models import Initiative

from . import selectors, services
from .forms import AssessmentForm, GridChoiceForm
from .models import Assessment, Grid


def may_assess(user) -> bool:
    return user.is_authenticated and (user.is_staff or user.has_perm("evaluations.add_assessment"))


def assessors_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not may_assess(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _history_url(initiative) -> str:
    return reverse("evaluations:initiative", kwargs={"slug": initiative.slug})


@assessors_only
def initiative_assessments(request, slug):
    initiative = get_object_or_404(Initiative, slug=slug)
    return render(
        request,
        "evaluations/initiative.html",
        {
            "initiative": initiative,
            "tables": selectors.progress(initiative),
            "grid_form": GridChoiceForm(),
        },
    )


def _render_form(request, initiative, grid, form, assessment=None, status=200):
    context = {
        "initiative": initiative,
        "grid": grid,
        "form": form,
        "assessment": assessment,
        "missing": services.missing_criteria(assessment) if assessment else None,
    }
    return render(request, "evaluations/assess.html", context, status=status)


@assessors_only
def new_assessment(request, slug):
    initiative = get_object_or_404(Initiative, slug=slug)
    grid = get_object_or_404(Grid, pk=request.GET.get("grid") or request.POST.get("grid") or 0)
    dimensions = selectors.grid_dimensions(grid)
    form = AssessmentForm(request.POST or None, dimensions=dimensions)
    if request.method == "POST" and form.is_valid():
        assessment = services.save_assessment(
            grid=grid,
            initiative=initiative,
            date=form.cleaned_data["date"],
            notes=form.cleaned_data["notes"],
            scores=form.scores(),
            by=request.user,
        )
        messages.success(request, _("The assessment was saved."))
        return redirect("evaluations:edit", pk=assessment.pk)
    status = 400 if request.method == "POST" else 200
    return _render_form(request, initiative, grid, form, status=status)


def _assessment(pk) -> Assessment:
    return get_object_or_404(
        Assessment.objects.select_related("grid", "initiative").prefetch_related("scores"),
        pk=pk,
        initiative__isnull=False,
    )


@assessors_only
def edit_assessment(request, pk):
    assessment = _assessment(pk)
    dimensions = selectors.grid_dimensions(assessment.grid)
    form = AssessmentForm(request.POST or None, dimensions=dimensions, assessment=assessment)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.save_assessment(
                    assessment=assessment,
                    grid=assessment.grid,
                    date=form.cleaned_data["date"],
                    notes=form.cleaned_data["notes"],
                    scores=form.scores(),
                    by=request.user,
                )
            except services.AssessmentError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The assessment was saved."))
                return redirect("evaluations:edit", pk=assessment.pk)
    return _render_form(
        request, assessment.initiative, assessment.grid, form, assessment, status=status
    )


@assessors_only
@require_POST
def publish(request, pk):
    assessment = _assessment(pk)
    action = request.POST.get("action", "publish")
    try:
        if action == "withdraw":
            services.withdraw_assessment(assessment, by=request.user)
            messages.success(request, _("The assessment is no longer public."))
        else:
            services.publish_assessment(assessment, by=request.user)
            messages.success(request, _("The assessment is published on the initiative's page."))
    except services.AssessmentError as exc:
        messages.error(request, str(exc))
    return redirect("evaluations:edit", pk=assessment.pk)
