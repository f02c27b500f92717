"""Public territory pages: the index (régions, a commune finder) and one territory's page."""

import re

from django import forms
from django.db.models import Case, F, Q, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from observatoire import panels
from observatoire.cache import depends_on, public_page
from observatoire.compiled import Compiled

from .models import Level, PostalCode, Territory
from .names import POSTCODE, fold
from .scopes import scope

COMMUNE_RESULTS = 50
# INSEE commune codes: five characters, Corsica's start with 2A or 2B.
COMMUNE_CODE = re.compile(r"\d[\dAB]\d{3}")


class CommuneSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Commune"),
        help_text=_("A name, a postcode such as 62700 or an INSEE code such as 62178."),
        min_length=2,
        max_length=100,
        required=False,
    )


def find_communes(query: str):
    """Current communes whose name, postcode or INSEE code matches, the closest matches first.

    Names are compared folded ("st etienne" finds Saint-Étienne); a five-digit number is a
    postcode when one commune has it, an INSEE code otherwise: 62700 is Bruay-la-Buissière's
    postcode, and not the Regnauville whose INSEE code it is.
    """
    folded = fold(query)
    code = query.replace(" ", "").upper()
    matches = Q(search_name__contains=folded) if folded else Q(pk__in=[])
    by_postcode = Q(pk__in=PostalCode.objects.filter(code=code).values("territory"))
    is_postcode = POSTCODE.fullmatch(code) and PostalCode.objects.filter(code=code).exists()
    if is_postcode:
        matches |= by_postcode
    elif COMMUNE_CODE.fullmatch(code):
        matches |= Q(code=code)  # an INSEE code that is nobody's postcode
    closeness = Case(
        When(by_postcode, then=Value(0)),
        When(code=code, then=Value(1)),
        When(search_name=folded, then=Value(2)),
        When(search_name__startswith=folded, then=Value(3)),
        default=Value(4),
    )
    return (
        Territory.objects.current()
        .filter(matches, level=Level.COMMUNE)
        .select_related("parent")
        .annotate(closeness=closeness)
        .order_by("closeness", F("population").desc(nulls_last=True), "name")
    )


@public_page
def territory_list(request):
    form = CommuneSearchForm(request.GET or None)
    communes = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        communes = list(find_communes(form.cleaned_data["q"])[: COMMUNE_RESULTS + 1])
    context = {
        "form": form,
        "communes": communes[:COMMUNE_RESULTS] if communes is not None else None,
        "more_communes": communes is not None and len(communes) > COMMUNE_RESULTS,
        # The régions and what they hold: contributed by the apps that place things in them.
        "panels": panels.collect("territories", None, request),
    }
    return render(request, "territoires/territory_list.html", context)


# A territory with its parent and EPCI, compiled once (observatoire/compiled.py): its page is
# the one crawlers and visitors ask for most, at every level, cold.
_TERRITORY = Compiled(
    lambda level, code: (
        Territory.objects.current()
        .select_related("parent", "epci")
        .filter(level=level, code=code)
        .order_by()  # (level, code) is unique
    ),
    str,
    str,
    prepared=True,
)


@public_page
def territory_detail(request, level, code):
    if level not in Level.values:
        raise Http404
    found = _TERRITORY.rows(level, code, limit=1)
    territory = found[0] if found else None
    if territory is None:
        # A merged commune's old address leads to the commune it became part of.
        successor = Territory.objects.current().filter(replaces__level=level, replaces__code=code)
        if successor := successor.first():
            return redirect(successor, permanent=True)
        raise Http404

    depends_on(scope(territory), "territoires.territory")  # and what its panels declare
    context = {
        "territory": territory,
        "crumbs": list(reversed(territory.chain()[1:])),
        # What the territory holds (initiatives, events, PTCEs): panels other apps contribute.
        "panels": panels.collect("territory", territory, request),
    }
    return render(request, "territoires/territory_detail.html", context)
