"""Schema pieces only PostgreSQL has (search extensions, functions, triggers): skipped elsewhere."""

from django.db import migrations


class PostgreSQLOnlySQL(migrations.RunSQL):
    """RunSQL that is a no-op on other databases, so the embedded SQLite demo still migrates."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return "Raw SQL operation (PostgreSQL only)"


def first_rows(branches, limit: int, labels=None) -> tuple[str, list]:
    """SQL (and parameters) of the first `limit` ids of `branches`, taken in order.

    `branches` are querysets ordered and sliced by the caller; as `SELECT id FROM (...) UNION ALL
    SELECT id FROM (...) LIMIT n` PostgreSQL runs the next branch only while the ones before it
    have not filled the limit, so a cheap, narrow branch first spares the wide one in the common
    case. SQLite runs the same statement (no parentheses around the members, which it refuses). With
    `labels`, each branch's rows also carry its label as the column `label`.
    """
    statements, params = [], []
    for index, branch in enumerate(branches):
        sql, branch_params = branch.values_list("pk").query.sql_with_params()
        label = f", {int(labels[index])} AS label" if labels is not None else ""
        statements.append(f"SELECT branch.pk AS id{label} FROM ({sql}) AS branch")
        params.extend(branch_params)
    return " UNION ALL ".join(statements) + " LIMIT %s", [*params, limit]


def first_ids(branches, limit: int):
    """`first_rows` as an expression for `pk__in=`: the ids alone, in one statement."""
    from django.db.models.expressions import RawSQL

    sql, params = first_rows(branches, limit)
    return RawSQL(f"SELECT ranked.id FROM ({sql}) AS ranked", params)
