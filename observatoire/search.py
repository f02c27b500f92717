"""Site search: one query over initiatives, organisations, PTCEs and territories.

On PostgreSQL: full-text search in `french_unaccent` (French stemming, accents folded) over the
`search_vector` columns that triggers keep up to date (the 0002 migrations of initiatives and
territoires), ranked, with highlighted snippets; a place name typed in the query is recognised and
narrows the results to that territory; when nothing matches, each word no public text uses is
replaced by the closest word that one does (`correct`: pg_trgm similarity over the words of the
public texts, the `search_word` table) and the corrected query is searched; failing that, a
typo-tolerant fallback on names (pg_trgm word similarity, indexed). On SQLite, the embedded
default, the same search runs on FTS5 tables that triggers keep up to date in the same way
(search_sqlite.py): the same French stems and stop words, bm25 ranking, highlighted snippets,
corrections from the FTS5 vocabularies and a trigram fallback for typos. Rows come only
from `published()` and `current()`.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramWordSimilarity,
)
from django.core.paginator import Page, Paginator
from django.db import connection, connections, transaction
from django.db.models import BooleanField, F, Func, QuerySet, TextField, Value
from django.db.models.expressions import OrderBy, RawSQL
from django.db.models.functions import Concat, Lower
from django.db.models.query import get_related_populators
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from initiatives.models import Initiative, Organisation, Pole
from observatoire import search_sqlite
from observatoire.compiled import Compiled, prepared_cursor
from terrain.models import Finding
from territoires.models import Level, Territory
from territoires.names import fold as fold_name

CONFIG = "french_unaccent"
MAX_QUERY_LENGTH = 200
OVERVIEW_SIZE = 5  # rows per kind on the overview; the rest behind "see all"
PAGE_SIZE = 20  # rows per page when one kind is shown
FUZZY_THRESHOLD = 0.45  # pg_trgm word similarity; its default (0.6) misses two-typo queries
# pg_trgm similarity (its default threshold) for a word of the texts to stand for a typed word that
# no text uses; shorter typed words are left alone (too few trigrams to tell words apart).
CORRECTION_THRESHOLD = 0.3
SHORTEST_CORRECTED = 3
MAX_PLACE_WORDS = 8  # longest place name looked for ("Communauté de communes du ...")
# ts_headline marks matches with two private-use characters (removed from the source text first);
# they become <mark> once the rest is escaped, so no other markup can get through.
START, STOP = "\ue000", "\ue001"
LEVEL_RANK = {
    Level.REGION: 0,
    Level.COLLECTIVITY: 0,
    Level.DEPARTEMENT: 1,
    Level.EPCI: 2,
    Level.COMMUNE: 3,
}
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Kind:
    """One kind of result: where its public rows come from and which text it is searched by."""

    key: str  # the `type` query parameter, part of public links
    label: Any
    rows: Any  # () -> queryset of public rows, with what the results show
    title: str = "name"
    text: tuple[str, ...] = ("summary", "description")  # the snippet's source
    order: tuple = ("name", "pk")  # among equally ranked rows
    within: Any = None  # (queryset, territory) -> the rows in that territory
    # The columns a hit shows (its title, link and context line): the rows shown read no other.
    shown: tuple[str, ...] = ("name", "slug", "territory", "territory__name")

    def context(self, obj) -> str:
        """A line under the title: where it is."""
        if isinstance(obj, Territory):
            parent = f" · {obj.parent.name}" if obj.parent_id else ""
            return f"{obj.get_level_display()}{parent}"
        return obj.territory.name if getattr(obj, "territory_id", None) else ""


KINDS = {
    kind.key: kind
    for kind in [
        Kind(
            "initiatives",
            _("Initiatives"),
            lambda: Initiative.objects.published().select_related("territory"),
            within=lambda queryset, territory: queryset.in_territory(territory),
        ),
        Kind(
            "acteurs",
            _("Organisations"),
            lambda: Organisation.objects.published().select_related("territory"),
            within=lambda queryset, territory: queryset.in_territory(territory),
        ),
        Kind(
            "ptce",
            _("PTCEs"),
            lambda: Pole.objects.published().select_related("territory"),
            within=lambda queryset, territory: queryset.in_territory(territory),
        ),
        Kind(
            "territoires",
            _("Territories"),
            lambda: Territory.objects.current().select_related("parent"),
            text=(),
            order=(F("population").desc(nulls_last=True), "name", "pk"),
            within=lambda queryset, territory: queryset.within(territory),
            shown=("name", "level", "code", "parent", "parent__name"),
        ),
        Kind(
            "enseignements",
            _("Findings"),
            lambda: Finding.objects.published(),
            title="title",
            text=("summary", "text", "public_quotes_text"),
            order=("title", "pk"),
            shown=("title", "slug"),
            within=lambda queryset, territory: queryset.filter(
                pk__in=Finding.objects.filter(
                    initiatives__in=Initiative.objects.in_territory(territory)
                ).values("pk")
            ),
        ),
    ]
}


@dataclass
class Hit:
    object: Any
    title: SafeString
    snippet: SafeString
    context: str

    @property
    def url(self) -> str:
        return self.object.get_absolute_url()


@dataclass
class Group:
    kind: Kind
    page: Page  # of Hit

    @property
    def count(self) -> int:
        return self.page.paginator.count


@dataclass
class Results:
    query: str = ""
    truncated: bool = False  # the query was cut to MAX_QUERY_LENGTH
    groups: list[Group] = field(default_factory=list)
    territory: Territory | None = None  # the place named in the query
    scoped: bool = False  # the results are those in `territory`
    widened: bool = False  # nothing in `territory` matched, so these come from anywhere
    fuzzy: bool = False  # nothing matched; these names are close to the query
    corrected: str = ""  # nothing matched the query; these are the results of this spelling of it
    any_word: bool = False  # no row has every word of the query; these have one of them at least

    @property
    def total(self) -> int:
        return sum(group.count for group in self.groups)


class ImmutableUnaccent(Func):
    function = "immutable_unaccent"
    output_field = TextField()


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


def clean_query(raw: str) -> tuple[str, bool]:
    """Printable text in single spaces, at most MAX_QUERY_LENGTH long; and whether it was cut."""
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in raw or "").split())
    if len(text) <= MAX_QUERY_LENGTH:
        return text, False
    cut = text[:MAX_QUERY_LENGTH]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut), True


def search(raw_query: str, *, kind: str | None = None, page=1, everywhere=False) -> Results:
    """Results grouped by kind: all kinds (a few rows each) or one kind, paginated.

    Tried in order until something matches: the other words in the territory named in the query
    (unless `everywhere`); the whole query; the other words anywhere; the query with the words
    no public text uses corrected (`correct`); any of its words, when every one is used by some
    text; names that look like the query. The number of SQL
    queries is bounded and does not depend on the rows shown.
    """
    text, truncated = clean_query(raw_query)
    results = Results(query=text, truncated=truncated)
    if not text:
        return results
    kinds = [KINDS[kind]] if kind else list(KINDS.values())
    size, number = (PAGE_SIZE, page) if kind else (OVERVIEW_SIZE, 1)

    def attempt(words, territory=None, fuzzy=False) -> bool:
        # SQLite: the words' stems are looked up in the index's vocabulary once for every kind.
        query = words if fuzzy or on_postgresql() else search_sqlite.match_expression(words)
        results.groups = _groups(kinds, query, size, number, territory, fuzzy)
        return results.total > 0

    results.territory, rest = recognise_territory(text)
    if results.territory and rest and not everywhere:
        if attempt(rest, results.territory):
            results.scoped = True
            return results
        results.widened = True
    if attempt(text) or (results.territory and rest and attempt(rest)):
        return results
    # A typo: the corrected spelling is searched as any query (its GIN index, its ranking). The
    # names that look like the whole query are the last resort: ranking every name close to a
    # mistyped common word cost 100-500 ms at national scale.
    unknown = _unknown(text)
    corrected = _corrected(text, unknown)
    if corrected and attempt(corrected):
        results.corrected = corrected
        return results
    # Every word is one that texts use, never all together: the rows with any of them, ranked
    # as any search (the rows with more of the words first), rather than names like the query.
    any_word = "" if unknown or not _typed(text) else _any_word(text)
    if any_word and attempt(any_word):
        results.any_word = True
        return results
    if not on_postgresql():
        results.fuzzy = attempt(text, fuzzy=True)
        return results
    with transaction.atomic():
        # Local to this transaction: only the fallback's operator (%>) reads it.
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL pg_trgm.word_similarity_threshold = {FUZZY_THRESHOLD:.2f}")
        results.fuzzy = attempt(text, fuzzy=True)
    return results


def _groups(kinds, text: str, size: int, number, territory=None, fuzzy=False) -> list[Group]:
    """One group per kind. On PostgreSQL, with several kinds (the overview), the ranked ids of
    every kind come in one compiled statement (a UNION ALL of each kind's ranking), then the
    rows shown of each kind that has some: no queryset is built, and a statement and a round
    trip fewer per kind."""
    if len(kinds) > 1 and on_postgresql():
        sql, params = _rankings_sql(kinds, size, territory, fuzzy)
        found = {kind.key: [] for kind in kinds}
        with connection.cursor() as cursor:
            cursor.execute(sql, _replaced(params, text, {}, territory))
            for pk, total, key in cursor.fetchall():
                found[key].append((pk, total))
        groups = []
        for kind in kinds:
            hit = (_similar_hit if fuzzy else _fulltext_hit)(kind, text)
            page, objects = _page([], size, 1, hit.shown, found[kind.key])
            page.object_list = [hit(obj) for obj in objects]
            groups.append(Group(kind, page))
        return groups
    groups = []
    for kind in kinds:
        rows, hit = _matching(kind, text, territory, fuzzy)
        page, objects = _page(rows, size, number, getattr(hit, "shown", None))
        if hasattr(hit, "prepare"):
            hit.prepare(objects)  # what the hits show, for the page's rows at once
        page.object_list = [hit(obj) for obj in objects]
        groups.append(Group(kind, page))
    return groups


_TEXT = "\ue002query\ue002"  # stands for the query's text in a compiled ranking
_PATH = "\ue002path\ue002"  # the named territory's path, whole or in a LIKE pattern
_PK = -(2**62) + 7  # the named territory's id (never an id: it is negative)
_RANKINGS = {}  # (database, kinds, size, kind of place, fuzzy) -> the rankings' SQL, params


def _rankings_sql(kinds, size: int, territory=None, fuzzy=False) -> tuple[str, list]:
    """The overview's rankings (each kind's `size` best ids with its total) in one UNION ALL.

    Only the query's text and the place named change from one search to the next: the
    statement is compiled by the ORM once per shape (kinds, size, whether a place is named and
    whether it is an EPCI, whose communes are found by membership, fuzzy) with stand-ins for
    the text and the place, whose parameters are then replaced (`_replaced`). Compiling the
    five rankings, each with its window and full-text expressions, was a third of the page's
    Python time; a query naming a place had compiled them again for each place.
    """
    place = None if territory is None else territory.level == Level.EPCI
    key = (connection.alias, tuple(kind.key for kind in kinds), size, place, fuzzy)
    if key not in _RANKINGS:
        stand_in = None
        if territory is not None:
            stand_in = Territory(pk=_PK, level=territory.level, path=_PATH)
        parts, params = [], []
        for kind in kinds:
            rows = _matching(kind, _TEXT, stand_in, fuzzy)[0]
            sql, part_params = _ranking_sql(rows, size)
            parts.append(f"(SELECT pk, total, %s FROM ({sql}) AS {kind.key})")
            params += [kind.key, *part_params]
        _RANKINGS[key] = (" UNION ALL ".join(parts), params)
    return _RANKINGS[key]


def _ranking_sql(rows: QuerySet, size: int, start: int = 0) -> tuple[str, list]:
    """(pk, total): the ids of the ranked rows `start` to `start + size` with the number of
    matches, over narrow rows (no column shown is read).

    The matches with their rank and order keys are computed first (`OFFSET 0` keeps the
    subquery apart, so the rank is computed once, below the window); the count is a window
    over all of them (`count(*) OVER ()`, no sort), then the page is a top-N sort of those
    narrow rows. Ordering the window as the rows (what the ORM can express) sorted every
    match in full, comparing names: for a broad query most of the time beyond `ts_rank`'s.
    """
    keys, order = [], []
    for i, item in enumerate(rows.query.order_by):
        if isinstance(item, str):
            expression = OrderBy(F(item.lstrip("-")), descending=item.startswith("-"))
        else:
            expression = item
        keys.append(expression.expression)
        nulls = " NULLS LAST" if expression.nulls_last else ""
        nulls = " NULLS FIRST" if expression.nulls_first else nulls
        order.append(f"o{i} {'DESC' if expression.descending else 'ASC'}{nulls}")
    inner = (
        rows.order_by()
        .values_list("pk")
        .annotate(**{f"search_o{i}": key for i, key in enumerate(keys)})
    )
    sql, params = inner.query.get_compiler(connection=connection).as_sql()
    columns = ", ".join(["pk", *(f"o{i}" for i in range(len(keys)))])
    return (
        f"SELECT pk, total FROM (SELECT *, count(*) OVER () AS total FROM ({sql} OFFSET 0) "
        f"AS matches ({columns})) AS counted ORDER BY {', '.join(order)} "
        f"LIMIT {int(size)} OFFSET {int(start)}",
        list(params),
    )


def _matching(kind: Kind, text: str, territory=None, fuzzy=False):
    """The kind's public rows matching the text, ranked; and how to show each as a Hit."""
    rows = kind.rows()
    if territory is not None:
        rows = kind.within(rows, territory)
    if not on_postgresql():
        return (_similar_sqlite if fuzzy else _fulltext_sqlite)(kind, rows, text)
    return (_similar if fuzzy else _fulltext)(kind, rows, text)


