"""The directory of initiatives: list and profile; every queryset starts from `published()`."""

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, render

from ..models import Initiative, Organisation, Person, Pole, Role


def initiative_list(request):
    initiatives = (
        Initiative.objects.published()
        .select_related("territory")
        .prefetch_related("themes")
        .order_by("name")
    )
    page = Paginator(initiatives, 24).get_page(request.GET.get("page"))
    return render(request, "initiatives/initiative_list.html", {"page": page})


def _public_roles():
    """Roles whose every named actor is published: an unpublished person never shows."""
    return Role.objects.select_related("organisation", "person").filter(
        Q(organisation__isnull=True) | Q(organisation__in=Organisation.objects.published()),
        Q(person__isnull=True) | Q(person__in=Person.objects.published()),
    )


def initiative_detail(request, slug):
    initiative = get_object_or_404(
        Initiative.objects.published()
        .select_related("territory__parent", "territory__epci")
        .prefetch_related(
            "themes",
            Prefetch("poles", queryset=Pole.objects.published()),
            Prefetch("roles", queryset=_public_roles()),
        ),
        slug=slug,
    )
    return render(
        request,
        "initiatives/initiative_detail.html",
        {"initiative": initiative, "chain": initiative.territory.chain()},
    )
