"""Public territory pages."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from initiatives.models import Initiative, Pole

from .models import Level, Territory


def territory_list(request):
    regions = Territory.objects.current().filter(level=Level.REGION).order_by("name")
    return render(request, "territoires/territory_list.html", {"regions": regions})


def territory_detail(request, level, code):
    territory = get_object_or_404(
        Territory.objects.select_related("parent", "epci"), level=level, code=code
    )
    initiatives = (
        Initiative.objects.published()
        .in_territory(territory)
        .select_related("territory")
        .order_by("name")
    )
    page = Paginator(initiatives, 24).get_page(request.GET.get("page"))
    context = {
        "territory": territory,
        "chain": territory.chain()[1:],
        "page": page,
        "poles": Pole.objects.published().in_territory(territory).order_by("name"),
    }
    return render(request, "territoires/territory_detail.html", context)
