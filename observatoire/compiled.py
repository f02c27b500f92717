"""Querysets compiled once per process, then run with other values: `Compiled`.

Issue 18: on a cold territory page the ORM took longer to compile its querysets (resolve the
filters, joins, columns and ordering into SQL: 0.5 to 2 ms of CPU each) than PostgreSQL took to
run them. A page asks the same questions of every territory or profile with other values; a
`Compiled` builds its queryset once, with stand-ins where the values go, keeps the SQL and the
compiler, then runs the statement with each call's values in the stand-ins' places and builds
the rows as the queryset would have (model instances with their `select_related` objects and
annotations, or a `values_list`'s tuples, with the database's converters applied).

`build(*stand_ins)` must depend on nothing but its arguments (no date, no language, no user):
whatever else it reads is compiled into the statement for the life of the process. A stand-in
must reach the statement as a parameter, whole (`pk=`, `code=`, `path=`) or in a LIKE pattern
(`path__startswith=`: the value is then escaped for LIKE, as the ORM does). Sliced querysets are
refused: the page's LIMIT and OFFSET are given to the call. The search (observatoire/search.py)
compiles its rankings the same way.
"""

import datetime as dt
from collections.abc import Callable

import psycopg
from django.db import connection
from django.db.backends.utils import CursorDebugWrapper
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators

# Values no real row or code holds: negative ids, strings of private-use characters.
_INT_STAND_INS = [-(2**62) - 97 - i for i in range(16)]


def _stand_in(kind: type, index: int):
    if kind is int:
        return _INT_STAND_INS[index]
    if kind is dt.datetime:  # a moment no row holds, aware as the ORM wants them
        return dt.datetime(1111, 1, 1, 0, 0, index, tzinfo=dt.UTC)
    if kind is list:  # an array parameter (PostgreSQL), as in `= ANY(%s)` or `unnest(%s)`
        return [f"\ue004{index}\ue004"]
    return f"\ue004{index}\ue004"


