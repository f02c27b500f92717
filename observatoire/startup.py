"""Checks of the services the project needs, in words for a person (start-up and /health/)."""

import sys
from pathlib import Path

from django.conf import settings
from django.db import connections


def database_problem() -> str | None:
    """Return why the default database cannot be reached, or None."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any driver error means "not reachable" to a person
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return (
            f"database unreachable ({settings.DATABASES['default'].get('ENGINE', '?')}): {reason}"
        )
    return None


def broker_problem() -> str | None:
    """Return why the Celery broker cannot be reached, or None."""
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem"):
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        for key in ("data_folder_in", "processed_folder"):
            folder = Path(options[key])
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                return f"broker folder {folder} is not writable: {exc.strerror}"
        return None
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return f"broker unreachable at {_without_password(url)}: {exc}"
    return None


def _without_password(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


def exit_if_unreachable(*, database: bool = True, broker: bool = False) -> None:
    problems = []
    if database and (problem := database_problem()):
        problems.append(problem)
    if broker and (problem := broker_problem()):
        problems.append(problem)
    if problems:
        sys.stderr.write("error: " + "; ".join(problems) + "\n")
        raise SystemExit(1)
