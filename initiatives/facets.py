"""The directory's reads: filtered and paginated initiatives, and the counts beside each facet.

Each facet counts its values under all the *other* current filters (the usual faceted-search
rule: ticking a theme does not make the other themes drop to zero), with one aggregate query per
facet whatever the number of values or rows.
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import BooleanField, Case, Count, F, Q, Value, When
from django.db.models.functions import ExtractYear, Left, StrIndex, Substr
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from taggit.models import Tag, TaggedItem

from observatoire import cache as public_cache
from territoires.lookup import label as territory_label
from territoires.models import Level, Territory

from . import arrays, tallies
from .filters import FRENCH_COLLATION, LEVERS, Ignored, InitiativeFilterSet, by_name
from .invalidation import DIRECTORY_TAGS
from .models import Initiative, LegalForm, Organisation, Pole, Stage

PER_PAGE = 24
# The PTCE facet shows the PTCEs with the most initiatives under the current filters (and any
# chosen one); the others are asked for by name (filters.PoleField). All 841 as checkboxes were
# most of a page's 271 KB and of a signed-in directory's render.
POLES_SHOWN = 10
# What a card shows (initiatives/_results.html): the description, the search vectors and the
# rest of the two rows were read, sent and turned into Python for nothing.
CARD_FIELDS = ("name", "slug", "summary", "stage", "start_date", "territory__name")
DEFAULT_SORT = "name"


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Facet:
    """One query parameter and its values, each with the number of initiatives it would show."""

    name: str
    label: str
    values: list[FacetValue]
    kind: str = "checkboxes"  # or "select" (one value), or "territory" (links down the tree)
    more: int = 0  # values with initiatives not shown (the PTCEs past the first POLES_SHOWN)
    typeable: bool = False  # values beyond those shown may be typed (the PTCEs)

    @property
    def selected(self) -> list[FacetValue]:
        return [value for value in self.values if value.selected]


@dataclass
class TerritoryFacet(Facet):
    """The territory tree, one level at a time: where one is, the way up, the places below."""

    current: FacetValue | None = None
    path: list[FacetValue] = field(default_factory=list)  # from the top down to the parent
    total: int = 0
    typed: str = ""  # the current territory as the input shows it: "Arras (62041, commune)"


@dataclass
class Directory:
    filterset: InitiativeFilterSet
    page: Page
    facets: list[Facet]
    notices: list[str]
    ignored: list[Ignored]
    sort: list[FacetValue]

    @property
    def filtered(self) -> bool:
        return any(facet.selected or getattr(facet, "current", None) for facet in self.facets)


def browse(data, page_number=None, *, per_page=PER_PAGE) -> Directory:
    """What `/initiatives/` shows for these query parameters; never raises for a bad parameter."""
    filterset = InitiativeFilterSet(data or None, queryset=Initiative.objects.published())
    initiatives = (
        (filterset.qs.order_by(by_name(), "pk") if _unsorted(filterset) else filterset.qs)
        .select_related("territory")
        .only(*CARD_FIELDS)
    )
    facets = cached_facet_counts(filterset)
    page, notice = paginate(initiatives, page_number, per_page, count=facets.total)
    page.object_list = with_themes(list(page.object_list))
    return Directory(
        filterset=filterset,
        page=page,
        facets=facets.facets,
        notices=filterset.notices() + ([notice] if notice else []),
        ignored=filterset.ignored(),
        sort=sort_options(filterset),
    )


def with_themes(initiatives: list[Initiative]) -> list[Initiative]:
    """Each initiative with `listed_themes`, the names of its themes, for the page in one query.

    taggit's prefetch built a queryset per initiative (2.7 ms of a 24-row page, cProfile); the
    names alone spare building a tagged item and a tag per theme (7 ms for 70 of them, loaded).
    """
    content_type = ContentType.objects.get_for_model(Initiative)
    themes = {initiative.pk: [] for initiative in initiatives}
    names = (
        TaggedItem.objects.filter(content_type=content_type, object_id__in=list(themes))
        .order_by("object_id", "pk")
        .values_list("object_id", "tag__name")
    )
    for pk, name in names:
        themes[pk].append(name)
    for initiative in initiatives:
        initiative.listed_themes = themes[initiative.pk]
    return initiatives


def sort_options(filterset) -> list[FacetValue]:
    """The sort choices; the default (by name) has no value, so it stays out of the URL."""
    chosen = cleaned(filterset).get("tri")
    current = chosen[0] if chosen else DEFAULT_SORT
    return [
        FacetValue("" if value == DEFAULT_SORT else value, str(label), 0, value == current)
        for value, label in filterset.filters["tri"].extra["choices"]
    ]


def cleaned(filterset) -> dict:
    """The values understood; whatever was not is absent (see `InitiativeFilterSet.ignored`)."""
    if not filterset.is_bound:
        return {}
    filterset.is_valid()  # cleans the form once; its cleaned_data holds the valid values anyway
    return filterset.form.cleaned_data


def _unsorted(filterset) -> bool:
    return not cleaned(filterset).get("tri")


class CountedPaginator(Paginator):
    """A paginator told how many rows there are (from the facet counts) instead of counting."""

    def __init__(self, object_list, per_page, *, count: int | None = None):
        super().__init__(object_list, per_page)
        if count is not None:
            self.count = count  # the cached_property's value, set in advance


def paginate(queryset, number, per_page=PER_PAGE, *, count=None) -> tuple[Page, str | None]:
    """The page asked for, or the nearest one that exists, with a sentence saying so.

    `count`, when known, spares the COUNT(*) over the filtered rows.
    """
    paginator = CountedPaginator(queryset, per_page, count=count)
    if number in (None, ""):
        return paginator.page(1), None
    try:
        return paginator.page(number), None
    except PageNotAnInteger:
        notice = _("“%(page)s” is not a page number: here is the first page.")
        return paginator.page(1), notice % {"page": number}
    except EmptyPage:
        if _below_one(number):
            return paginator.page(1), _("Pages start at 1: here is the first page.")
        last = paginator.num_pages
        notice = _("There is no page %(page)s: here is the last page, %(last)s.")
        return paginator.page(last), notice % {"page": number, "last": last}


def _below_one(number) -> bool:
    try:
        return int(number) < 1
    except (TypeError, ValueError):
        return False


@dataclass
class FacetCounts:
    facets: list[Facet]
    total: int | None = None  # the filtered initiatives, when the counts say it (else None)


def cached_facet_counts(filterset: InitiativeFilterSet) -> FacetCounts:
    """facet_counts(), cached per set of filters (page and sort aside) until the directory changes.

    On PostgreSQL the counts come from a table the triggers keep (tallies.py, migration 0016);
    elsewhere each facet is an aggregate over every published initiative. They change only when
    public content does, which bumps the public cache's generation (observatoire/cache.py; off
    in tests and the demo).
    """
    data = filterset.data or {}
    filters = sorted(
        (key, value)
        for key in data
        if key not in ("page", "tri")
        for value in (data.getlist(key) if hasattr(data, "getlist") else [data[key]])
    )
    return public_cache.get_or_set(
        # Named anew with each change of what is kept: the total (an entry cached by the
        # list-only version has none), then the PTCEs cut to the busiest (an older entry has all).
        ("facets, busiest PTCEs", get_language(), tuple(filters)),
        lambda: facet_counts(filterset),
    )


def facet_counts(filterset: InitiativeFilterSet, *, tallied=True) -> FacetCounts:
    """Every facet's counts; `tallied=False` counts each with its own aggregate, as SQLite does
    (the tests check the table against it)."""
    public_cache.depends_on(*DIRECTORY_TAGS)  # cached: forgotten when a row they count changes
    values = cleaned(filterset)
    known = tallies.read(filterset, values) if tallied else None

    def counts(name):
        return known.counts(name) if known is not None else None

    facets = [
        territory_facet(filterset, values.get("territoire"), counts("territoire")),
        theme_facet(filterset, values.get("theme") or [], counts("theme")),
        choice_facet(
            filterset,
            "type_acteur",
            LegalForm.choices,
            _actor_type_counts,
            values.get("type_acteur") or [],
            known=counts("type_acteur"),
        ),
        lever_facet(filterset, values.get("levier") or [], counts("levier")),
        pole_facet(filterset, values.get("ptce") or [], counts("ptce")),
        choice_facet(
            filterset,
            "stade",
            Stage.choices,
            _stage_counts,
            values.get("stade") or [],
            show_empty=True,
            known=counts("stade"),
        ),
        year_facet(filterset, values.get("annee"), counts("annee")),
    ]
    return FacetCounts(facets, known.total if known is not None else None)


def _label(filterset, name) -> str:
    return str(filterset.filters[name].label)


def _counted(filterset, name):
    """The initiatives a facet counts: those under every filter but its own.

    No filter repeats a row (related objects are matched by subqueries, filters.py), so the
    aggregates read the filtered rows directly: the semi-join of the table with itself through
    a list of ids was a third of each aggregate at 100,000 initiatives (EXPLAIN ANALYZE).
    """
    return filterset.queryset_without(name)


def territory_value(territory: Territory) -> str:
    return f"{territory.level}:{territory.code}"


def territory_facet(filterset, current: Territory | None, known=None) -> TerritoryFacet:
    """The places one level below the current territory (or the régions), with their counts.

    Each initiative is counted under the path segment that follows the current territory's path,
    so the grouping is one query; below a département, a commune's initiatives count under its
    EPCI (when the EPCI belongs to that département), which one can then open. `known`: the
    counts per path prefix (one and two segments) from tallies.py, at the top or in a région.
    """
    if known is not None:
        depth = 1 if current is None else 2
        counts = {
            path: n
            for path, n in known.items()
            if path.count("/") == depth and (current is None or path.startswith(current.path))
        }
        total = sum(counts.values()) if current is None else known.get(current.path, 0)
        return _territory_facet(filterset, current, counts, total)
    initiatives = _counted(filterset, "territoire")
    if current is None:
        key = Left("territory__path", StrIndex("territory__path", Value("/")))
    elif current.level == Level.EPCI:
        initiatives = initiatives.in_territory(current)
        key = F("territory__path")
    else:
        initiatives = initiatives.in_territory(current)
        start = len(current.path)
        key = Left(
            "territory__path",
            Value(start) + StrIndex(Substr("territory__path", start + 1), Value("/")),
        )
        if current.level == Level.DEPARTEMENT:
            key = Case(
                When(
                    territory__epci__path__startswith=current.path,
                    then=F("territory__epci__path"),
                ),
                default=key,
            )
    counts = dict(
        initiatives.order_by()
        .values(place_path=key)
        .annotate(n=Count("pk"))
        .values_list("place_path", "n")
    )
    return _territory_facet(filterset, current, counts, sum(counts.values()))


def _territory_facet(filterset, current, counts: dict, total: int) -> TerritoryFacet:
    places = Territory.objects.filter(path__in=[path for path in counts if path])
    if current is not None:
        places = places.exclude(pk=current.pk)
    values = [
        FacetValue(territory_value(place), str(place), counts[place.path])
        for place in places.order_by("search_name", "pk")
    ]
    return TerritoryFacet(
        name="territoire",
        label=_label(filterset, "territoire"),
        values=values,
        kind="territory",
        current=_place(current) if current is not None else None,
        typed=territory_label(current) if current is not None else "",
        path=[_place(place) for place in current.ancestors()] if current is not None else [],
        total=total,
    )


def _place(territory: Territory) -> FacetValue:
    return FacetValue(territory_value(territory), str(territory), 0)


def theme_facet(filterset, selected, known=None) -> Facet:
    counted = _counted(filterset, "theme")
    if known is not None:
        tags = Tag.objects.filter(_among(known)).order_by(by_name(), "pk")
        rows = sorted(
            ((tag.slug, tag.name, known[str(tag.pk)]) for tag in tags),
            key=lambda row: -row[2],  # stable: equal counts keep the names' order
        )
    elif arrays.available(counted):
        rows = _theme_counts_from_arrays(counted)
    else:
        rows = (
            counted.values_list("themes__slug", "themes__name")
            .annotate(n=Count("pk"))
            .order_by("-n", by_name("themes__name"))
        )
    chosen = {tag.slug for tag in selected}
    values = [FacetValue(slug, name, n, slug in chosen) for slug, name, n in rows if slug]
    return Facet("theme", _label(filterset, "theme"), _keep_selected(values, selected))


def _theme_counts_from_arrays(initiatives) -> list[tuple[str, str, int]]:
    """(slug, name, count) per theme, most used first, from `theme_ids` (migration 0006).

    The arrays are read by an index-only scan (migration 0007): 50 ms at 100,000 initiatives,
    where joining 300,000 tagged items took 200 ms.
    """
    ids = initiatives.annotate(theme=arrays.each_theme()).values_list("theme")
    sql, params = ids.query.sql_with_params()
    with connections[initiatives.db].cursor() as cursor:
        cursor.execute(
            f"""
            SELECT tag.slug, tag.name, count(*) AS n
            FROM ({sql}) AS themes JOIN taggit_tag tag ON tag.id = themes.theme
            GROUP BY tag.id ORDER BY n DESC, tag.name COLLATE "{FRENCH_COLLATION}", tag.id
            """,
            params,
        )
        return cursor.fetchall()


def _among(ids) -> arrays.ArraySQL:
    """`id = ANY(array)`: one parameter. As `pk__in`, the 841 PTCEs' ids were 841 parameters,
    and psycopg's client-side binding alone took 7 ms to split the statement around them."""
    return arrays.ArraySQL(
        "id", "{column} = ANY(%s::bigint[])", [[int(i) for i in ids]], BooleanField()
    )


