"""The Celery application; tasks live in each app's tasks.py and stay thin."""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatoire.settings.dev")

app = Celery("observatoire")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def refuse_to_start_without_services(**kwargs):
    """A worker without its database or broker says so in one line instead of looping."""
    from observatoire.startup import exit_if_unreachable

    exit_if_unreachable(database=True, broker=True)
