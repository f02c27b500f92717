"""Actors and PTCEs: organisation pages, the PTCE list and profile; all from `published()`."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from ..models import Initiative, Organisation, Pole, PoleMembership


def organisation_detail(request, slug):
    organisation = get_object_or_404(Organisation.objects.published(), slug=slug)
    context = {
        "organisation": organisation,
        "initiatives": Initiative.objects.published()
        .filter(roles__organisation=organisation)
        .distinct()
        .select_related("territory"),
        "poles": Pole.objects.published().filter(memberships__organisation=organisation).distinct(),
    }
    return render(request, "initiatives/organisation_detail.html", context)


def pole_list(request):
    poles = Pole.objects.published().select_related("territory").order_by("name")
    page = Paginator(poles, 24).get_page(request.GET.get("page"))
    return render(request, "initiatives/pole_list.html", {"page": page})


def pole_detail(request, slug):
    members = PoleMembership.objects.filter(
        organisation__in=Organisation.objects.published()
    ).select_related("organisation")
    pole = get_object_or_404(
        Pole.objects.published()
        .select_related("territory")
        .prefetch_related(
            "calls_for_interest",
            Prefetch("memberships", queryset=members, to_attr="public_members"),
        ),
        slug=slug,
    )
    initiatives = pole.initiatives.published().select_related("territory")
    return render(
        request, "initiatives/pole_detail.html", {"pole": pole, "initiatives": initiatives}
    )
