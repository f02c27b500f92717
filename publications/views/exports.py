"""`/export/<kind>.<format>`: the directory as data, streamed and logged; the data dictionary."""

import math
from functools import wraps

from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from ..api.throttling import export_wait
from ..catalogue import catalogue, serialize
from ..downloads import log_download
from ..exports.datapackage import datapackage
from ..exports.formats import FORMATS, encoded, stream
from ..exports.kinds import SPECS
from ..tokens import authenticate_key, key_from_header

TRUE = {"1", "true", "oui", "yes"}


def token_user(request):
    """Scripts may send their API token to exports too; a bad or revoked one is refused."""
    header = request.headers.get("Authorization")
    if not header:
        return None, None
    key = key_from_header(header)
    token = authenticate_key(key) if key else None
    if token is None:
        return None, False
    request.user = token.user
    return token, True


def throttled(view):
    """Every `/export/` route (publications/urls.py): past the client's budget, a 429 that says
    in a sentence when to come back, and the same in `Retry-After` for programs."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        wait = export_wait(request)
        if wait is None:
            return view(request, *args, **kwargs)
        seconds = max(1, math.ceil(wait))
        message = ngettext(
            "Too many downloads from you in a short time. Please try again in %(count)d second.",
            "Too many downloads from you in a short time. Please try again in %(count)d seconds.",
            seconds,
        ) % {"count": seconds}
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(seconds)
        response["Cache-Control"] = "no-store"
        return response

    return wrapped


@require_GET
def export(request, name, fmt):
    spec = SPECS.get(name)
    if spec is None or fmt not in FORMATS or (fmt == "geojson" and not spec.has_geometry):
        raise Http404(_("No such export."))
    token, accepted = token_user(request)
    if accepted is False:
        return JsonResponse({"detail": _("Invalid or revoked token.")}, status=401)
    queryset, _filterset = spec.rows(request.GET)
    bom = fmt == "csv" and request.GET.get("bom", "").lower() in TRUE
    log_download(request, export=f"{name}.{fmt}", token=token)
    base = f"{request.scheme}://{request.get_host()}"
    response = StreamingHttpResponse(
        encoded(stream(spec, queryset, fmt, base=base, bom=bom)), content_type=FORMATS[fmt]
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


def dictionary(request):
    """`/donnees/`: every column of every export, with type, meaning and example."""
    return render(request, "publications/data_dictionary.html", {"specs": SPECS.values()})


def datapackage_json(request):
    return JsonResponse(
        datapackage(f"{request.scheme}://{request.get_host()}"),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )


CATALOGUE_TYPES = {"ttl": "text/turtle; charset=utf-8", "jsonld": "application/ld+json"}


@require_GET
def catalogue_view(request, fmt):
    """`/donnees/catalogue.ttl` and `.jsonld`: the DCAT-AP catalogue for harvesters."""
    graph = catalogue(f"{request.scheme}://{request.get_host()}")
    return HttpResponse(serialize(graph, fmt), content_type=CATALOGUE_TYPES[fmt])