def _ranked(rows: QuerySet, size: int, start: int) -> list[tuple]:
    """(pk, number of matches) of the ranked rows `start` to `start + size` (`_ranking_sql`)."""
    sql, params = _ranking_sql(rows, size, start)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _page(rows, size: int, number, shown=None, found=None) -> tuple[Page, list]:
    """The page's rows, evaluated here (not in templates), and the page that counts them.

    On PostgreSQL, in two statements: the page's ids with the number of matches (a window
    count, see `_ranking_sql`), ranked over narrow rows (or `found`, already ranked); then
    `shown(ids)`, what those few rows show (headlines, territory) read by primary key. The
    paginator's count and page each matched the query again.
    """
    paginator = Paginator(rows, size)
    ranked = isinstance(rows, QuerySet) or found is not None
    if shown is None or not ranked or not on_postgresql():
        page = paginator.get_page(number)
        return page, list(page.object_list)
    try:
        number = max(int(number), 1)
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * size
    if found is None:
        found = _ranked(rows, size, start)
    if not found and number > 1:  # past the last page: the last one, as get_page() does
        paginator.count = rows.count()
        number = paginator.num_pages
        start = (number - 1) * size
        found = _ranked(rows, size, start)
    paginator.count = found[0][1] if found else 0  # the cached property, set
    page = paginator.page(number)
    ids = [pk for pk, _total in found]
    by_pk = {obj.pk: obj for obj in shown(ids)} if ids else {}
    return page, [by_pk[pk] for pk in ids if pk in by_pk]


