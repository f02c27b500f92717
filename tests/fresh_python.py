"""Run a script in a fresh interpreter with the embedded defaults (SQLite, filesystem broker).

For what must not be mocked: a database truly unreachable, a truly fresh SQLite database. The
tests' own DATABASE_URL, broker and Redis are not passed on; `env` adds or overrides variables.
"""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
INHERITED_BY_TESTS = ("DATABASE_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "REDIS_URL")


def run_script(script: str, var_dir: Path, *, timeout=120, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in INHERITED_BY_TESTS}
    environment.update(
        DJANGO_SETTINGS_MODULE="observatoire.settings.dev", VAR_DIR=str(var_dir), **env
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
