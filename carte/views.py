"""The map page, its GeoJSON, and the chrome-less map that partners put in an iframe."""

import json
from urllib.parse import urlencode

from csp.decorators import csp_replace
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt

from initiatives.filters import canonical_value
from observatoire import cache as public_cache
from observatoire.cache import public_page

from . import geo


@cache_control(public=True, max_age=60)
def geojson(request):
    def answer() -> bytes:
        collection = geo.feature_collection(request.GET)
        return json.dumps(collection, separators=(",", ":"), ensure_ascii=False).encode()

    # Cached per set of parameters until public content changes (observatoire/cache.py).
    parts = ("geojson", get_language(), tuple(sorted(request.GET.lists())))
    try:
        content = public_cache.get_or_set(parts, answer)
    except geo.MapQueryError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return HttpResponse(content, content_type="application/geo+json")


def _context(request) -> dict:
    queryset, filterset = geo.filtered(request.GET or None)
    # Only the filters travel to the list, the embed and the GeoJSON: not bbox, zoom or page.
    # A typed territory travels as the internal code of the one the page used.
    filterset.notices()  # cleans the form
    query = urlencode(
        [
            (key, canonical_value(filterset, key, value))
            for key in filterset.filters
            for value in request.GET.getlist(key)
            if value
        ]
    )
    query = f"?{query}" if query else ""
    return {
        "filter": filterset,
        "filters_active": bool(query),
        "query": query,
        # With filters, open the map on what they select; without, on metropolitan France.
        "extent": geo.extent(queryset) if query else None,
        "map_url": request.build_absolute_uri(reverse("carte:map") + query),
        "embed_url": request.build_absolute_uri(reverse("carte:embed") + query),
    }


@public_page  # its filters list every published PTCE and theme: rendered once per change
def map_page(request):
    return render(request, "carte/map.html", _context(request))


@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def embed(request):
    # Any site may frame this page (it has no forms and no session); every other page is DENY.
    # The rest of the site's Content-Security-Policy still applies to it.
    return render(request, "carte/embed.html", _context(request))
