"""Full-text search on SQLite, the embedded default: FTS5 tables kept up to date by triggers.

The counterpart of the PostgreSQL vectors (initiatives 0002, territoires 0002, terrain 0002): each
searched table has an FTS5 table (`unicode61 remove_diacritics 2`: case and accents folded) that
triggers on the same table rewrite as rows are written, bulk writes and theme changes included, and
a trigram table of its titles for the typo-tolerant fallback. Migration observatoire 0002 creates
them on SQLite only; after every `migrate` they are checked, since SQLite drops a table's triggers
when Django rebuilds the table to alter it; `update_search_index` rebuilds them.

FTS5 has no French stemming. A query word is instead matched against the index's own vocabulary:
it stands for every indexed word with the same Snowball stem (the stemmer of PostgreSQL's `french`
configuration), found by a prefix search of the vocabulary, and PostgreSQL's French stop words are
dropped: "cooperation" finds "coopératives" and "Maison des Échanges" finds "maison d'échanges",
as on PostgreSQL, so both databases find the same rows.
"""

import re
import threading
import unicodedata
from dataclasses import dataclass

import snowballstemmer
from django.db import connection as default_connection

# Column weights of bm25, as PostgreSQL's A (title), B (tags, lead) and C (body) weights.
WEIGHTS = (10.0, 4.0, 4.0, 2.0)
SNIPPET_TOKENS = 24
FUZZY_CANDIDATES = 200  # titles sharing the most trigrams with the query, then scored in Python
# PostgreSQL's french.stop, as it applies after unaccent: the accented words there never match.
_STOP_TEXT = """
au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me mes moi mon ne nos
notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre
vous c d j l m n s t y suis es est sommes sont serai seras sera serons serez seront serais serait
serions seriez seraient fus fut furent sois soit soyons soyez soient fusse fusses fussions fussiez
fussent ayant ayante ayantes ayants eu eue eues eus ai as avons avez ont aurai auras aura aurons
aurez auront aurais aurait aurions auriez auraient avais avait avions aviez avaient eut eurent aie
aies ait ayons ayez aient eusse eusses eussions eussiez eussent
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())  # noqa: SIM905 - a list of 133 words reads better so
WORD = re.compile(r"[^\W_]+")
# No suffix that French Snowball removes is longer: a longer word cannot have the stem.
LONGEST_SUFFIX = 12
_local = threading.local()

# The themes of an initiative (django-taggit's generic relation), as one text.
_INITIATIVE_TYPE = (
    "(SELECT id FROM django_content_type WHERE app_label = 'initiatives' AND model = 'initiative')"
)
_THEMES = (
    "(SELECT group_concat(tag.name, ' ') FROM taggit_taggeditem item "
    "JOIN taggit_tag tag ON tag.id = item.tag_id "
    f"WHERE item.content_type_id = {_INITIATIVE_TYPE} AND item.object_id = {{id}})"
)


@dataclass(frozen=True)
class Index:
    """One searched table: its FTS5 table and the SQL of each column over a row (`{row}`)."""

    table: str
    name: str
    watched: tuple[str, ...]  # the columns whose update rewrites the row's entry
    title: str
    tags: str = "''"
    lead: str = "''"
    body: str = "''"

    def values(self, row: str) -> str:
        columns = (self.title, self.tags, self.lead, self.body)
        return ", ".join(_clean(sql.format(row=row, id=f"{row}.id")) for sql in columns)


INDEXES = {
    index.table: index
    for index in [
        Index(
            "initiatives_initiative",
            "search_initiative",
            ("name", "summary", "description"),
            title="{row}.name",
            tags=_THEMES,
            lead="{row}.summary",
            body="{row}.description",
        ),
        Index(
            "initiatives_organisation",
            "search_organisation",
            ("name", "acronym", "summary", "description"),
            title="{row}.name",
            tags="{row}.acronym",
            lead="{row}.summary",
            body="{row}.description",
        ),
        Index(
            "initiatives_pole",
            "search_pole",
            ("name", "summary", "description"),
            title="{row}.name",
            lead="{row}.summary",
            body="{row}.description",
        ),
        Index(
            "territoires_territory",
            "search_territory",
            ("name", "code"),
            title="{row}.name",
            tags="{row}.code",
        ),
        Index(
            "terrain_finding",
            "search_finding",
            ("title", "summary", "text", "public_quotes_text"),
            title="{row}.title",
            lead="{row}.summary",
            body="coalesce({row}.text, '') || ' ' || coalesce({row}.public_quotes_text, '')",
        ),
    ]
}


def _clean(sql: str) -> str:
    """The text without the highlight markers, so that every mark comes from FTS5."""
    return f"replace(replace(coalesce({sql}, ''), char(57344), ''), char(57345), '')"


def _theme_triggers(index: Index) -> list[str]:
    """A theme added, removed or renamed rewrites the tags of the initiatives that carry it."""
    refresh = f"UPDATE {index.name} SET tags = {_clean(_THEMES.format(id=index.name + '.rowid'))}"
    return [
        f"""CREATE TRIGGER {index.name}_theme_added AFTER INSERT ON taggit_taggeditem
        WHEN NEW.content_type_id = {_INITIATIVE_TYPE}
        BEGIN {refresh} WHERE rowid = NEW.object_id; END""",
        f"""CREATE TRIGGER {index.name}_theme_removed AFTER DELETE ON taggit_taggeditem
        WHEN OLD.content_type_id = {_INITIATIVE_TYPE}
        BEGIN {refresh} WHERE rowid = OLD.object_id; END""",
        f"""CREATE TRIGGER {index.name}_theme_moved AFTER UPDATE ON taggit_taggeditem
        BEGIN {refresh} WHERE rowid IN (OLD.object_id, NEW.object_id); END""",
        f"""CREATE TRIGGER {index.name}_theme_renamed AFTER UPDATE OF name ON taggit_tag
        WHEN OLD.name IS NOT NEW.name
        BEGIN {refresh} WHERE rowid IN (
            SELECT object_id FROM taggit_taggeditem
            WHERE tag_id = NEW.id AND content_type_id = {_INITIATIVE_TYPE}
        ); END""",
    ]


def _triggers(index: Index) -> list[str]:
    def write(row: str) -> str:
        return (
            f"INSERT INTO {index.name} (rowid, title, tags, lead, body) "
            f"VALUES ({row}.id, {index.values(row)}); "
            f"INSERT INTO {index.name}_trigram (rowid, title) "
            f"VALUES ({row}.id, {_clean(index.title.format(row=row))});"
        )

    forget = (
        f"DELETE FROM {index.name} WHERE rowid = OLD.id; "
        f"DELETE FROM {index.name}_trigram WHERE rowid = OLD.id;"
    )
    triggers = [
        f"CREATE TRIGGER {index.name}_insert AFTER INSERT ON {index.table} "
        f"BEGIN {write('NEW')} END",
        f"CREATE TRIGGER {index.name}_update AFTER UPDATE OF {', '.join(index.watched)} "
        f"ON {index.table} BEGIN {forget} {write('NEW')} END",
        f"CREATE TRIGGER {index.name}_delete AFTER DELETE ON {index.table} BEGIN {forget} END",
    ]
    if index.tags == _THEMES:
        triggers += _theme_triggers(index)
    return triggers


def _trigger_names(statements: list[str]) -> list[str]:
    return [statement.split()[2] for statement in statements]


def _tables(index: Index) -> list[str]:
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {index.name} USING fts5("
        "title, tags, lead, body, tokenize = 'unicode61 remove_diacritics 2')",
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {index.name}_vocab USING fts5vocab({index.name}, row)",
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {index.name}_trigram USING fts5("
        "title, tokenize = 'trigram')",
    ]


def install(connection=default_connection) -> None:
    """Create (or repair) the tables and triggers, and index every row anew."""
    with connection.cursor() as cursor:
        for index in INDEXES.values():
            for statement in _tables(index):
                cursor.execute(statement)
            triggers = _triggers(index)
            for name in _trigger_names(triggers):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            for statement in triggers:
                cursor.execute(statement)
            _fill(cursor, index)


def _fill(cursor, index: Index, ids: tuple[str, list] = ("", [])) -> None:
    """Index the rows again: every row, or those whose id is in `ids` (SQL and parameters)."""
    where, params = (f" WHERE id IN ({ids[0]})", ids[1]) if ids[0] else ("", [])
    cursor.execute(f"DELETE FROM {index.name}" + where.replace("id IN", "rowid IN"), params)
    cursor.execute(f"DELETE FROM {index.name}_trigram" + where.replace("id IN", "rowid IN"), params)
    cursor.execute(
        f"INSERT INTO {index.name} (rowid, title, tags, lead, body) "
        f"SELECT src.id, {index.values('src')} FROM {index.table} AS src" + where,
        params,
    )
    cursor.execute(
        f"INSERT INTO {index.name}_trigram (rowid, title) "
        f"SELECT src.id, {_clean(index.title.format(row='src'))} FROM {index.table} AS src" + where,
        params,
    )


def reindex(connection, rows) -> int:
    """Index a queryset's rows again (update_search_index); the triggers keep them otherwise."""
    if state(connection) == "absent":
        return 0
    index = INDEXES[rows.model._meta.db_table]
    sql, params = rows.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        _fill(cursor, index, (sql, list(params)))
    return rows.count()


