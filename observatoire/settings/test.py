"""Tests: PostgreSQL and Redis at their usual local addresses, or the URLs in the environment."""

import os

# pytest-xdist's workers (gw0, gw1...) each take their own pair of Redis numbers, as pytest-django
# gives each its own test database: a worker's broker, queues and cache never meet another's.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
_PAIR = 2 * int(_WORKER[2:]) if _WORKER[2:].isdigit() else 0
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/observatoire")
os.environ.setdefault("CELERY_BROKER_URL", f"redis://127.0.0.1:6379/{14 - _PAIR}")
os.environ.setdefault("CELERY_RESULT_BACKEND", f"redis://127.0.0.1:6379/{14 - _PAIR}")
os.environ.setdefault("REDIS_URL", f"redis://127.0.0.1:6379/{15 - _PAIR}")

from .base import *  # noqa: E402, F403

DEBUG = False
DEMO_ALLOWED = True
DEMO_RECORDING = False  # on in the one test of it: tests load the demo many times
# Every test client comes from 127.0.0.1: the throttle tests set their own small rates.
EXPORT_THROTTLE_RATE = "100000/hour"
CONTRIBUTION_RATE = "100000/hour"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STATIC_ROOT = None  # tests serve static files through the finders, nothing is collected
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