def _fulltext(kind: Kind, rows: QuerySet, text: str):
    query = SearchQuery(text, config=CONFIG, search_type="websearch")
    rows = rows.filter(search_vector=query).annotate(
        search_rank=SearchRank(F("search_vector"), query)
    )
    return rows.order_by("-search_rank", *kind.order), _fulltext_hit(kind, text)


def _fulltext_hit(kind: Kind, text: str):
    """How a full-text match is shown: `hit(obj)`, and `hit.shown(ids)`, the page's rows with
    their headlines (the query's words marked), read by id."""

    def hit(obj):
        snippet = getattr(obj, "search_snippet", "")
        return Hit(obj, _marked(obj.search_title), _marked(snippet), kind.context(obj))

    def shown(ids):  # the headlines of the page's rows only (their text is read by ts_headline)
        return _loaded(
            ("fulltext", kind.key),
            lambda words, pks: _shown(kind, pks, text=False).annotate(**_headlines(kind, words)),
            text,
            ids,
        )

    hit.shown = shown
    return hit


def _headlines(kind: Kind, text: str) -> dict:
    """The title and the snippet of a hit, with the query's words marked (ts_headline)."""
    query = SearchQuery(text, config=CONFIG, search_type="websearch")
    marks = {"config": CONFIG, "start_sel": START, "stop_sel": STOP}
    annotations = {
        "search_title": SearchHeadline(
            _unmarked(F(kind.title)), query, highlight_all=True, **marks
        ),
    }
    if kind.text:
        annotations["search_snippet"] = SearchHeadline(
            _unmarked(Concat(*_spaced(kind.text), output_field=TextField())),
            query,
            max_words=30,
            min_words=12,
            max_fragments=2,
            fragment_delimiter=" … ",
            **marks,
        )
    return annotations


