"""A `|`-joined list aggregated in SQL: string_agg on PostgreSQL, group_concat on SQLite."""

from django.db import connection
from django.db.models import Aggregate, CharField

from .columns import ARRAY_SEPARATOR


class GroupConcat(Aggregate):
    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, '" + ARRAY_SEPARATOR + "')"
    output_field = CharField()


def joined(field: str):
    if connection.vendor == "postgresql":
        from django.contrib.postgres.aggregates import StringAgg

        return StringAgg(field, delimiter=ARRAY_SEPARATOR, order_by=field)
    return GroupConcat(field)