class Compiled:
    """`build`'s queryset compiled once per database, run with values: `rows(...)`."""

    def __init__(self, build: Callable, *kinds: type, prepared: bool = False):
        self.build = build
        # Prepared (PostgreSQL): planned once per connection with a generic plan, for statements
        # whose planning cost more than their run and whose plan does not depend on the values
        # (a unique key, `= ANY(array)`). Never for a LIKE prefix: its index needs the pattern.
        self.prepared = prepared
        self.kinds = kinds  # the type of each value: int, str, datetime or list (an array)
        self.stand_ins = [_stand_in(kind, index) for index, kind in enumerate(kinds)]
        self._compiled = {}  # database alias -> (compiler, sql, params, marks, instances)

    def _compile(self):
        queryset = self.build(*self.stand_ins)
        if queryset.query.is_sliced:
            raise ValueError("a compiled queryset is sliced by its call, not by its build")
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        params = list(params)
        marks, found = [], set()
        adapted = [self._adapted(stand_in) for stand_in in self.stand_ins]
        for position, param in enumerate(params):
            for index, stand_in in enumerate(self.stand_ins):
                if param == adapted[index] and type(param) is type(adapted[index]):
                    marks.append((position, index, None))
                    found.add(index)
                elif isinstance(param, str) and isinstance(stand_in, str) and stand_in in param:
                    marks.append((position, index, param))  # a LIKE pattern around the value
                    found.add(index)
        if len(found) != len(self.stand_ins):
            raise ValueError(f"stand-ins missing from the compiled statement: {sql}")
        instances = queryset._iterable_class is ModelIterable
        if not instances:
            query = queryset.query
            # As ValuesListIterable: the tuples in the order of the compiled columns only.
            names = [*query.extra_select, *query.values_select, *query.annotation_select]
            if queryset._iterable_class is not ValuesListIterable or (
                queryset._fields and list(queryset._fields) != names
            ):
                raise ValueError("a compiled queryset gives model instances or plain tuples")
        return compiler, sql, params, marks, instances

    def _adapted(self, value, kind=None):
        """The value as the ORM passes it: a moment in the database's own form (SQLite: text)."""
        if isinstance(value, dt.datetime):
            return connection.ops.adapt_datetimefield_value(value)
        return kind(value) if kind is not None else value

    def sql(self, *values, limit: int | None = None, offset: int = 0) -> tuple[str, list]:
        """The statement and its parameters for `values` (and a page of `limit` rows)."""
        return self._statement(*values, limit=limit, offset=offset)[1:3]

    def _statement(self, *values, limit=None, offset=0):
        if connection.alias not in self._compiled:
            self._compiled[connection.alias] = self._compile()
        compiler, sql, params, marks, instances = self._compiled[connection.alias]
        params = list(params)
        for position, index, pattern in marks:
            value = self._adapted(values[index], self.kinds[index])
            if pattern is None:
                params[position] = value
            else:
                escaped = connection.ops.prep_for_like_query(value)
                params[position] = params[position].replace(self.stand_ins[index], escaped)
        if limit is not None:
            sql += " LIMIT %s OFFSET %s"
            params += [int(limit), int(offset)]
        return compiler, sql, params, instances

    def rows(self, *values, limit: int | None = None, offset: int = 0) -> list:
        """What iterating the queryset built with `values` gives, as a list."""
        compiler, sql, params, instances = self._statement(*values, limit=limit, offset=offset)
        with _cursor(self.prepared) as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        if not instances:  # values_list: its tuples, converted
            return list(compiler.results_iter([fetched], tuple_expected=True))
        select, info, annotations = (
            compiler.select,
            compiler.klass_info,
            compiler.annotation_col_map,
        )
        start, end = info["select_fields"][0], info["select_fields"][-1] + 1
        names = [column[0].target.attname for column in select[start:end]]
        related = get_related_populators(info, select, connection.alias)
        model, alias = info["model"], connection.alias
        objects = []
        for row in compiler.results_iter([fetched]):
            obj = model.from_db(alias, names, row[start:end])
            for populator in related:
                populator.populate(row, obj)
            for name, position in annotations.items():
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects


class _Logged(CursorDebugWrapper):
    """Django's debug wrapper (tests, DEBUG) for a server-binding cursor: it logs the statement
    with its values in place, as it does for its own cursors, and keeps the statement and its
    values apart under "prepared" (the benchmark replays it as the page ran it: prepared)."""

    def execute(self, sql, params=None):
        try:
            with self.debug_sql(self.db.ops.compose_sql(sql, params)):
                return self._execute_with_wrappers(sql, params, many=False, executor=self._execute)
        finally:
            if self.db.queries_log:
                self.db.queries_log[-1]["prepared"] = (sql, list(params or ()))


def prepared_cursor():
    """A cursor whose statements PostgreSQL plans once per connection, generically (`_cursor`):
    for plain SQL whose plan does not depend on its values; Django's own cursor elsewhere."""
    return _cursor(True)


def _cursor(prepared: bool):
    """Django's cursor; for a prepared statement on PostgreSQL, one binding its values on the
    server (Django's cursors bind them on the client, so nothing else is ever prepared): with
    the connection's `prepare_threshold` 0 and `plan_cache_mode` generic (settings), PostgreSQL
    plans it once per connection. The cursor is wrapped as Django wraps its own: the statement
    is counted, logged and its errors translated as any other."""
    if not prepared or connection.vendor != "postgresql":
        return connection.cursor()
    if connection.settings_dict.get("OPTIONS", {}).get("prepare_threshold") is None:
        return connection.cursor()  # DATABASE_PREPARED_STATEMENTS off
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        cursor = psycopg.Cursor(connection.connection)
    if connection.queries_logged:
        return _Logged(cursor, connection)
    return connection.make_cursor(cursor)
