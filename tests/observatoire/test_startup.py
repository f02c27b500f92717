"""Start-up with a broken set-up: one readable line on stderr, a non-zero exit, no traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fresh_python import INHERITED_BY_TESTS

REPO = Path(__file__).resolve().parents[2]
PYTHON = Path(sys.executable)
CELERY = PYTHON.parent / "celery"
CLOSED_PORT_BROKER = "redis://127.0.0.1:1/0"


def environment(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in INHERITED_BY_TESTS}
    env.update(
        DJANGO_SETTINGS_MODULE="observatoire.settings.dev",
        VAR_DIR=str(tmp_path / "var"),
        # Celery warns at length when run as root (as in CI containers); that is not our message.
        PYTHONWARNINGS="ignore:You're running the worker with superuser privileges",
    )
    env.update(overrides)
    return env


def run(args: list, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(a) for a in args], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )


def assert_one_error_line(result: subprocess.CompletedProcess, *words: str) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error:")
    for word in words:
        assert word in lines[0]
    return lines[0]


def test_migrate_with_malformed_database_url_prints_one_error_line(tmp_path):
    result = run(
        [PYTHON, "manage.py", "migrate"], environment(tmp_path, DATABASE_URL="notaurl://x")
    )
    assert_one_error_line(result, "notaurl")


def test_migrate_with_unreachable_database_prints_one_error_line(tmp_path):
    env = environment(tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:1/nothing")
    result = run([PYTHON, "manage.py", "migrate"], env)
    assert_one_error_line(result, "database unreachable", "postgresql")


def test_runserver_with_unreachable_broker_prints_one_error_line(tmp_path):
    env = environment(
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CELERY_BROKER_URL=CLOSED_PORT_BROKER,
    )
    result = run([PYTHON, "manage.py", "runserver", "127.0.0.1:0", "--noreload"], env)
    line = assert_one_error_line(result, "broker unreachable", "127.0.0.1:1")
    assert "database" not in line


def test_celery_worker_with_unreachable_broker_exits_with_one_error_line(tmp_path):
    env = environment(
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CELERY_BROKER_URL=CLOSED_PORT_BROKER,
    )
    try:
        result = run([CELERY, "-A", "observatoire", "worker", "--loglevel=WARNING"], env)
    except subprocess.TimeoutExpired:
        pytest.fail("the worker kept retrying the broker instead of exiting")
    assert_one_error_line(result, "broker unreachable", "127.0.0.1:1")


def test_migrate_on_a_fresh_sqlite_file_succeeds(tmp_path):
    """The counterpart: with a reachable database the start-up check stays silent."""
    env = environment(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    result = run([PYTHON, "manage.py", "migrate", "--verbosity=0"], env)
    assert result.returncode == 0, result.stderr
    assert "error:" not in result.stderr
