"""A workshop's boards: the métaplan (cards, clusters, drag and drop), the backcasting timeline."""

import json

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import CardsForm, ClusterForm, StepForm
from ..models import BackcastingStep, MetaplanCard, MetaplanCluster, Workshop
from . import staff_only


def _workshop(pk):
    return get_object_or_404(Workshop.objects.select_related("mission"), pk=pk)


@staff_only
def metaplan(request, pk):
    workshop = _workshop(pk)
    loose, clusters = selectors.metaplan_board(workshop)
    return render(
        request,
        "accompagnements/metaplan.html",
        {
            "workshop": workshop,
            "loose": loose,
            "clusters": clusters,
            "cards_form": CardsForm(),
            "cluster_form": ClusterForm(),
        },
    )


def _back_to_board(workshop):
    return redirect("accompagnements:metaplan", pk=workshop.pk)


@staff_only
@require_POST
def add_cards(request, pk):
    workshop = _workshop(pk)
    form = CardsForm(request.POST)
    try:
        if form.is_valid():
            services.add_cards(workshop, form.cleaned_data["text"])
        else:
            raise services.MissionError(" ".join(form.errors.get("text", [])))
    except services.MissionError as exc:
        messages.error(request, str(exc))
    return _back_to_board(workshop)


@staff_only
@require_POST
def add_cluster(request, pk):
    workshop = _workshop(pk)
    try:
        services.add_cluster(workshop, request.POST.get("title", ""))
    except services.MissionError as exc:
        messages.error(request, str(exc))
    return _back_to_board(workshop)


@staff_only
@require_POST
def rename_cluster(request, pk, cluster_pk):
    cluster = get_object_or_404(MetaplanCluster, pk=cluster_pk, workshop_id=pk)
    try:
        services.rename_cluster(cluster, request.POST.get("title", ""))
    except services.MissionError as exc:
        messages.error(request, str(exc))
    return _back_to_board(cluster.workshop)


@staff_only
@require_POST
def delete_cluster(request, pk, cluster_pk):
    cluster = get_object_or_404(
        MetaplanCluster.objects.select_related("workshop"), pk=cluster_pk, workshop_id=pk
    )
    services.delete_cluster(cluster)
    messages.success(
        request,
        _("The cluster “%(title)s” is deleted; its cards are back among the loose ones.")
        % {"title": cluster.title},
    )
    return _back_to_board(cluster.workshop)


@staff_only
@require_POST
def edit_card(request, pk, card_pk):
    card = get_object_or_404(
        MetaplanCard.objects.select_related("workshop"), pk=card_pk, workshop_id=pk
    )
    try:
        services.edit_card(card, request.POST.get("text", ""))
    except services.MissionError as exc:
        messages.error(request, str(exc))
    return _back_to_board(card.workshop)


@staff_only
@require_POST
def delete_card(request, pk, card_pk):
    card = get_object_or_404(
        MetaplanCard.objects.select_related("workshop"), pk=card_pk, workshop_id=pk
    )
    services.delete_card(card)
    messages.success(request, _("The card “%(text)s” is deleted.") % {"text": card.text})
    return _back_to_board(card.workshop)


@staff_only
@require_POST
def move_card(request, pk):
    """The keyboard and no-JS way to arrange: put one card at the end of a cluster (or loose)."""
    workshop = _workshop(pk)
    card = get_object_or_404(MetaplanCard, pk=request.POST.get("card") or 0, workshop=workshop)
    target = request.POST.get("cluster") or None
    cluster = get_object_or_404(MetaplanCluster, pk=target, workshop=workshop) if target else None
    loose, clusters = selectors.metaplan_board(workshop)
    arrangement = {"clusters": {c.pk: [x.pk for x in cards] for c, cards in clusters}}
    arrangement["loose"] = [x.pk for x in loose]
    for ids in [*arrangement["clusters"].values(), arrangement["loose"]]:
        if card.pk in ids:
            ids.remove(card.pk)
    (arrangement["clusters"][cluster.pk] if cluster else arrangement["loose"]).append(card.pk)
    services.save_arrangement(workshop, arrangement)
    return _back_to_board(workshop)


@staff_only
@require_POST
def save_arrangement(request, pk):
    """Called by static/js/metaplan.js after every drop, with the whole board as JSON."""
    workshop = _workshop(pk)
    try:
        arrangement = json.loads(request.body)
        services.save_arrangement(workshop, arrangement)
    except ValueError:
        return JsonResponse({"error": _("The board could not be read.")}, status=400)
    except services.MissionError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse({"saved": True})


@staff_only
def backcasting(request, pk):
    workshop = _workshop(pk)
    return render(
        request,
        "accompagnements/backcasting.html",
        {
            "workshop": workshop,
            "milestones": workshop.milestones.all(),
            "timeline": selectors.timeline(workshop),
            "step_form": StepForm(initial={"year": workshop.date.year}),
        },
    )


@staff_only
@require_POST
def add_step(request, pk):
    workshop = _workshop(pk)
    form = StepForm(request.POST)
    try:
        if not form.is_valid():
            raise services.MissionError(
                " ".join(str(e) for errors in form.errors.values() for e in errors)
            )
        services.add_step(workshop, form.cleaned_data["year"], form.cleaned_data["text"])
    except services.MissionError as exc:
        messages.error(request, str(exc))
    return redirect("accompagnements:backcasting", pk=workshop.pk)


@staff_only
@require_POST
def move_step(request, pk, step_pk):
    step = get_object_or_404(BackcastingStep.objects.select_related("workshop"), pk=step_pk)
    if step.workshop_id != pk:
        return redirect("accompagnements:backcasting", pk=pk)
    try:
        services.move_step(step, int(request.POST.get("year", "0")))
    except (ValueError, services.MissionError) as exc:
        messages.error(request, str(exc))
    return redirect("accompagnements:backcasting", pk=pk)