def _similar(kind: Kind, rows: QuerySet, text: str):
    """Names close to the query, typos included; the expression is the one the index is on."""
    folded_query = ImmutableUnaccent(Lower(Value(text)))
    rows = (
        rows.annotate(search_folded=ImmutableUnaccent(Lower(kind.title)))
        .filter(search_folded__trigram_word_similar=folded_query)
        .annotate(search_similarity=TrigramWordSimilarity(folded_query, "search_folded"))
        .order_by("-search_similarity", *kind.order)
    )
    return rows, _similar_hit(kind, text)


def _similar_hit(kind: Kind, text: str):
    def hit(obj):
        return Hit(obj, escape(getattr(obj, kind.title)), _plain(kind, obj), kind.context(obj))

    hit.shown = lambda ids: _loaded(
        ("similar", kind.key), lambda _w, pks: _shown(kind, pks), text, ids
    )
    return hit


# Stand for the ids of the rows shown in a compiled statement (never ids: they are negative).
_IDS = [-(2**62) - i for i in range(max(PAGE_SIZE, OVERVIEW_SIZE))]
_LOADERS = {}  # (database, search, kind, ids) -> the compiled statement and its compiler


def _loaded(key, build, text: str, ids: list) -> list:
    """The model instances `build(text, ids)` selects, as the queryset would give them.

    The statement is compiled by the ORM once per kind and number of ids (the page's, padded
    with its last id: the same rows), with stand-ins for the text and the ids whose parameters
    are then replaced; the compiler's description of its columns builds the instances (with
    their territory, selected with them, and the headlines). Compiling the headlines and the
    joined rows cost about 2 ms of CPU per kind shown.
    """
    size = OVERVIEW_SIZE if len(ids) <= OVERVIEW_SIZE else len(_IDS)
    key = (connection.alias, *key, size)
    if key not in _LOADERS:
        compiler = build(_TEXT, _IDS[:size]).query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        _LOADERS[key] = (compiler, sql, list(params))
    compiler, sql, params = _LOADERS[key]
    padded = dict(zip(_IDS, [*ids, *[ids[-1]] * (size - len(ids))], strict=False))
    # Prepared: read by primary key, its plan does not depend on the values, and planning the
    # join with its headlines cost as much as running it (0.4 of 0.85 ms per kind shown).
    with prepared_cursor() as cursor:
        cursor.execute(sql, _replaced(params, text, padded))
        rows = cursor.fetchall()
    select, info, annotations = compiler.select, compiler.klass_info, compiler.annotation_col_map
    start, end = info["select_fields"][0], info["select_fields"][-1] + 1
    names = [column[0].target.attname for column in select[start:end]]
    related = get_related_populators(info, select, connection.alias)
    objects = []
    for row in compiler.results_iter([rows]):
        obj = info["model"].from_db(connection.alias, names, row[start:end])
        for populator in related:
            populator.populate(row, obj)
        for name, position in annotations.items():
            setattr(obj, name, row[position])
        objects.append(obj)
    return objects


