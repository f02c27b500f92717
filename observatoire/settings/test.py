"""Tests: PostgreSQL and Redis at their usual local addresses, or the URLs in the environment."""

import json
import os

# pytest-xdist's workers (gw0, gw1...) each take their own pair of Redis numbers, as pytest-django
# gives each its own test database: a worker's broker, queues and cache never meet another's.
# The workers inherit the environment of the process that started them, which imported these
# settings first: a value still equal to the one this module set there (recorded in _DEFAULTED)
# is a default, not the person's choice nor a test's, and is set again for this worker.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
_PAIR = 2 * int(_WORKER[2:]) if _WORKER[2:].isdigit() else 0
_DEFAULTED = "OBSERVATOIRE_TEST_DEFAULTED"
_defaults = {
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/observatoire",
    "CELERY_BROKER_URL": f"redis://127.0.0.1:6379/{14 - _PAIR}",
    "CELERY_RESULT_BACKEND": f"redis://127.0.0.1:6379/{14 - _PAIR}",
    "REDIS_URL": f"redis://127.0.0.1:6379/{15 - _PAIR}",
}
_set_before = json.loads(os.environ.get(_DEFAULTED) or "{}")
_set_now = {}
for _name, _value in _defaults.items():
    if _name not in os.environ or os.environ[_name] == _set_before.get(_name):
        os.environ[_name] = _set_now[_name] = _value
os.environ[_DEFAULTED] = json.dumps(_set_now)

from .base import *  # noqa: E402, F403

DEBUG = False
DEMO_ALLOWED = True
DEMO_RECORDING = False  # on in the one test of it: tests load the demo many times
# Every test client comes from 127.0.0.1: the throttle tests set their own small rates.
EXPORT_THROTTLE_RATE = "100000/hour"
REST_FRAMEWORK = {  # noqa: F405
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"token": "100000/hour", "anonymous": "100000/hour"},
}
CONTRIBUTION_RATE = "100000/hour"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STATIC_ROOT = None  # tests serve static files through the finders, nothing is collected
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
