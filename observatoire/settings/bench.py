"""Benchmark: the production settings on the bench's own database, DEBUG off, no HTTPS redirect.

`make bench` serves these with gunicorn on localhost; they add the floor view (bench/urls.py) and
keep the collected static files and the database apart from every other environment.
"""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("EXPORT_THROTTLE_RATE", "100000/hour")  # the bench exports in a loop
# The bench's own Redis database (the tests use 14 and 15), cleared when a run starts.
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/13")
os.environ.setdefault(
    "DATABASE_URL",
    os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/observatoire_bench"),
)

from .production import *  # noqa: E402, F403
from .production import VAR_DIR  # noqa: E402

ROOT_URLCONF = "bench.urls"
# Plain HTTP on localhost: secure cookies would never come back, so keep them off here only.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STATIC_ROOT = VAR_DIR / "bench" / "static"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
