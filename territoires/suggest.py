"""`/territoires/suggestions.json?q=`: a few territories for what is typed (lookup.py).

By name ("pas de calais", "st omer", "ile de france"), code ("62", "2A") or postcode ("62700");
each result has the label a territory input shows and reads back, its internal value
(`departement:62`) and, for a postcode, the postcode it matched.
"""

from django.http import JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .lookup import suggestions


@require_GET
@cache_control(max_age=300)
def suggest(request):
    found = suggestions(request.GET.get("q", ""))
    return JsonResponse({"results": [suggestion.as_json() for suggestion in found]})
