"""Page panels: what other apps contribute to a profile, organisation, PTCE or territory page.

Modelled on NetBox's plugin template extensions: the host page names its *page* ("initiative",
"organisation", "pole", "territory") and its *slots* ("main", "side", "content", "head",
"scripts"); an app registers, in its `AppConfig.ready()`, a panel for a page with its own read
(`read(obj, request)`, its selector), its own cache key (`cache=True`: cached per object until
what the read declared with `depends_on` changes, see observatoire.cache; off for a read that
depends on the request, such as a page number) and one template per slot. The host imports none
of the contributing apps: its view calls `collect(page, obj, request)` and its template
`{% panels "side" %}`; panels render in their `order`, each with its data under its `name` and
the object as `subject`.

A panel that is usually empty (a profile's events, findings, radar, photos) may also register a
`probe` (`probe(obj)`: a queryset that has rows whenever the read could show something) and an
`empty` (`empty(obj)`: the read's value when there is nothing, declaring what the read declares
then; it may depend on the object's pk only: it is compiled once per process). The page's probes
run together in one statement, the first time one of them is needed; only the panels whose probe
found rows run their read. Four queries on most profiles become one.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from . import cache as public_cache

_REGISTRY: dict[tuple[str, str], "Panel"] = {}


@dataclass(frozen=True)
class Panel:
    page: str  # the host page: "initiative", "organisation", "pole", "territory"
    name: str  # the data's name in the panel's templates, and in the cache key
    read: Callable  # (obj, request) -> data
    templates: dict[str, str] = field(default_factory=dict)  # slot -> template name
    order: int = 50  # lower first within a slot
    cache: bool = False  # cache the read per object (not for reads that depend on the request)
    spread: bool = False  # the data is a dict of names for the templates, not one value
    probe: Callable | None = None  # (obj) -> a queryset with rows whenever there is something
    empty: Callable | None = None  # (obj) -> the data when the probe found nothing


@dataclass
class Collected:
    """A page's panels with their data, in order: what `{% panels slot %}` renders."""

    subject: Any
    entries: list[tuple[Panel, Any]]

    def data(self) -> dict:
        """The names the panels' templates see: each panel's data (spread: its names)."""
        names = {}
        for panel, value in self.entries:
            names.update(value if panel.spread else {panel.name: value})
        return names

    def names_of(self, panel, value) -> dict:
        return {**(value if panel.spread else {panel.name: value}), "subject": self.subject}

    def in_slot(self, slot: str) -> list[tuple[Panel, Any]]:
        return [(panel, value) for panel, value in self.entries if slot in panel.templates]


def register(
    page,
    name,
    read,
    *,
    templates: dict,
    order=50,
    cache=False,
    spread=False,
    probe=None,
    empty=None,
) -> Panel:
    """Contribute a panel to `page` (once per page and name: a second `ready()` replaces it)."""
    if (probe is None) != (empty is None):
        raise ValueError("a probe needs the data to show when it finds nothing, and vice versa")
    panel = Panel(page, name, read, dict(templates), order, cache, spread, probe, empty)
    _REGISTRY[(page, name)] = panel
    return panel


def registered(page: str) -> list[Panel]:
    panels = [panel for (on, _name), panel in _REGISTRY.items() if on == page]
    return sorted(panels, key=lambda panel: (panel.order, panel.name))


# A pk no row has: a probe is compiled once per process for it, then run with the object's pk in
# its place (compiling the profile's four probes took longer than running them: 7 ms under load).
_SENTINEL = -7_153_024_689
_compiled: dict = {}


def _compiled_probe(panel, obj) -> tuple[str, list]:
    """The probe's SQL and its parameters for `obj`; a probe depends on the object's pk only."""
    from django.db import connection

    model = type(obj)
    key = (panel.probe, model, connection.vendor)  # the SQLite demo compiles its own
    if key not in _compiled:
        sentinel = model(pk=_SENTINEL)
        sentinel._state.adding = False  # a saved row, for the related filters
        probe = panel.probe(sentinel).order_by().values("pk")[:1]
        sql, params = probe.query.sql_with_params()
        marks = [
            (index, str) if value == str(_SENTINEL) else (index, None)
            for index, value in enumerate(params)
            if value in (_SENTINEL, str(_SENTINEL))
        ]
        _compiled[key] = (sql, list(params), marks) if marks else None
    compiled = _compiled[key]
    if compiled is None:  # the pk is not a parameter: compiled for each object
        return panel.probe(obj).order_by().values("pk")[:1].query.sql_with_params()
    sql, params, marks = compiled
    params = list(params)
    for index, cast in marks:
        params[index] = cast(obj.pk) if cast else obj.pk
    return sql, params


def _probed(panels, obj) -> dict[str, bool]:
    """{panel name: whether its probe found a row}, for all of them in one statement."""
    from .compiled import prepared_cursor

    selects, params = [], []
    for panel in panels:
        sql, values = _compiled_probe(panel, obj)
        selects.append(f"EXISTS({sql})")
        params += values
    # Prepared (observatoire/compiled.py): the probes look rows up by the object's id, which a
    # generic plan serves as well; planning them took longer than running them.
    with prepared_cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(selects), params)
        found = cursor.fetchone()
    return {panel.name: bool(exists) for panel, exists in zip(panels, found, strict=True)}


def collect(page: str, obj, request=None) -> Collected:
    """Every panel's data for `obj`; the cached reads in one round trip to the cache, the probes
    (when a read must run) in one statement."""
    panels = registered(page)
    probed = [panel for panel in panels if panel.probe]
    found = {}

    def read(panel):
        if panel.probe is None:
            return panel.read(obj, request)
        if not found:
            found.update(_probed(probed, obj))
        return panel.read(obj, request) if found[panel.name] else panel.empty(obj)

    cached = {
        (page, panel.name, getattr(obj, "pk", None)): partial(read, panel)
        for panel in panels
        if panel.cache
    }
    values = public_cache.get_or_set_many(cached) if cached else {}
    entries = []
    for panel in panels:
        if panel.cache:
            entries.append((panel, values[(page, panel.name, getattr(obj, "pk", None))]))
        else:
            entries.append((panel, read(panel)))
    return Collected(obj, entries)
