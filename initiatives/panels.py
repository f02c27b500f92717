"""What the directory contributes to pages (observatoire.panels): its own profile's blocks, and
the initiatives and PTCEs of a territory to the territory pages, which know no initiative.

Registered in apps.py. Each read is the panel's selector; the cached ones are kept per object
under the public generation (observatoire.cache).
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.urls import reverse

from medias.selectors import public_images
from observatoire import cache as public_cache
from observatoire import panels
from territoires.counts import children_with_counts, grouped_counts
from territoires.models import Level, Territory
from territoires.scopes import scope

from . import profile
from .invalidation import declare_related
from .models import Initiative, Pole

PAGE_SIZE = 24
# The territory page's map is a preview; /carte/ shows everything.
MAP_MARKERS = 500


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


def territory_initiatives(territory, request) -> dict:
    """The territory page's initiatives: their number, map, the children holding them, a page."""
    public_cache.depends_on(scope(territory))  # any change of an initiative placed there
    initiatives = Initiative.objects.published().in_territory(territory)
    page = Paginator(initiatives.select_related("territory").order_by("name"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    markers, more_markers = _map_markers(initiatives)
    return {
        "children": children_with_counts(territory, initiatives),
        "page": page,
        "markers": markers,
        "more_markers": more_markers,
        "map_url": reverse("carte:map")
        + "?"
        + urlencode({"territoire": f"{territory.level}:{territory.code}"}),
    }


def territory_poles(territory, request):
    public_cache.depends_on("initiatives.pole", "initiatives.polemembership")
    return (
        Pole.objects.published()
        .in_territory(territory)
        .select_related("territory")
        .order_by("name")
    )


def regions(_nothing, request) -> dict:
    """The territory index's régions and overseas collectivities, each with its initiatives."""
    tops = Territory.objects.current().filter(level__in=[Level.REGION, Level.COLLECTIVITY])
    by_path, _by_id = grouped_counts(None, Initiative.objects.published())
    return {
        "regions": [
            (region, by_path.get(region.path, 0)) for region in tops if region.level == Level.REGION
        ],
        "collectivities": [
            (place, by_path.get(place.path, 0))
            for place in tops
            if place.level == Level.COLLECTIVITY
        ],
    }


def photos(initiative, request):
    public_cache.depends_on("medias.derivedfile")
    return public_images(initiative)


def register() -> None:
    def cached(read):
        def shown(obj, request):
            found = read(obj)
            declare_related(obj, found)  # refreshed when one of them changes, or a newcomer
            return found

        return shown

    # The profile's own blocks among the others' (terrain's findings, agenda's events, the radar).
    panels.register(
        "initiative",
        "photos",
        photos,
        templates={"main": "initiatives/panels/photos.html"},
        order=10,
    )
    panels.register(
        "initiative",
        "nearby",
        cached(profile.nearby),
        templates={"side": "initiatives/panels/nearby.html"},
        order=10,
        cache=True,
    )
    panels.register(
        "initiative",
        "similar",
        cached(profile.similar),
        templates={"side": "initiatives/panels/similar.html"},
        order=40,
        cache=True,
    )
    # Territory pages: the initiatives first, the PTCEs last (the agenda's events between).
    panels.register(
        "territory",
        "initiatives",
        territory_initiatives,
        templates={
            "head": "initiatives/panels/territory_head.html",
            "content": "initiatives/panels/territory_initiatives.html",
            "scripts": "initiatives/panels/territory_scripts.html",
        },
        order=10,
        spread=True,
    )
    panels.register(
        "territory",
        "poles",
        territory_poles,
        templates={"content": "initiatives/panels/territory_poles.html"},
        order=30,
    )
    panels.register(
        "territories",
        "regions",
        regions,
        templates={"content": "initiatives/panels/regions.html"},
        order=10,
        spread=True,
    )