def _replaced(params: list, text: str, ids: dict, territory=None) -> list:
    """The compiled parameters with the query's text, the ids and the place named in place of
    their stand-ins (the place's path escaped for LIKE where it is in a pattern, as the ORM
    does)."""
    out = []
    for param in params:
        if param == _TEXT:
            param = text
        elif type(param) is int and param == _PK and territory is not None:
            param = territory.pk
        elif type(param) is int:
            param = ids.get(param, param)
        elif territory is not None and type(param) is str and _PATH in param:
            path = territory.path
            param = path if param == _PATH else param.replace(_PATH, _like(path))
        out.append(param)
    return out


def _like(value: str) -> str:
    return connection.ops.prep_for_like_query(value)


def _shown(kind: Kind, ids: list, text: bool = True) -> QuerySet:
    """The public rows `ids` with the columns their hits show (`Kind.shown`), and the text of
    their snippet unless ts_headline makes it (`text=False`)."""
    return kind.rows().filter(pk__in=ids).order_by().only(*kind.shown, *(kind.text if text else ()))


def _fulltext_sqlite(kind: Kind, rows: QuerySet, expression: str):
    """SQLite: the rows the FTS5 index matches (search_sqlite.py), by bm25, highlighted.

    The rows are joined with the index, which the planner reads first (the MATCH), so bm25 is
    computed once per match; the marks and snippets of the page's rows come in one more query.
    """
    if not expression:
        return rows.none(), None  # no indexed word can match: no row, so no hit to build
    table = rows.model._meta.db_table
    fts = search_sqlite.INDEXES[table].name
    weights = ", ".join(str(weight) for weight in search_sqlite.WEIGHTS)
    rows = rows.extra(  # noqa: S610 - a join with a virtual table, which the ORM cannot express
        tables=[fts],
        where=[f'{fts}.rowid = "{table}"."id"', f"{fts} MATCH %s"],
        params=[expression],
        select={"search_rank": f"bm25({fts}, {weights})"},
    ).order_by("search_rank", *kind.order)  # bm25 is lower for better matches
    marks = {}

    def prepare(objects):
        if not objects:
            return
        ends = f"'{START}', '{STOP}'"
        snippet = f"{ends}, ' … ', {search_sqlite.SNIPPET_TOKENS}"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, highlight({fts}, 0, {ends}), snippet({fts}, 2, {snippet}), "
                f"snippet({fts}, 3, {snippet}) FROM {fts} WHERE {fts} MATCH %s "
                f"AND rowid IN ({', '.join(['%s'] * len(objects))})",
                [expression, *[obj.pk for obj in objects]],
            )
            marks.update((row[0], row[1:]) for row in cursor.fetchall())

    def hit(obj):
        title, lead, body = marks.get(obj.pk, (escape(getattr(obj, kind.title)), "", ""))
        found = [part for part in (lead, body) if START in (part or "")]
        snippet = " … ".join(found).strip() if found else Truncator(_source(kind, obj)).words(30)
        return Hit(obj, _marked(title), _marked(snippet), kind.context(obj))

    hit.prepare = prepare
    return rows, hit


