"""Public findings: /enseignements/ and /enseignements/<slug>/, from `published()` only."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from observatoire.cache import public_page

from ..models import Finding


@public_page
def finding_list(request):
    findings = Finding.objects.published().prefetch_related("themes").order_by("-published_at")
    page = Paginator(findings, 20).get_page(request.GET.get("page"))
    return render(request, "terrain/public/finding_list.html", {"page": page})


@public_page
def finding_detail(request, slug):
    finding = get_object_or_404(
        Finding.objects.published().prefetch_related("themes", "initiatives"), slug=slug
    )
    quotes = finding.public_quotes()
    return render(
        request,
        "terrain/public/finding_detail.html",
        {
            "finding": finding,
            "quotes": quotes,
            "removed": any(q.removed for q in quotes),
            "initiatives": finding.initiatives.published().order_by("name"),
            "url": request.build_absolute_uri(finding.get_absolute_url()),
            "today": timezone.localdate(),
        },
    )


def initiative_findings(initiative):
    """Published findings on an initiative's profile (called by initiatives.profile)."""
    return list(
        Finding.objects.published().filter(initiatives=initiative).order_by("-published_at")[:10]
    )
