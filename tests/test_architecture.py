"""The layers hold: no app imports one built on it, and no two files import each other in a circle.

The imports are read from the source with `ast` (tests/import_graph.py), at module level and inside
functions alike. The allowed directions are written once, here, in LAYERS (docs/architecture.md
explains them); `python -m tests.import_graph` prints the whole graph.
"""

from tests.import_graph import APPS, Edge, app_of, cycles, graph

# From the base up. A module may import its own app and the apps of the layers below its own;
# never an app of its own layer, never one above. What a lower app must do with an upper one's
# objects goes through a registry the upper app fills in its AppConfig.ready(): media owners
# (medias.owners), page panels (observatoire.panels), shredders (observatoire.shredders), people
# holders (initiatives.people), public-cache checks (observatoire.cache.shown_publicly_if).
LAYERS = (
    ("observatoire",),  # the site-wide machinery: cache, publishing, roles, registries
    ("territoires", "medias"),  # the geographic base; files, kinds, renditions and jobs
    ("initiatives",),  # the directory: initiatives, actors, PTCEs
    # built on the directory, side by side
    ("carte", "terrain", "evaluations", "agenda", "contributions"),
    ("accompagnements",),  # missions: their workshops may be agenda events
    ("publications",),  # exports, portal, API: read everything public
    ("site",),  # the project's composition: URLs, home page, search, sitemap, feeds, settings
)
# The modules of the project package that compose the whole site (the "site" layer above).
SITE_MODULES = (
    "observatoire.apps",  # registers the search functions of the embedded database
    "observatoire.management.commands.update_search_index",
    "observatoire.urls",
    "observatoire.views",
    "observatoire.search",
    "observatoire.search_sqlite",
    "observatoire.tasks",  # the search's periodic upkeep
    "observatoire.sitemaps",
    "observatoire.feeds",
    "observatoire.settings",
    "observatoire.celery",
    "observatoire.asgi",
    "observatoire.wsgi",
)


def unit_of(module: str) -> str:
    """The layer unit of a module: its app, or "site" for the modules composing the site."""
    if module == "observatoire":  # the package's __init__ starts the Celery app
        return "site"
    if any(module == site or module.startswith(site + ".") for site in SITE_MODULES):
        return "site"
    return app_of(module)


def layer_of(unit: str) -> int:
    for index, units in enumerate(LAYERS):
        if unit in units:
            return index
    raise KeyError(f"{unit} is in no layer: add it to LAYERS")


def against_layers(edges: list[Edge]) -> list[str]:
    """Every import that goes up a layer or sideways to another app of the same layer."""
    wrong = []
    for edge in edges:
        source, target = unit_of(edge.source), unit_of(edge.target)
        if source == target:
            continue
        if layer_of(target) >= layer_of(source):
            where = "inside a function" if edge.in_function else "at module level"
            wrong.append(
                f"{edge.source} (line {edge.line}, {where}) imports {edge.target}: "
                f"{source} may not import {target}"
            )
    return wrong


def test_every_app_has_a_layer():
    for app in APPS:
        layer_of(app)


def test_no_import_goes_up_a_layer():
    assert against_layers(graph()) == []


def test_no_circle_between_files():
    assert cycles(graph()) == []


def test_the_rule_catches_a_base_that_reaches_up():
    # What this issue removed: territoires and medias reading the directory and the fieldwork,
    # and initiatives' profile reaching into the agenda from inside a function.
    edges = [
        Edge("territoires.views", "initiatives.models", 15, False),
        Edge("medias.pipeline", "terrain.services", 212, True),
        Edge("initiatives.profile", "agenda.selectors", 75, True),
        Edge("terrain.views.public", "agenda.selectors", 3, False),  # sideways
        Edge("observatoire.cache", "terrain.models", 256, True),
        Edge("observatoire.views", "initiatives.models", 10, False),  # the site may
        Edge("publications.filters", "terrain.filters", 22, False),  # down is fine
    ]
    wrong = against_layers(edges)
    assert len(wrong) == 5
    assert wrong[0].startswith("territoires.views (line 15, at module level) imports")


def test_the_cycle_finder_finds_a_circle():
    edges = [
        Edge("medias.pipeline", "medias.services", 1, False),
        Edge("medias.services", "medias.tasks", 1, True),
        Edge("medias.tasks", "medias.pipeline", 1, False),
        Edge("medias.views", "medias.services", 1, False),
    ]
    assert cycles(edges) == [["medias.pipeline", "medias.services", "medias.tasks"]]