def _similar_sqlite(kind: Kind, rows: QuerySet, text: str):
    """SQLite: names sharing trigrams with the query, scored as pg_trgm's word similarity."""
    fts = search_sqlite.INDEXES[rows.model._meta.db_table].name
    expression = search_sqlite.fuzzy_expression(text)
    if not expression:
        return [], None
    candidates = RawSQL(
        f"SELECT rowid FROM {fts}_trigram WHERE {fts}_trigram MATCH %s ORDER BY rank LIMIT %s",
        [expression, search_sqlite.FUZZY_CANDIDATES],
    )
    scored = [
        (search_sqlite.word_similarity(text, getattr(obj, kind.title)), obj)
        for obj in rows.filter(pk__in=candidates).order_by(*kind.order)
    ]
    # Strictly above, as pg_trgm's operator: a score on the threshold does not match there.
    close = [obj for score, obj in sorted(scored, key=lambda p: -p[0]) if score > FUZZY_THRESHOLD]

    def hit(obj):
        return Hit(obj, escape(getattr(obj, kind.title)), _plain(kind, obj), kind.context(obj))

    return close, hit


def _spaced(fields):
    """Concat() arguments joining the fields with spaces (it needs two at least)."""
    parts = [Value("")]
    for name in fields:
        parts += [F(name), Value(" ")]
    return parts


def _unmarked(expression):
    """The source text without the two marker characters, so every mark comes from ts_headline."""
    return Func(expression, Value(START + STOP), Value(""), function="translate")


