"""Public findings: /enseignements/ and /enseignements/<slug>/, from `published()` only."""

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from taggit.models import Tag, TaggedItem

from initiatives.filters import by_name
from observatoire import cache as public_cache
from observatoire import panels
from observatoire.cache import public_page
from territoires.models import Level, Territory

from ..filters import FindingFilterSet
from ..models import Finding


@public_page
def finding_list(request):
    """Published findings, newest first, filtered as the findings export and API are."""
    filterset = FindingFilterSet(request.GET or None, queryset=Finding.objects.published())
    findings = filterset.qs.prefetch_related("themes").order_by("-published_at", "pk")
    page = Paginator(findings, 20).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filterset": filterset,
        "ignored": filterset.ignored(),
        "filtered": any(request.GET.get(name) for name in ("theme", "territoire", "initiative")),
        "themes": finding_themes(),
        "regions": Territory.objects.current().filter(level=Level.REGION).order_by("search_name"),
    }
    return render(request, "terrain/public/finding_list.html", context)


def finding_themes():
    """The themes of published findings, in French order: the choices of the list's filter."""
    tagged = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Finding),
        object_id__in=Finding.objects.published().values("pk"),
    )
    return Tag.objects.filter(pk__in=tagged.values("tag_id")).order_by(by_name(), "pk")


@public_page
def finding_detail(request, slug):
    finding = get_object_or_404(
        Finding.objects.published().prefetch_related("themes", "initiatives"), slug=slug
    )
    quotes = finding.public_quotes()
    url = request.build_absolute_uri(finding.get_absolute_url())
    return render(
        request,
        "terrain/public/finding_detail.html",
        {
            "finding": finding,
            "quotes": quotes,
            "removed": any(q.removed for q in quotes),
            "initiatives": finding.initiatives.published().order_by("name"),
            "url": url,
            # What other apps add to a finding's page (publications: how to cite it).
            "panels": panels.collect("finding", finding, request),
        },
    )


def initiative_findings_probe(initiative):
    """What `initiative_findings` reads, unordered: has the initiative any published finding?"""
    return Finding.objects.published().filter(initiatives=initiative)


def initiative_findings(initiative, found=None):
    """Published findings on an initiative's profile (its panel, registered in apps.py); `found`:
    already known (none, when its probe found none)."""
    if found is None:
        found = list(initiative_findings_probe(initiative).order_by("-published_at")[:10])
    # Cached with the profile: refreshed when a finding changes, or what its quotes show.
    public_cache.depends_on("terrain.finding", *public_cache.tags(found))
    if found:
        public_cache.depends_on("terrain.excerpt", "terrain.findingexcerpt")
    return found
