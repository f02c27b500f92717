"""The embedded default's SQLite under concurrent writers: WAL, a busy timeout and transactions
that take the write lock when they begin, so a large import never answers "database is locked"."""

import json
import threading

from tests.fresh_python import run_script

PRAGMAS = """
import json
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    mode = cursor.fetchone()[0]
    cursor.execute("PRAGMA busy_timeout")
    timeout = cursor.fetchone()[0]
print(json.dumps({"engine": connection.vendor, "journal_mode": mode, "busy_timeout": timeout}))
"""

# What an import does: read what is there, work a while, write, all in one transaction.
IMPORT = """
import os
import time
import django
django.setup()
from django.db import connection, transaction
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS imported (n integer)")
with transaction.atomic(), connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM imported")
    time.sleep(1)
    cursor.execute("INSERT INTO imported VALUES (%s)", [int(os.environ["ROW"])])
print("imported")
"""


def test_the_dev_settings_sqlite_connection_uses_wal_and_a_busy_timeout(tmp_path):
    (tmp_path / "var").mkdir()
    result = run_script(PRAGMAS, tmp_path / "var", timeout=60)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer == {"engine": "sqlite", "journal_mode": "wal", "busy_timeout": 20000}


def test_two_imports_at_once_both_succeed(tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    run_script("import django; django.setup()", var, timeout=60)
    results = {}

    def run(row):
        results[row] = run_script(IMPORT, var, timeout=60, ROW=str(row))

    threads = [threading.Thread(target=run, args=(row,)) for row in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for row, result in results.items():
        assert result.returncode == 0, f"import {row}: {result.stderr[-500:]}"
        assert "database is locked" not in result.stderr
