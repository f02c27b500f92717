"""Tests: PostgreSQL and Redis at their usual local addresses, or the URLs in the environment."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/observatoire")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/14")
os.environ.setdefault("CELERY_RESULT_BACKEND", "redis://127.0.0.1:6379/14")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")

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