def _keep_selected(values, selected) -> list[FacetValue]:
    """A chosen value stays on screen, with 0, even when the other filters leave nothing for it."""
    shown = {value.value for value in values}
    return values + [
        FacetValue(obj.slug, obj.name, 0, True) for obj in selected if obj.slug not in shown
    ]


def pole_facet(filterset, selected, known=None) -> Facet:
    chosen = {pole.slug for pole in selected}
    more = 0
    if known is not None:
        # Names are read only for the PTCEs that can be shown: those counting at least as many
        # initiatives as the POLES_SHOWN-th (ties are then ordered by name), and the chosen ones.
        ranked = sorted(known.values(), reverse=True)
        least = ranked[POLES_SHOWN - 1] if len(ranked) >= POLES_SHOWN else 0
        wanted = {pk for pk, n in known.items() if n >= least} | {str(p.pk) for p in selected}
        more = len(known) - len(wanted & set(known))
        poles = (
            Pole.objects.published()
            .filter(_among(wanted))
            .values_list("pk", "slug", "name")
            .order_by(by_name(), "pk")
        )
        rows = [(slug, name, known[str(pk)]) for pk, slug, name in poles]
    else:
        rows = (
            Pole.objects.published()
            .filter(initiatives__in=_counted(filterset, "ptce").values("pk"))
            .annotate(n=Count("initiatives"))
            .values_list("slug", "name", "n")
            .order_by(by_name(), "pk")
        )
    # Most initiatives first; equal counts keep the names' order (the sort is stable).
    rows = sorted(((slug, name, n) for slug, name, n in rows if n), key=lambda row: -row[2])
    shown = [row for index, row in enumerate(rows) if index < POLES_SHOWN or row[0] in chosen]
    values = [FacetValue(slug, name, n, slug in chosen) for slug, name, n in shown]
    facet = Facet("ptce", _label(filterset, "ptce"), _keep_selected(values, selected))
    facet.more = more + len(rows) - len(shown)
    facet.typeable = facet.more > 0 or len(values) > POLES_SHOWN  # one more may still be typed
    return facet


