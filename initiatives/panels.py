"""What the directory contributes to pages (observatoire.panels): its own profile's blocks, and
the initiatives and PTCEs of a territory to the territory pages, which know no initiative.

Registered in apps.py. Each read is the panel's selector; the cached ones are kept per object
under the public generation (observatoire.cache).
"""

from html import escape
from typing import NamedTuple
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Q
from django.urls import reverse
from django.utils.safestring import mark_safe

from medias.selectors import public_images, public_thumbnails
from observatoire import cache as public_cache
from observatoire import panels
from observatoire.compiled import Compiled
from territoires.counts import children_with_counts
from territoires.models import Level, Territory
from territoires.scopes import scope

from . import counts, profile
from .invalidation import declare_related
from .models import Initiative, Pole

PAGE_SIZE = 24


def _with_urls(objects, route: str) -> list:
    """The objects, each with its `url` from one reverse() for all (they differ by the slug)."""
    placeholder = "slug-placeholder"
    head, tail = reverse(route, kwargs={"slug": placeholder}).split(placeholder)
    objects = list(objects)
    for obj in objects:
        obj.url = f"{head}{obj.slug}{tail}"
    return objects


class _NoRows(list):
    """The paginator's rows: the page's own are read by `_CARDS` (the count is known)."""


def _cards(initiatives):
    return (
        initiatives.select_related("territory")
        .only("name", "slug", "summary", "territory__name")
        .order_by("name")
    )


# The cards of a territory's initiatives, compiled once (observatoire/compiled.py): below a path,
# or, for an EPCI, on it or its member communes (as Initiative.objects.in_territory).
_CARDS_BELOW = Compiled(
    lambda path: _cards(Initiative.objects.published().filter(territory__path__startswith=path)),
    str,
)
_CARDS_OF_EPCI = Compiled(
    lambda pk: _cards(
        Initiative.objects.published().filter(Q(territory_id=pk) | Q(territory__epci_id=pk))
    ),
    int,
)


def territory_initiatives(territory, request) -> dict:
    """The territory page's initiatives: their number, map, the children holding them, a page."""
    public_cache.depends_on(scope(territory))  # any change of an initiative placed there
    query = urlencode({"territoire": f"{territory.level}:{territory.code}"})
    # Counted per territory (counts.py): the total and the children's counts without reading
    # every published initiative below the territory.
    counted = counts.rolled_up(territory)
    paginator = Paginator(_NoRows(), PAGE_SIZE)
    paginator.count = counted.total  # instead of its own COUNT(*)
    page = paginator.get_page(request.GET.get("page"))
    cards = []
    if paginator.count:
        offset = page.start_index() - 1
        if territory.level == Level.EPCI:
            cards = _CARDS_OF_EPCI.rows(territory.pk, limit=PAGE_SIZE, offset=offset)
        else:
            cards = _CARDS_BELOW.rows(territory.path, limit=PAGE_SIZE, offset=offset)
    page.object_list = _with_urls(cards, "initiatives:detail")
    return {
        "children": children_with_counts(territory, rolled=(counted.by_path, counted.by_id)),
        "page": page,
        # The map loads its markers from the map's GeoJSON (static/js/territory-map.js): 500 of
        # them inline were a 500-row query, 500 reverse() and 60 kB of every page (17 ms of 60).
        "located": counted.located,
        "geojson_url": reverse("carte:geojson") + "?" + query,
        "map_url": reverse("carte:map") + "?" + query,
    }


class ListedPole(NamedTuple):
    """A PTCE as the territory page lists it."""

    name: str
    url: str
    place: str  # its territory's name
    stage: str  # translated


def _listed_poles(poles):
    return poles.order_by("name").values_list("name", "slug", "stage", "territory__name")


# As the cards: compiled once, below a path or for an EPCI (Pole.objects.in_territory).
_POLES_BELOW = Compiled(
    lambda path: _listed_poles(Pole.objects.published().filter(territory__path__startswith=path)),
    str,
)
_POLES_OF_EPCI = Compiled(
    lambda pk: _listed_poles(
        Pole.objects.published().filter(Q(territory_id=pk) | Q(territory__epci_id=pk))
    ),
    int,
)


def territory_poles(territory, request) -> dict:
    """Every PTCE of the territory (153 in the largest région): only what the list shows.

    Read as tuples and joined here: as model instances and `format_html` per item, the 153 PTCEs
    took 5 ms of the page in-process; as a template loop calling `get_stage_display`, 10 ms.
    """
    public_cache.depends_on("initiatives.pole", "initiatives.polemembership")
    if territory.level == Level.EPCI:
        rows = _POLES_OF_EPCI.rows(territory.pk)
    else:
        rows = _POLES_BELOW.rows(territory.path)
    head, tail = reverse("initiatives:pole", kwargs={"slug": "slug-placeholder"}).split(
        "slug-placeholder"
    )
    # Each stage's label translated once, not once per PTCE (get_stage_display).
    stages = {value: str(label) for value, label in Pole._meta.get_field("stage").flatchoices}
    poles = [
        ListedPole(name, f"{head}{slug}{tail}", place, stages.get(stage, stage))
        for name, slug, stage, place in rows
    ]
    # The slug is a slug (no character to escape); the other three are escaped.
    items = "".join(
        f'<li><a href="{pole.url}">{escape(pole.name)}</a> '
        f'<span class="meta">{escape(pole.place)} · {escape(pole.stage)}</span></li>'
        for pole in poles
    )
    return {"poles": poles, "pole_items": mark_safe(items)}  # noqa: S308 (escaped above)


def regions(_nothing, request) -> dict:
    """The territory index's régions and overseas collectivities, each with its initiatives."""
    tops = Territory.objects.current().filter(level__in=[Level.REGION, Level.COLLECTIVITY])
    by_path = counts.per_region()
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


def no_photos(initiative):
    """The photos' panel when its probe found no public thumbnail."""
    public_cache.depends_on("medias.derivedfile")
    return []


def register() -> None:
    def cached(read):
        def shown(obj, request):
            found = read(obj)
            declare_related(obj, found)  # refreshed when one of them changes, or a newcomer
            return _with_urls(found, "initiatives:detail")  # one reverse() for the six

        return shown

    # The profile's own blocks among the others' (terrain's findings, agenda's events, the radar).
    panels.register(
        "initiative",
        "photos",
        photos,
        templates={"main": "initiatives/panels/photos.html"},
        order=10,
        # Most initiatives have no photo: one probe with the profile's other blocks.
        probe=lambda initiative: public_thumbnails([initiative]),
        empty=no_photos,
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
        spread=True,
    )
    panels.register(
        "territories",
        "regions",
        regions,
        templates={"content": "initiatives/panels/regions.html"},
        order=10,
        spread=True,
    )
