"""Staff's moderation pages: the queue, one proposal as a diff, one claim, and bulk spam."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from initiatives.duplicates import find_duplicates
from initiatives.models import Initiative
from observatoire.workspaces import staff_required

from . import fields as proposable
from . import services
from .forms import BulkSpamForm, ClaimDecisionForm, RefusalForm, ReviewForm
from .models import Claim, Contribution, Kind, Status


@staff_required
def queue(request):
    return _queue(request)


def _queue(request, status=200):
    contributions = list(Contribution.objects.to_moderate().select_related("initiative"))
    for contribution in contributions:
        contribution.fields_named = ", ".join(
            str(proposable.label(name))
            for name in proposable.FIELDS
            if name in contribution.proposed
        )
    claims = Claim.objects.to_moderate().select_related("initiative")
    holders = (
        Claim.objects.filter(status=Status.ACCEPTED)
        .select_related("initiative", "user")
        .order_by("initiative__name")
    )
    context = {"contributions": contributions, "claims": claims, "holders": holders}
    return render(request, "contributions/queue.html", context, status=status)


def _duplicates(contribution):
    if contribution.kind != Kind.NEW or not contribution.is_pending:
        return []
    data = {
        name: proposable.from_json(name, value) for name, value in contribution.proposed.items()
    }
    return find_duplicates(Initiative, data)


@staff_required
def review(request, pk):
    contribution = get_object_or_404(Contribution.objects.select_related("initiative"), pk=pk)
    site_url = request.build_absolute_uri("/")
    decision = request.POST.get("decision", "") if request.method == "POST" else None
    form = ReviewForm(request.POST if decision == "accept" else None, contribution=contribution)
    refusal = RefusalForm(request.POST if decision == "refuse" else None)
    status = 400 if decision is not None else 200
    if decision == "accept" and form.is_valid():
        try:
            entry = services.accept(
                contribution,
                form.accepted(),
                by=request.user,
                publish_new=form.cleaned_data.get("publish", False),
                site_url=site_url,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except services.ContributionError as exc:  # shown above the page, decided or not
            messages.error(request, str(exc))
            status = exc.status
        else:
            messages.success(
                request, _("Accepted: “%(name)s” is up to date.") % {"name": entry.name}
            )
            return redirect("contributions:queue")
    elif decision == "refuse" and refusal.is_valid():
        try:
            services.refuse(
                contribution, refusal.cleaned_data["reason"], by=request.user, site_url=site_url
            )
        except services.ContributionError as exc:
            messages.error(request, str(exc))
            status = exc.status
        else:
            messages.success(request, _("Refused; the reason was sent."))
            return redirect("contributions:queue")
    context = {
        "contribution": contribution,
        "form": form,
        "refusal": refusal,
        "duplicates": _duplicates(contribution),
    }
    return render(request, "contributions/review.html", context, status=status)


@staff_required
def review_claim(request, pk):
    claim = get_object_or_404(Claim.objects.select_related("initiative", "user"), pk=pk)
    site_url = request.build_absolute_uri("/")
    decision = request.POST.get("decision", "") if request.method == "POST" else None
    form = ClaimDecisionForm(request.POST if decision == "accept" else None, instance=claim)
    refusal = RefusalForm(request.POST if decision == "refuse" else None)
    status = 400 if decision is not None else 200
    try:
        if decision == "accept" and form.is_valid():
            services.accept_claim(
                claim,
                by=request.user,
                publish_directly=form.cleaned_data["publish_directly"],
                site_url=site_url,
            )
            messages.success(request, _("The claim is accepted; its holder was told."))
            return redirect("contributions:queue")
        if decision == "refuse" and refusal.is_valid():
            services.refuse(claim, refusal.cleaned_data["reason"], by=request.user)
            messages.success(request, _("Refused; the reason was sent."))
            return redirect("contributions:queue")
    except services.ContributionError as exc:  # shown above the page, decided or not
        messages.error(request, str(exc))
        status = exc.status
    context = {"claim": claim, "form": form, "refusal": refusal}
    return render(request, "contributions/claim_review.html", context, status=status)


@staff_required
@require_POST
def claim_setting(request, pk):
    """Change, for an accepted claim, whether its holder's edits are published at once."""
    claim = get_object_or_404(Claim.objects.select_related("initiative"), pk=pk)
    form = ClaimDecisionForm(request.POST, instance=claim)
    if claim.status != Status.ACCEPTED or not form.is_valid():
        messages.error(request, _("Only an accepted claim has this setting."))
        return redirect("contributions:queue")
    services.set_publish_directly(claim, form.cleaned_data["publish_directly"])
    messages.success(request, _("Saved for “%(name)s”.") % {"name": claim.initiative.name})
    return redirect("contributions:queue")


@staff_required
@require_POST
def bulk_spam(request):
    form = BulkSpamForm(request.POST)
    if not form.is_valid():
        for error in form.non_field_errors() or [_("This selection is not understood.")]:
            messages.error(request, error)
        return _queue(request, status=400)
    count = services.mark_spam(
        form.cleaned_data["contributions"], form.cleaned_data["claims"], by=request.user
    )
    messages.success(
        request,
        ngettext(
            "%(count)d proposal refused as spam.", "%(count)d proposals refused as spam.", count
        )
        % {"count": count},
    )
    return redirect("contributions:queue")
