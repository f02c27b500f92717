"""Actors and PTCEs: organisation pages, the PTCE list and profile; all from `published()`.

Staff may open an unpublished organisation or PTCE (the page carries a banner); for everyone else
it does not exist. What a page lists about it (initiatives, members, people) is always the public
part only, so a preview shows what the public will see.
"""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from observatoire import panels
from observatoire.cache import public_page

from ..models import (
    Affiliation,
    Initiative,
    MembershipRole,
    Organisation,
    Person,
    Pole,
    PoleMembership,
    Role,
)
from .merges import moved

PAGE_SIZE = 24
# What a public page may read of a person: never the e-mail address or the phone number.
PUBLIC_PERSON_FIELDS = ["person__first_name", "person__last_name", "person__public_bio"]


@public_page
def organisation_detail(request, slug):
    organisation = (
        Organisation.objects.visible_to(request.user)
        .select_related("territory")
        .filter(slug=slug)
        .first()
    )
    if organisation is None:
        return moved(Organisation, slug)
    its_roles = Role.objects.filter(organisation=organisation)
    initiatives = (
        Initiative.objects.published()
        .filter(pk__in=its_roles.values("initiative"))
        .select_related("territory")
        .prefetch_related(
            Prefetch("roles", queryset=its_roles.order_by("kind"), to_attr="organisation_roles")
        )
        .order_by("name")
    )
    memberships = (
        PoleMembership.objects.filter(organisation=organisation, pole__in=Pole.objects.published())
        .select_related("pole__territory")
        .order_by("pole__name", "role")
    )
    poles = {}
    for membership in memberships:
        poles.setdefault(membership.pole, []).append(membership)
    # Loading only the public fields means a template that reaches for a private one costs a
    # query per person, which the query-count tests catch.
    people = (
        Affiliation.objects.filter(organisation=organisation, person__in=Person.objects.published())
        .select_related("person")
        .only("title", "start_date", "end_date", "person", *PUBLIC_PERSON_FIELDS)
        .order_by("person__last_name", "person__first_name")
    )
    context = {
        "organisation": organisation,
        "page": Paginator(initiatives, PAGE_SIZE).get_page(request.GET.get("page")),
        "poles": list(poles.items()),
        "people": people,
        # What other apps add to an organisation's page (none yet), after its own blocks.
        "panels": panels.collect("organisation", organisation, request),
    }
    return render(request, "initiatives/organisation_detail.html", context)


@public_page
def pole_list(request):
    poles = (
        Pole.objects.published()
        .select_related("territory")
        .prefetch_related("calls_for_interest")
        .order_by("name")
    )
    page = Paginator(poles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "initiatives/pole_list.html", {"page": page})


@public_page
def pole_detail(request, slug):
    members = (
        PoleMembership.objects.filter(organisation__in=Organisation.objects.published())
        .select_related("organisation")
        .order_by("organisation__name")
    )
    pole = (
        Pole.objects.visible_to(request.user)
        .select_related("territory__parent", "territory__epci")
        .prefetch_related(
            "calls_for_interest",
            Prefetch("memberships", queryset=members, to_attr="public_members"),
        )
        .filter(slug=slug)
        .first()
    )
    if pole is None:
        return moved(Pole, slug)
    by_role = {role: [] for role in MembershipRole.values}
    for membership in pole.public_members:
        by_role[membership.role].append(membership)
    # Pilots and members are always listed (even if none is public yet), support bodies if any.
    member_groups = [
        {"key": "pilots", "heading": _("Pilot collective"), "role": MembershipRole.PILOT},
        {"key": "members", "heading": _("Members"), "role": MembershipRole.MEMBER},
        {"key": "support", "heading": _("National support bodies"), "role": MembershipRole.SUPPORT},
    ]
    for group in member_groups:
        group["members"] = by_role[group["role"]]
        group["always"] = group["role"] != MembershipRole.SUPPORT
    context = {
        "pole": pole,
        "chain": pole.territory.chain(),
        "member_groups": member_groups,
        "initiatives": pole.initiatives.published().select_related("territory").order_by("name"),
        # What other apps add to a PTCE's page (none yet), after its own blocks.
        "panels": panels.collect("pole", pole, request),
    }
    return render(request, "initiatives/pole_detail.html", context)
