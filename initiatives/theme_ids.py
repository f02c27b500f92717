"""SQL over `initiatives_initiative.theme_ids`, the sorted ids of an initiative's themes.

The column is PostgreSQL's only (migration 0006: an array kept by a trigger), so the model does
not declare it and `F("theme_ids")` cannot name it. `ThemeIdsSQL` writes it with the alias the
query gives the initiatives table, which changes when the queryset becomes a subquery ("U0"):
RawSQL with the table's name broke there (the directory's facets read the filtered initiatives
as subqueries).
"""

from django.db.models import BooleanField, Expression, IntegerField


class ThemeIdsSQL(Expression):
    """`template` with `{column}` standing for the query's `theme_ids` column, and its params."""

    def __init__(self, template: str, params=(), output_field=None):
        super().__init__(output_field=output_field)
        self.template, self.params, self.alias = template, list(params), None

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
        column = f'{compiler.quote_name_unless_alias(self.alias)}."theme_ids"'
        return self.template.format(column=column), list(self.params)


def overlaps(theme_ids: list[int]) -> ThemeIdsSQL:
    """True for initiatives holding any of the themes."""
    return ThemeIdsSQL("{column} && %s::integer[]", [theme_ids], BooleanField())


def holds_any(subsets: list[tuple[int, ...]]) -> ThemeIdsSQL:
    """True for initiatives holding every theme of at least one of the subsets."""
    sql = " OR ".join(["{column} @> %s::integer[]"] * len(subsets))
    return ThemeIdsSQL(f"({sql})", [list(subset) for subset in subsets], BooleanField())


def shared(theme_ids: list[int]) -> ThemeIdsSQL:
    """How many of the themes the initiative holds."""
    return ThemeIdsSQL(
        "cardinality(ARRAY(SELECT unnest({column}) INTERSECT SELECT unnest(%s::integer[])))",
        [theme_ids],
        IntegerField(),
    )


def each() -> ThemeIdsSQL:
    """One row per theme of the initiative (a set-returning function: SELECT lists only)."""
    return ThemeIdsSQL("unnest({column})", [], IntegerField())
