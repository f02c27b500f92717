"""Public territory pages: the index (régions, a commune finder) and one territory's page."""

import re
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.db.models import Case, CharField, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import Left, StrIndex, Substr
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative, Pole
from observatoire.cache import public_page

from .models import Level, PostalCode, Territory
from .names import POSTCODE, fold

PAGE_SIZE = 24
# The territory page's map is a preview; /carte/ shows everything.
MAP_MARKERS = 500
COMMUNE_RESULTS = 50
# INSEE commune codes: five characters, Corsica's start with 2A or 2B.
COMMUNE_CODE = re.compile(r"\d[\dAB]\d{3}")

CHILD_HEADINGS = {
    Level.REGION: _("Régions"),
    Level.COLLECTIVITY: _("Overseas collectivities"),
    Level.DEPARTEMENT: _("Départements"),
    Level.EPCI: _("Intercommunalities (EPCI)"),
    Level.COMMUNE: _("Communes"),
    Level.AREA: _("Free areas"),
}


def _child_path(base_path: str):
    """SQL: the path of the child of `base_path` that holds an initiative's territory.

    "r84/d01/c01053/" under "r84/" gives "r84/d01/"; under "" it gives "r84/". A row on the
    territory itself gives `base_path` back.
    """
    size = len(base_path)
    slash = StrIndex(Substr("territory__path", size + 1), Value("/"))
    return Left("territory__path", Value(size) + slash, output_field=CharField())


def _grouped_counts(territory, initiatives) -> tuple[dict[str, int], dict[int, int]]:
    """Initiatives per child of `territory` (None: France), from one grouped query.

    Returns ({child path: count}, {child id: count}). The children of France are the régions, of
    a région its départements, of a département its communes (by path) and the EPCIs of those
    communes (by id, since an EPCI is a grouping of communes), of an EPCI its member communes.
    """
    initiatives = initiatives.order_by()
    if territory is not None and territory.level == Level.EPCI:
        rows = initiatives.values("territory").annotate(n=Count("pk"))
        return {}, {row["territory"]: row["n"] for row in rows if row["territory"] != territory.pk}

    base_path = territory.path if territory is not None else ""
    keys = {"child": _child_path(base_path)}
    if territory is not None and territory.level == Level.DEPARTEMENT:
        # An initiative on an EPCI counts for it, as do those in its member communes.
        keys["epci"] = Case(
            When(territory__level=Level.EPCI, then=F("territory")),
            default=F("territory__epci"),
            output_field=IntegerField(),
        )
    by_path, by_id = {}, {}
    for row in initiatives.annotate(**keys).values(*keys).annotate(n=Count("pk")):
        if row["child"] != base_path:
            by_path[row["child"]] = by_path.get(row["child"], 0) + row["n"]
        if row.get("epci"):
            by_id[row["epci"]] = by_id.get(row["epci"], 0) + row["n"]
    return by_path, by_id


def children_with_counts(territory, initiatives) -> list[dict]:
    """The child territories holding initiatives, grouped by level: two queries in all.

    [{"level", "heading", "rows": [(territory, count), ...]}], in the order of the hierarchy.
    """
    by_path, by_id = _grouped_counts(territory, initiatives)
    if not by_path and not by_id:
        return []
    groups = {level: [] for level in CHILD_HEADINGS}
    children = Territory.objects.current().filter(Q(path__in=by_path) | Q(pk__in=by_id))
    for child in children.order_by("search_name", "pk"):  # "Béthune" before "Bruay", "Île" among I
        # Counted by id first: an EPCI holds the initiatives of its communes, not only its own.
        count = by_id.get(child.pk) or by_path.get(child.path)
        if count:
            groups[child.level].append((child, count))
    return [
        {"level": level, "heading": CHILD_HEADINGS[level], "rows": rows}
        for level, rows in groups.items()
        if rows
    ]


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
    tops = Territory.objects.current().filter(level__in=[Level.REGION, Level.COLLECTIVITY])
    by_path, _by_id = _grouped_counts(None, Initiative.objects.published())
    form = CommuneSearchForm(request.GET or None)
    communes = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        communes = list(find_communes(form.cleaned_data["q"])[: COMMUNE_RESULTS + 1])
    context = {
        "regions": [
            (region, by_path.get(region.path, 0)) for region in tops if region.level == Level.REGION
        ],
        "collectivities": [
            (place, by_path.get(place.path, 0))
            for place in tops
            if place.level == Level.COLLECTIVITY
        ],
        "form": form,
        "communes": communes[:COMMUNE_RESULTS] if communes is not None else None,
        "more_communes": communes is not None and len(communes) > COMMUNE_RESULTS,
    }
    return render(request, "territoires/territory_list.html", context)


def _map_markers(initiatives) -> tuple[list[dict], bool]:
    """The first MAP_MARKERS located initiatives as plain data, and whether there are more."""
    rows = list(
        initiatives.filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("-published_at", "pk")
        .values("name", "slug", "latitude", "longitude")[: MAP_MARKERS + 1]
    )
    markers = [
        {
            "name": row["name"],
            "url": reverse("initiatives:detail", kwargs={"slug": row["slug"]}),
            "lat": row["latitude"],
            "lng": row["longitude"],
        }
        for row in rows[:MAP_MARKERS]
    ]
    return markers, len(rows) > MAP_MARKERS


@public_page
def territory_detail(request, level, code):
    if level not in Level.values:
        raise Http404
    territory = (
        Territory.objects.current()
        .select_related("parent", "epci")
        .filter(level=level, code=code)
        .first()
    )
    if territory is None:
        # A merged commune's old address leads to the commune it became part of.
        successor = Territory.objects.current().filter(replaces__level=level, replaces__code=code)
        if successor := successor.first():
            return redirect(successor, permanent=True)
        raise Http404

    initiatives = Initiative.objects.published().in_territory(territory)
    page = Paginator(initiatives.select_related("territory").order_by("name"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    markers, more_markers = _map_markers(initiatives)
    context = {
        "territory": territory,
        "crumbs": list(reversed(territory.chain()[1:])),
        "children": children_with_counts(territory, initiatives),
        "page": page,
        "poles": Pole.objects.published()
        .in_territory(territory)
        .select_related("territory")
        .order_by("name"),
        "markers": markers,
        "more_markers": more_markers,
        "map_url": reverse("carte:map")
        + "?"
        + urlencode({"territoire": f"{territory.level}:{territory.code}"}),
    }
    return render(request, "territoires/territory_detail.html", context)
