"""The same French queries find the same rows on PostgreSQL and on SQLite, the embedded default.

The demo data (`load_demo`, on a handful of real places) is loaded in the tests' PostgreSQL
database and in a fresh SQLite database run by another interpreter with the `dev` settings; every
query is then answered by each, every kind and every page of results compared.
"""

import json

import pytest
from django.db import transaction

from tests.fresh_python import run_script
from tests.search.parity import QUERIES, load_demo_data, run_queries

pytestmark = pytest.mark.django_db  # the tests' database is set up for this module

SCRIPT = """
import json
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from tests.search.parity import load_demo_data, run_queries
load_demo_data()
print("RESULTS", json.dumps(run_queries()))
"""


@pytest.fixture(scope="module")
def on_sqlite(tmp_path_factory):
    result = run_script(SCRIPT, tmp_path_factory.mktemp("var"), timeout=300)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULTS "))
    return json.loads(line.removeprefix("RESULTS "))


@pytest.fixture(scope="module")
def on_postgresql(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo_data()
        found = run_queries()
        transaction.set_rollback(True)  # the other tests start from an empty database
    return found


@pytest.mark.parametrize("query, known", QUERIES, ids=[query for query, _known in QUERIES])
def test_the_same_french_query_finds_the_same_rows_on_both_databases(
    query, known, on_postgresql, on_sqlite
):
    assert on_sqlite[query] == on_postgresql[query]
    assert on_postgresql[query]["initiatives"], "finds at least one initiative"
    if known:
        assert f"/initiatives/{known}/" in on_postgresql[query]["initiatives"]
