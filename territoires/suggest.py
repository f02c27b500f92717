"""`/territoires/suggestions.json?q=`: a few territories whose name starts like the query."""

from django.db.models import Case, IntegerField, Q, Value, When
from django.http import JsonResponse
from django.utils.text import slugify
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .fields import territory_label
from .models import Level, Territory

LIMIT = 15
# Larger places first when names tie: a region before a commune of the same name.
_RANK = Case(
    *[When(level=level, then=Value(rank)) for rank, level in enumerate(Level.values)],
    output_field=IntegerField(),
)


@require_GET
@cache_control(max_age=300)
def suggest(request):
    query = request.GET.get("q", "").strip()[:100]
    slug = slugify(query)
    if len(query) < 2:
        return JsonResponse({"results": []})
    matches = Q(name__istartswith=query) | Q(code=query.upper())
    if slug:
        matches |= Q(slug__startswith=slug)
    territories = (
        Territory.objects.current()
        .filter(matches)
        .annotate(rank=_RANK)
        .order_by("rank", "name", "code")
        .only("pk", "name", "code", "level")[:LIMIT]
    )
    return JsonResponse(
        {"results": [{"id": t.pk, "label": territory_label(t)} for t in territories]}
    )
