"""SQL over the arrays PostgreSQL keeps on each initiative for the directory and the profile.

- `theme_ids`: the sorted ids of its themes (migration 0006);
- `actor_forms`: the legal forms of its published organisations (migration 0009).

Triggers keep them (the model does not declare them: SQLite has no arrays), so `F()` cannot name
them. `ArraySQL` writes the column with the alias the query gives the initiatives table, which
changes when the queryset becomes a subquery ("U0"): RawSQL with the table's name broke there
(the directory's facets read the filtered initiatives as subqueries).
"""

from django.db import connections
from django.db.models import BooleanField, CharField, Expression, IntegerField


def available(queryset) -> bool:
    """Whether the queryset's database keeps the arrays (PostgreSQL; not the SQLite default)."""
    return connections[queryset.db].vendor == "postgresql"


class ArraySQL(Expression):
    """`template` with `{column}` standing for the query's `column`, and its params."""

    def __init__(self, column: str, template: str, params=(), output_field=None):
        super().__init__(output_field=output_field)
        self.column, self.template, self.params, self.alias = column, template, list(params), None

    def resolve_expression(self, query=None, *args, **kwargs):
        clone = self.copy()
        clone.alias = query.get_initial_alias()
        return clone

    def relabeled_clone(self, change_map):
        clone = self.copy()
        clone.alias = change_map.get(self.alias, self.alias)
        return clone

    def get_group_by_cols(self):
        return [self]

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(self.alias)
        column = f"{table}.{connection.ops.quote_name(self.column)}"
        return self.template.format(column=column), list(self.params)


def overlaps(theme_ids: list[int]) -> ArraySQL:
    """True for initiatives holding any of the themes."""
    return ArraySQL("theme_ids", "{column} && %s::integer[]", [theme_ids], BooleanField())


def holds_any(subsets: list[tuple[int, ...]]) -> ArraySQL:
    """True for initiatives holding every theme of at least one of the subsets."""
    sql = " OR ".join(["{column} @> %s::integer[]"] * len(subsets))
    return ArraySQL("theme_ids", f"({sql})", [list(subset) for subset in subsets], BooleanField())


def shared(theme_ids: list[int]) -> ArraySQL:
    """How many of the themes the initiative holds."""
    return ArraySQL(
        "theme_ids",
        "cardinality(ARRAY(SELECT unnest({column}) INTERSECT SELECT unnest(%s::integer[])))",
        [theme_ids],
        IntegerField(),
    )


def each_theme() -> ArraySQL:
    """One row per theme of the initiative (a set-returning function: SELECT lists only)."""
    return ArraySQL("theme_ids", "unnest({column})", [], IntegerField())


def has_actor_form(forms: list[str]) -> ArraySQL:
    """True for initiatives with a published organisation of any of the legal forms."""
    return ArraySQL("actor_forms", "{column} && %s::varchar[]", [forms], BooleanField())


def each_actor_form() -> ArraySQL:
    """One row per legal form among the initiative's published organisations."""
    return ArraySQL("actor_forms", "unnest({column})", [], CharField())
