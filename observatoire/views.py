"""Site-wide pages: home and health."""

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from initiatives.models import Initiative, Pole
from territoires.models import Territory

from .startup import broker_problem, database_problem


def home(request):
    initiatives = Initiative.objects.published()
    context = {
        "latest_initiatives": initiatives.select_related("territory").order_by("-published_at")[:6],
        "figures": {
            "initiatives": initiatives.count(),
            "territories": Territory.objects.filter(initiatives__in=initiatives).distinct().count(),
            "poles": Pole.objects.published().count(),
        },
    }
    return render(request, "home.html", context)


@never_cache
def health(request):
    """200 when the database and the broker answer, 503 naming the one that does not."""
    checks = {"database": database_problem(), "broker": broker_problem()}
    body = {name: problem or "ok" for name, problem in checks.items()}
    status = 503 if any(checks.values()) else 200
    body["status"] = "ok" if status == 200 else "unavailable"
    return JsonResponse(body, status=status)
