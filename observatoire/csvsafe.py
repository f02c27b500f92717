"""CSV cells a spreadsheet will not run: the one rule every CSV file of the site is written with.

Excel and LibreOffice read a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return
as a formula (CSV injection), so a name like `=HYPERLINK("https://…")` in a download would run
in the reader's spreadsheet. OWASP's rule: such a text cell is written with a single quote in
front, which spreadsheets show as text. A text cell that already starts with a quote gets one
too, so that the rule can be undone exactly: a program reading our CSV drops one leading `'`
from any text cell that starts with one (the data dictionary, `/donnees/`, says so).

Only text is touched: numbers (int, float, Decimal) are written as they are, so `-0.5` in a
longitude column stays a number. The Python writers use `writer()`; PostgreSQL's COPY path
(publications/exports/copy.py) wraps its text cells in `sql()`, which applies the same rule.
"""

import csv
from collections.abc import Iterable

from django.db.models import Func, TextField

QUOTE = "'"
# Written first in a download, so that Excel reads the file as UTF-8 (its accents) and not cp1252.
BOM = "\ufeff"
# What a spreadsheet takes for the start of a formula (OWASP), and the quote itself (reversibility).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPED = frozenset((*FORMULA_STARTS, QUOTE))


def cell(value):
    """The cell as it is written: text starting with a formula character gets a quote in front."""
    if isinstance(value, str) and value[:1] in ESCAPED:
        return QUOTE + value
    return value


def row(values: Iterable) -> list:
    return [cell(value) for value in values]


def unescape(text: str) -> str:
    """What a program does to read a text cell back: one leading quote dropped."""
    return text[1:] if text.startswith(QUOTE) else text


class Writer:
    """`csv.writer` whose every row goes through `cell()`; same methods, same return values."""

    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, **options)

    @property
    def dialect(self):
        return self._writer.dialect

    def writerow(self, values: Iterable):
        return self._writer.writerow(row(values))

    def writerows(self, rows: Iterable[Iterable]):
        return self._writer.writerows(map(row, rows))


def writer(stream, **options) -> Writer:
    return Writer(stream, **options)


# The set as a regular expression's class inside an E'' string: `-` first (literal there), the
# tab and carriage return as escapes, the quote doubled.
_SQL_CLASS = "-" + "".join(
    {"\t": r"\t", "\r": r"\r", QUOTE: "''"}.get(c, c) for c in sorted(ESCAPED - {"-"})
)


class sql(Func):  # noqa: N801 (used like a function, as Django's own database functions are)
    """The same rule in SQL, for text PostgreSQL writes itself: `sql(expression)`.

    One `regexp_replace` names the expression once, so its parameters are bound once.
    """

    output_field = TextField()
    template = "regexp_replace(%(expressions)s, E'^([" + _SQL_CLASS + "])', E'''\\\\1')"
