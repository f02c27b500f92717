"""The directory of initiatives: list and profile; every queryset starts from `published()`."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from observatoire import panels
from observatoire.cache import public_page

from .. import facets, invalidation, profile
from ..models import Initiative
from .merges import moved


def _wants_fragment(request) -> bool:
    """htmx swaps the results in place; restoring history after a cache miss needs the page."""
    return "HX-Request" in request.headers and "HX-History-Restore-Request" not in request.headers


@public_page
def initiative_list(request):
    invalidation.declare_directory()
    directory = facets.browse(request.GET, request.GET.get("page"))
    fragment = _wants_fragment(request)
    template = "initiatives/_results.html" if fragment else "initiatives/initiative_list.html"
    response = render(request, template, {"directory": directory, "fragment": fragment})
    patch_vary_headers(response, ["HX-Request"])
    return response


@public_page
def initiative_detail(request, slug):
    initiative = profile.profile_for(request.user, slug)
    if initiative is None:
        return moved(Initiative, slug)
    invalidation.declare_profile(initiative)
    url = request.build_absolute_uri(initiative.get_absolute_url())
    chain = initiative.territory.chain()
    context = {
        "initiative": initiative,
        "chain": chain,
        "levers": profile.levers(initiative),
        # Photos, nearby, findings, events, radar, similar: each app's panel, in the registry's
        # order. The cached ones are kept per initiative until what they show changes (each
        # declares it, observatoire.cache), and the date in the key retires past events.
        "panels": panels.collect("initiative", initiative, request),
        "url": url,
        "json_ld": profile.json_ld(profile.schema_org(initiative, url, chain)),
        "today": timezone.localdate(),
    }
    response = render(request, "initiatives/initiative_detail.html", context)
    if not initiative.is_published:
        # A staff preview must not linger in a shared cache.
        add_never_cache_headers(response)
    return response
