"""The directory of initiatives: list and profile; every queryset starts from `published()`."""

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers

from .. import facets
from ..models import Initiative, Organisation, Person, Pole, Role


def _wants_fragment(request) -> bool:
    """htmx swaps the results in place; restoring history after a cache miss needs the page."""
    return "HX-Request" in request.headers and "HX-History-Restore-Request" not in request.headers


def initiative_list(request):
    directory = facets.browse(request.GET, request.GET.get("page"))
    fragment = _wants_fragment(request)
    template = "initiatives/_results.html" if fragment else "initiatives/initiative_list.html"
    response = render(request, template, {"directory": directory, "fragment": fragment})
    patch_vary_headers(response, ["HX-Request"])
    return response


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