def uninstall(connection=default_connection) -> None:
    with connection.cursor() as cursor:
        for index in INDEXES.values():
            for name in _trigger_names(_triggers(index)):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            for suffix in ("_vocab", "_trigram", ""):
                cursor.execute(f"DROP TABLE IF EXISTS {index.name}{suffix}")


def state(connection=default_connection) -> str:
    """ "absent" (not migrated), "complete", or "broken" (tables without all their triggers)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = set(cursor.fetchall())
    tables = {("table", index.name) for index in INDEXES.values()}
    if not tables & present:
        return "absent"
    wanted = tables | {
        ("trigger", name) for index in INDEXES.values() for name in _trigger_names(_triggers(index))
    }
    return "complete" if wanted <= present else "broken"


def repair_after_migrate(sender=None, using="default", **kwargs) -> None:
    """post_migrate: a table rebuilt by a migration (ALTER on SQLite) lost its triggers."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor == "sqlite" and state(connection) == "broken":
        install(connection)


# Queries -----------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case without accents, as the unicode61 tokenizer stores words."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def stem(word: str) -> str:
    # A stemmer keeps the word it works on: one per thread, never shared between threads.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("french")
    return stemmer.stemWord(word)


def _parse(text: str) -> list[list[tuple[bool, str]]]:
    """Web-search syntax as PostgreSQL reads it: words (all needed), `-word`, `or` between."""
    groups, group = [], []
    for chunk in text.split():
        if chunk.lower() == "or" and group:
            groups.append(group)
            group = []
            continue
        negated = chunk.startswith("-") and len(chunk) > 1
        for word in WORD.findall(fold(chunk)):
            if word not in STOP_WORDS:
                group.append((negated, stem(word)))
    if group:
        groups.append(group)
    return groups


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def match_expression(text: str, connection=default_connection) -> str:
    """The FTS5 query for a search; "" when no indexed word can match it.

    Each stem stands for the indexed words that have it, read from the vocabularies of every
    index in one query; a stem no index holds cannot match, and neither can its group of words.
    """
    groups = _parse(text)
    stems = sorted({word for group in groups for _negated, word in group})
    if not stems:
        return ""
    branches, params = [], []
    for index in INDEXES.values():
        for word in stems:
            branches.append(
                f"SELECT %s, term FROM {index.name}_vocab "
                "WHERE term >= %s AND term < %s AND length(term) <= %s"
            )
            params += [word, word, word + "\U0010ffff", len(word) + LONGEST_SUFFIX]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ".join(branches), params)
        rows = cursor.fetchall()
    words: dict[str, set[str]] = {}
    for word, term in rows:
        if stem(term) == word:
            words.setdefault(word, set()).add(term)
    alternatives = []
    for group in groups:
        wanted = [word for negated, word in group if not negated]
        if not wanted or any(word not in words for word in wanted):
            continue
        expression = " AND ".join(
            "(" + " OR ".join(_quote(term) for term in sorted(words[word])) + ")" for word in wanted
        )
        for negated, word in group:
            if negated and word in words:
                expression += " NOT (" + " OR ".join(_quote(t) for t in sorted(words[word])) + ")"
        alternatives.append(f"({expression})")
    return " OR ".join(alternatives)


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: each word folded and padded with two spaces before, one after."""
    grams = set()
    for word in WORD.findall(fold(text)):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def word_similarity(query: str, title: str) -> float:
    """pg_trgm's word_similarity, closely: the share of the query's trigrams found in the best
    run of consecutive words of the title (at most one word more than the query has)."""
    wanted = trigrams(query)
    words = WORD.findall(title)
    if not wanted or not words:
        return 0.0
    span = len(WORD.findall(query)) + 1
    best = 0
    for start in range(len(words)):
        for end in range(start + 1, min(len(words), start + span) + 1):
            best = max(best, len(wanted & trigrams(" ".join(words[start:end]))))
    return best / len(wanted)


def fuzzy_expression(text: str) -> str:
    """The trigram table's query: any three letters of the query, as typed and without accents."""
    pieces = set()
    for variant in {text.lower(), fold(text)}:
        for word in WORD.findall(variant):
            pieces.update(word[i : i + 3] for i in range(len(word) - 2))
    return " OR ".join(_quote(piece) for piece in sorted(pieces))


