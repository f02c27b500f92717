"""Findings in the workspace: written from excerpts, submitted; staff publish or return them."""

from django.contrib import messages
from django.db.models import Max
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.crypto import get_random_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..access import in_season, is_staff, season_view, staff_only
from ..forms import FindingForm, ReturnForm
from ..models import Code, Excerpt, Finding, FindingExcerpt, FindingState
from ..services.findings import publication_problems


def _unique_slug(title: str) -> str:
    base = slugify(title)[:180] or "finding"
    slug = base
    while Finding.objects.filter(slug=slug).exists():
        slug = f"{base}-{get_random_string(4).lower()}"
    return slug


PICKER_SIZE = 30


def excerpt_choices(season, finding, *, code_id="", text="", user=None):
    """The season's excerpts a finding could cite, filtered by code and by words of the text."""
    rows = (
        Excerpt.objects.visible_to(user)
        .filter(segment__transcript__interview__visit__season=season)
        .exclude(pk__in=finding.backing.values("excerpt"))
        .select_related("segment__transcript__interview")
        .prefetch_related("codes")
        .order_by("segment__transcript_id", "segment__position", "start", "pk")
    )
    if str(code_id).isdigit():
        rows = rows.filter(codes=int(code_id))
    for word in text.split()[:5]:
        rows = rows.filter(text__icontains=word)
    return rows.distinct()


@season_view
def finding_edit(request, season, pk=None):
    finding = in_season(season, Finding, pk=pk) if pk else None
    editable = finding is None or finding.state in (FindingState.DRAFT, FindingState.RETURNED)
    form = FindingForm(request.POST or None, instance=finding, user=request.user)
    if request.method == "POST" and editable and form.is_valid():
        finding = form.save(commit=False)
        if not finding.pk:
            finding.season, finding.author = season, request.user
            finding.slug = _unique_slug(finding.title)
        finding.save()
        form.save_m2m()
        messages.success(request, _("Finding saved."))
        return redirect("terrain:finding", season=season.pk, pk=finding.pk)
    backing = (
        finding.backing.select_related("excerpt__segment__transcript__interview") if finding else []
    )
    code_id, text = request.GET.get("code", ""), request.GET.get("q", "").strip()
    choices = (
        list(
            excerpt_choices(season, finding, code_id=code_id, text=text, user=request.user)[
                : PICKER_SIZE + 1
            ]
        )
        if finding and editable
        else []
    )
    return render(
        request,
        "terrain/finding_form.html",
        {
            "season": season,
            "finding": finding,
            "form": form,
            "editable": editable,
            "backing": backing,
            "choices": choices[:PICKER_SIZE],
            "more_choices": len(choices) > PICKER_SIZE,
            "codes": Code.objects.filter(season=season).order_by("name"),
            "picked_code": code_id,
            "picked_text": text,
            "problems": publication_problems(finding) if finding else [],
            "return_form": ReturnForm(),
            "staff": is_staff(request.user),
        },
    )


@season_view
@require_POST
def finding_add_excerpt(request, season, pk):
    finding = in_season(season, Finding, pk=pk)
    excerpt = in_season(
        season,
        Excerpt,
        Excerpt.objects.visible_to(request.user),
        pk=request.POST.get("excerpt") or 0,
    )
    position = (finding.backing.aggregate(m=Max("position"))["m"] or 0) + 1
    FindingExcerpt.objects.get_or_create(
        finding=finding, excerpt=excerpt, defaults={"position": position}
    )
    messages.success(request, _("Excerpt added to the finding."))
    next_url = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = finding_url(finding)
    return redirect(next_url)


def finding_url(finding):
    from django.urls import reverse

    return reverse("terrain:finding", kwargs={"season": finding.season_id, "pk": finding.pk})


@season_view
@require_POST
def finding_action(request, season, pk, action):
    finding = in_season(season, Finding, pk=pk)
    try:
        if action == "submit":
            services.submit_finding(finding, by=request.user)
            messages.success(request, _("Finding submitted for publication."))
        elif action == "publish":
            staff_only(request.user)
            services.publish_finding(finding, by=request.user)
            messages.success(request, _("Finding published."))
        elif action == "return":
            staff_only(request.user)
            form = ReturnForm(request.POST)
            comment = form.data.get("comment", "")
            services.return_finding(finding, comment, by=request.user)
            messages.success(request, _("Finding returned to its author."))
        elif action == "withdraw":
            staff_only(request.user)
            services.withdraw_finding(finding, by=request.user)
            messages.success(request, _("Finding withdrawn from the public site."))
        else:
            raise Http404
    except services.TerrainError as exc:
        messages.error(request, str(exc))
    return redirect(finding_url(finding))


@season_view
def review_queue(request, season):
    staff_only(request.user)
    findings = season.findings.filter(state=FindingState.SUBMITTED)
    return render(request, "terrain/review_queue.html", {"season": season, "findings": findings})