def _actor_type_counts(initiatives) -> dict:
    """Initiatives per legal form of their published organisations (one initiative, many forms).

    On PostgreSQL from `actor_forms` (migration 0009), read with the other facets' columns by an
    index-only scan. Elsewhere, over the distinct (form, initiative) pairs.
    """
    if arrays.available(initiatives):
        forms = initiatives.annotate(form=arrays.each_actor_form()).values_list("form")
        return _grouped_counts(forms, "form")
    pairs = (
        Organisation.objects.published()
        .filter(roles__initiative__in=initiatives)
        .annotate(form=F("legal_form"), counted=F("roles__initiative_id"))
        .values_list("form", "counted")
        .order_by()
        .distinct()
    )
    return _grouped_counts(pairs, "form")


def _grouped_counts(rows, column: str) -> dict:
    """{value: number of rows} of one column of a queryset, grouped in the database."""
    sql, params = rows.query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(
            f"SELECT {column}, count(*) FROM ({sql}) AS grouped GROUP BY {column}", params
        )
        return dict(cursor.fetchall())


def _stage_counts(initiatives) -> dict:
    return dict(initiatives.values_list("stage").annotate(n=Count("pk")).order_by())


def choice_facet(
    filterset, name, choices, counter, selected, *, show_empty=False, known=None
) -> Facet:
    """A facet over fixed choices, in their order; `show_empty` lists those counting 0 too."""
    counts = known if known is not None else counter(_counted(filterset, name))
    values = [
        FacetValue(value, str(label), counts.get(value, 0), value in selected)
        for value, label in choices
        if show_empty or counts.get(value) or value in selected
    ]
    return Facet(name, _label(filterset, name), values)


def lever_facet(filterset, selected, known=None) -> Facet:
    if known is not None:
        counts = {lever: known.get(lever, 0) for lever, _name in LEVERS}
    else:
        counts = _counted(filterset, "levier").aggregate(
            **{lever: Count("pk", filter=Q(**{lever: True})) for lever, _name in LEVERS}
        )
    values = [
        FacetValue(lever, str(label), counts[lever], lever in selected) for lever, label in LEVERS
    ]
    return Facet("levier", _label(filterset, "levier"), values)


def year_facet(filterset, selected: int | None, known=None) -> Facet:
    if known is not None:
        rows = sorted(((int(year), n) for year, n in known.items()), reverse=True)
    else:
        rows = (
            _counted(filterset, "annee")
            .filter(start_date__isnull=False)
            .annotate(year=ExtractYear("start_date"))
            .values_list("year")
            .annotate(n=Count("pk"))
            .order_by("-year")
        )
    values = [FacetValue(str(year), str(year), n, year == selected) for year, n in rows]
    if selected is not None and not any(value.selected for value in values):
        values.append(FacetValue(str(selected), str(selected), 0, True))
    return Facet("annee", _label(filterset, "annee"), values, kind="select")
