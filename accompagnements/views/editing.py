"""Staff forms: create and edit a mission with its funding lines, add and edit its workshops."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ..forms import FundingFormSet, MissionForm, WorkshopForm
from ..models import SupportMission, Workshop
from . import staff_only


def _mission_page(request, mission):
    form = MissionForm(request.POST or None, instance=mission, user=request.user)
    funding = FundingFormSet(request.POST or None, instance=mission, prefix="funding")
    if request.method == "POST":
        if form.is_valid() and funding.is_valid():
            with transaction.atomic():
                mission = form.save()
                funding.instance = mission
                funding.save()
            messages.success(request, _("The mission was saved."))
            return redirect(mission)
        status = 400
    else:
        status = 200
    context = {"form": form, "funding": funding, "mission": mission}
    return render(request, "accompagnements/mission_form.html", context, status=status)


@staff_only
def mission_create(request):
    return _mission_page(request, None)


@staff_only
def mission_edit(request, pk):
    return _mission_page(request, get_object_or_404(SupportMission, pk=pk))


def _workshop_page(request, mission, workshop):
    form = WorkshopForm(request.POST or None, instance=workshop, user=request.user)
    if request.method == "POST" and form.is_valid():
        workshop = form.save(commit=False)
        workshop.mission = mission
        workshop.save()
        form.save_m2m()
        messages.success(request, _("The workshop was saved."))
        return redirect(workshop)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "mission": mission, "workshop": workshop}
    return render(request, "accompagnements/workshop_form.html", context, status=status)


@staff_only
def workshop_create(request, pk):
    return _workshop_page(request, get_object_or_404(SupportMission, pk=pk), None)


@staff_only
def workshop_edit(request, pk):
    workshop = get_object_or_404(Workshop.objects.select_related("mission"), pk=pk)
    return _workshop_page(request, workshop.mission, workshop)
