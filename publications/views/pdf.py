"""An initiative's profile as a PDF: facts, actors, location, sources and how to cite it."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from initiatives import profile
from initiatives.models import Initiative

from ..pdf import cached_pdf

SITE = "Observatoire des initiatives coopératives"


def initiative_pdf(request, slug):
    initiative = get_object_or_404(
        profile.profile_queryset(Initiative.objects.published()), slug=slug
    )
    url = request.build_absolute_uri(initiative.get_absolute_url())
    context = {
        "initiative": initiative,
        "chain": initiative.territory.chain(),
        "levers": profile.levers(initiative),
        "url": url,
        "citation": f"{SITE}. « {initiative.name} ». {url}",
    }
    content = cached_pdf(
        "initiative",
        initiative,
        "publications/pdf/initiative.html",
        context,
        request.build_absolute_uri("/"),
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{initiative.slug}.pdf"'
    return response