def similarity(a: str, b: str) -> float:
    """pg_trgm's similarity: the trigrams the two share, over all the trigrams of either."""
    first, second = trigrams(a), trigrams(b)
    union = first | second
    return len(first & second) / len(union) if union else 0.0


def closest(words: list[str], threshold: float, connection=default_connection) -> dict:
    """{typed word: closest indexed word, or None}, for the typed (folded) words no index holds, as
    observatoire.search._closest does on PostgreSQL: trigram similarity at least `threshold`,
    then the word more rows hold, then the first in order. The candidates are the indexed words
    of a length within two letters of the typed word's (a longer or shorter one cannot reach
    the threshold often enough to be worth scoring), read from the FTS5 vocabularies.
    """
    found = {}
    with connection.cursor() as cursor:
        for word in words:
            vocabularies = [f"{index.name}_vocab" for index in INDEXES.values()]
            known = " UNION ALL ".join(f"SELECT 1 FROM {v} WHERE term = %s" for v in vocabularies)
            cursor.execute(f"SELECT EXISTS ({known})", [word] * len(vocabularies))
            if cursor.fetchone()[0]:
                continue
            branches = " UNION ALL ".join(
                f"SELECT term, doc FROM {v} WHERE length(term) BETWEEN %s AND %s"
                for v in vocabularies
            )
            cursor.execute(
                f"SELECT term, sum(doc) FROM ({branches}) GROUP BY term",
                [len(word) - 2, len(word) + 2] * len(vocabularies),
            )
            scored = [
                (similarity(word, term), documents, term)
                for term, documents in cursor.fetchall()
                if term.isalpha() and len(term) >= 3
            ]
            best = min(
                (item for item in scored if item[0] >= threshold),
                key=lambda item: (-item[0], -item[1], item[2]),
                default=None,
            )
            found[word] = _written(cursor, best[2]) if best else None
    return found


_MARKED = re.compile("\ue000(.+?)\ue001")


def _written(cursor, term: str) -> str:
    """The indexed word `term` (folded) as a text writes it, in lower case: « échanges » for
    "echanges", as PostgreSQL's word list keeps its commonest spelling. FTS5's vocabularies hold
    only the folded words: the first row holding it marks it in its own text (`highlight`)."""
    for index in INDEXES.values():
        marks = ", ".join(f"highlight({index.name}, {c}, '\ue000', '\ue001')" for c in range(4))
        cursor.execute(
            f"SELECT {marks} FROM {index.name} WHERE {index.name} MATCH %s LIMIT 1",
            [_quote(term)],
        )
        row = cursor.fetchone()
        for text in row or ():
            if text and (match := _MARKED.search(text)) and fold(match.group(1)) == term:
                return match.group(1).lower()
    return term