def _marked(text: str) -> SafeString:
    """Escape ts_headline's output, then turn its markers into balanced <mark> elements."""
    out, open_ = [], False
    for part in re.split(f"([{START}{STOP}])", text or ""):
        if part == START and not open_:
            out.append("<mark>")
            open_ = True
        elif part == STOP and open_:
            out.append("</mark>")
            open_ = False
        elif part not in (START, STOP):
            out.append(escape(part))
    if open_:
        out.append("</mark>")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text is escaped above


def _source(kind: Kind, obj) -> str:
    return " ".join(filter(None, (getattr(obj, name) for name in kind.text)))


def _plain(kind: Kind, obj) -> SafeString:
    return escape(Truncator(_source(kind, obj)).words(30))


def _places(names):
    return Territory.objects.current().filter(search_name__in=names).defer("search_vector")


# The current territories of these folded names, compiled once (observatoire/compiled.py): every
# query's candidate names are looked up, and compiling the lookup cost more than running it.
_PLACES = Compiled(
    lambda names: (
        Territory.objects.current()
        .filter(
            RawSQL(
                '"territoires_territory"."search_name" = ANY(%s::text[])',
                (names,),
                output_field=BooleanField(),
            )
        )
        .defer("search_vector")
    ),
    list,
    prepared=True,
)


def recognise_territory(text: str) -> tuple[Territory | None, str]:
    """The current territory named in the query, and the query without that name.

    The longest name wins (a region before a commune of the same name, then the most populous),
    compared as territoires.names folds them (no case, accents or punctuation, "st" as
    "saint"): "hauts de france" names "Hauts-de-France", "st omer" Saint-Omer.
    """
    words = list(WORD.finditer(text))[:30]
    spans = {}  # candidate -> (start, end, number of words)
    for i in range(len(words)):
        for j in range(i, min(i + MAX_PLACE_WORDS, len(words))):
            candidate = " ".join(word.group() for word in words[i : j + 1])
            if len(candidate) >= 3 and not candidate.isdigit():
                spans.setdefault(candidate, (words[i].start(), words[j].end(), j - i + 1))
    if not spans:
        return None, text
    folded = {}
    for candidate, span in spans.items():
        folded.setdefault(fold_name(candidate), span)
    places = (_PLACES.rows if on_postgresql() else _places)(list(folded))
    found = [(territory, folded[territory.search_name]) for territory in places]
    if not found:
        return None, text
    territory, (start, end, _count) = min(
        found,
        key=lambda pair: (
            -pair[1][2],
            LEVEL_RANK.get(pair[0].level, 4),
            -(pair[0].population or 0),
            pair[0].name,
        ),
    )
    return territory, " ".join(f"{text[:start]} {text[end:]}".split())


def correct(text: str) -> str:
    """The query with each word that no public text uses replaced by the closest word one uses
    (trigram similarity at least CORRECTION_THRESHOLD, then the word more texts use); "" when no
    word changes. Words are compared folded (no case, no accents); the rest of the query (its
    quotes, `-`, `or`) is kept as typed.
    """
    return _corrected(text, _unknown(text))


def _typed(text: str) -> list[str]:
    """The query's words that may be corrected, folded: letters only, three at least."""
    return sorted(
        {
            search_sqlite.fold(word)
            for word in WORD.findall(text)
            if len(word) >= SHORTEST_CORRECTED and word.isalpha() and word.lower() != "or"
        }
    )


def _unknown(text: str) -> dict[str, str | None]:
    """{typed word that no public text uses: the closest word one uses, or None}."""
    typed = _typed(text)
    if not typed:
        return {}
    if on_postgresql():
        return _closest(typed)
    return search_sqlite.closest(typed, CORRECTION_THRESHOLD)


def _corrected(text: str, unknown: dict) -> str:
    closest = {typed: word for typed, word in unknown.items() if word}
    if not closest:
        return ""
    corrected = WORD.sub(lambda m: closest.get(search_sqlite.fold(m.group()), m.group()), text)
    return corrected if corrected != text else ""


def _any_word(text: str) -> str:
    """The query as alternatives (`a or b`): for a plain query of several words that some texts
    use, but none together; "" for a query with syntax of its own (quotes, `-`, `or`)."""
    words = WORD.findall(text)
    if len(words) < 2 or any(mark in text for mark in ('"', "-")):
        return ""
    if any(word.lower() == "or" for word in words):
        return ""
    return " or ".join(words)


