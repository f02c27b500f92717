"""Assessing a subject with a grid, its assessments over time, and publishing one.

A subject is an initiative, or an organisation that is the client of a support mission. Staff
and researchers assess initiatives; only staff assess a mission's client (missions are staff
only). Anyone else gets a 404, as if the pages did not exist.
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from initiatives.models import Initiative, Organisation

from . import charts, selectors, services
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


class Subject:
    """What the pages need to know of the assessed thing, whatever its kind."""

    kinds = {"initiative": Initiative, "organisation": Organisation}

    def __init__(self, kind: str, obj):
        self.kind, self.object = kind, obj

    @classmethod
    def get(cls, kind: str, slug: str) -> "Subject":
        if kind == "organisation":
            # Only a support mission's client is assessed here.
            queryset = Organisation.objects.filter(support_missions__isnull=False).distinct()
        else:
            queryset = Initiative.objects.all()
        return cls(kind, get_object_or_404(queryset, slug=slug))

    @classmethod
    def of(cls, assessment: Assessment) -> "Subject":
        if assessment.initiative_id:
            return cls("initiative", assessment.initiative)
        return cls("organisation", assessment.organisation)

    @property
    def is_initiative(self) -> bool:
        return self.kind == "initiative"

    @property
    def name(self) -> str:
        return self.object.name

    def may_access(self, user) -> bool:
        if self.is_initiative:
            return may_assess(user)
        return user.is_authenticated and user.is_staff

    def history_url(self) -> str:
        return reverse(f"evaluations:{self.kind}", kwargs={"slug": self.object.slug})

    def new_url(self) -> str:
        name = "evaluations:new" if self.is_initiative else "evaluations:organisation-new"
        return reverse(name, kwargs={"slug": self.object.slug})

    def breadcrumb(self) -> list[tuple[str | None, str]]:
        """(url or None, label) pairs leading to the subject's assessments."""
        if self.is_initiative:
            return [(self.object.get_absolute_url(), self.name)]
        public = self.object.get_absolute_url() if self.object.is_published else None
        return [
            (reverse("accompagnements:board"), gettext_lazy("Support missions")),
            (public, self.name),
        ]

    def save_kwargs(self) -> dict:
        return {self.kind: self.object}


def _subject(request, kind, slug) -> Subject:
    subject = Subject.get(kind, slug)
    if not subject.may_access(request.user):
        raise Http404
    return subject


@assessors_only
def subject_assessments(request, slug, kind="initiative"):
    subject = _subject(request, kind, slug)
    tables = selectors.progress(subject.object)
    for table in tables:  # each grid's assessments, side by side in a table and on one radar
        table["chart"] = charts.comparison(table)
        table["chart_id"] = f"comparison-{table['grid'].pk}"
    return render(
        request,
        "evaluations/subject.html",
        {"subject": subject, "tables": tables, "grid_form": GridChoiceForm()},
    )


def _render_form(request, subject, grid, form, assessment=None, status=200):
    context = {
        "subject": subject,
        "grid": grid,
        "form": form,
        "assessment": assessment,
        "missing": services.missing_criteria(assessment) if assessment else None,
        "may_review": services.may_review(request.user),
    }
    return render(request, "evaluations/assess.html", context, status=status)


@assessors_only
def new_assessment(request, slug, kind="initiative"):
    subject = _subject(request, kind, slug)
    grid = get_object_or_404(Grid, pk=request.GET.get("grid") or request.POST.get("grid") or 0)
    dimensions = selectors.grid_dimensions(grid)
    form = AssessmentForm(request.POST or None, dimensions=dimensions)
    if request.method == "POST" and form.is_valid():
        assessment = services.save_assessment(
            grid=grid,
            date=form.cleaned_data["date"],
            notes=form.cleaned_data["notes"],
            scores=form.scores(),
            by=request.user,
            **subject.save_kwargs(),
        )
        messages.success(request, _("The assessment was saved."))
        return redirect("evaluations:edit", pk=assessment.pk)
    status = 400 if request.method == "POST" else 200
    return _render_form(request, subject, grid, form, status=status)


def _assessment(request, pk) -> tuple[Assessment, Subject]:
    assessment = get_object_or_404(
        Assessment.objects.select_related("grid", "initiative", "organisation").prefetch_related(
            "scores"
        ),
        pk=pk,
    )
    subject = Subject.of(assessment)
    if not subject.may_access(request.user):
        raise Http404
    return assessment, subject


@assessors_only
def edit_assessment(request, pk):
    assessment, subject = _assessment(request, pk)
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
    return _render_form(request, subject, assessment.grid, form, assessment, status=status)


@assessors_only
@require_POST
def publish(request, pk):
    assessment, subject = _assessment(request, pk)
    if not subject.is_initiative:
        # Only an initiative's profile shows an assessment; a client's stays internal.
        raise Http404
    action = request.POST.get("action", "publish")
    if action in ("publish", "withdraw") and not services.may_review(request.user):
        raise PermissionDenied  # a researcher submits; a reviewer decides what is public
    try:
        if action == "submit":
            services.submit_assessment(assessment, by=request.user)
            messages.success(request, _("The assessment is submitted for review."))
        elif action == "withdraw":
            services.withdraw_assessment(assessment, by=request.user)
            messages.success(request, _("The assessment is no longer public."))
        elif action == "publish":
            services.publish_assessment(assessment, by=request.user)
            messages.success(request, _("The assessment is published on the initiative's page."))
        else:
            raise Http404
    except services.AssessmentError as exc:
        messages.error(request, str(exc))
    return redirect("evaluations:edit", pk=assessment.pk)