def _closest(words: list[str]) -> dict[str, str | None]:
    """PostgreSQL: {typed word: closest word of the texts as it is most often written, or None},
    for the typed words no text uses.

    One statement; the `%` operator is the one the GIN trigram index serves (its threshold,
    pg_trgm.similarity_threshold, is 0.3 unless set otherwise; ours is checked as well).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT typed.word, (SELECT coalesce(w.spelling, w.word) FROM search_word AS w "
            "WHERE w.word %% typed.word AND similarity(w.word, typed.word) >= %s "
            "ORDER BY similarity(w.word, typed.word) DESC, w.documents DESC, w.word LIMIT 1) "
            "FROM unnest(%s::text[]) AS typed(word) "
            "WHERE NOT EXISTS (SELECT FROM search_word AS k WHERE k.word = typed.word)",
            [CORRECTION_THRESHOLD, words],
        )
        return dict(cursor.fetchall())


# The texts whose words `correct` offers: what the public pages and the search show.
_WORD_SOURCES = [
    (lambda: Initiative.objects.published(), ("name", "summary", "description")),
    # The themes of the published initiatives (their search vectors hold them too).
    (
        lambda: Tag.objects.filter(initiative__in=Initiative.objects.published()).distinct(),
        ("name",),
    ),
    (lambda: Organisation.objects.published(), ("name", "acronym", "summary", "description")),
    (lambda: Pole.objects.published(), ("name", "summary", "description")),
    (lambda: Territory.objects.current(), ("name",)),
    (lambda: Finding.objects.published(), ("title", "summary")),
]


def refresh_words() -> int:
    """Rebuild the words of the public texts that `correct` offers; returns how many there are.

    PostgreSQL only (SQLite reads its FTS5 vocabularies, which its triggers keep): the words of
    every published row, folded and unstemmed, with the number of rows using each, in one
    statement, replacing the previous ones in the same transaction (readers see either).
    Run by the `observatoire.tasks.refresh_search_words` beat task, after the demo data and the
    benchmark's dataset are loaded, and by `manage.py reindex_search`.
    """
    if not on_postgresql():
        return 0
    parts, params = [], []
    for rows, fields in _WORD_SOURCES:
        texts = (
            rows()
            .annotate(search_text=Concat(*_spaced(fields), output_field=TextField()))
            .values_list("search_text")
        )
        sql, part_params = texts.query.get_compiler(connection=connection).as_sql()
        parts.append(f"({sql})")
        params += part_params
    with transaction.atomic(), connection.cursor() as cursor:
        # Two rebuilds at once (the hourly task and update_search_index) take turns; readers
        # are not blocked (EXCLUSIVE lets SELECT through) and see the old words until the commit.
        cursor.execute("LOCK TABLE search_word IN EXCLUSIVE MODE")
        cursor.execute("DELETE FROM search_word")
        # Each written word (lower case, accents kept) of each text, then grouped by its folded
        # form: the rows using it and its commonest spelling.
        cursor.execute(
            "INSERT INTO search_word (word, documents, spelling) "
            "SELECT immutable_unaccent(written), count(*), "
            "mode() WITHIN GROUP (ORDER BY written) "
            f"FROM ({' UNION ALL '.join(parts)}) AS texts(text), "
            "unnest(tsvector_to_array(to_tsvector('simple', lower(texts.text)))) AS written "
            "WHERE immutable_unaccent(written) ~ '^[[:alpha:]]{3,40}$' "
            "GROUP BY immutable_unaccent(written)",
            params,
        )
        return cursor.rowcount


def reindex(target) -> int:
    """Recompute the search index of a model's rows or of a queryset; returns the number of rows.

    The triggers already index every write, bulk ones included; this is for rows written while
    they were absent (a restore with triggers disabled) or after the index's definition changed.
    """
    rows = target._default_manager.all() if isinstance(target, type) else target
    if connections[rows.db].vendor == "sqlite":
        return search_sqlite.reindex(connections[rows.db], rows)
    # Setting the vector to NULL fires the trigger, which computes it again.
    return rows.update(search_vector=None)


def searchable_models():
    return [Initiative, Organisation, Pole, Territory, Finding]
