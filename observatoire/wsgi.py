"""WSGI entry point for gunicorn; production settings unless DJANGO_SETTINGS_MODULE says so.

Each worker imports this module as it starts (gunicorn without --preload), and prepares there what
its first request would otherwise prepare (observatoire/warmup.py): its first visitor waited
0.6-0.9 s for it after every deploy or restart. WARM_UP=false turns it off.
"""

import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatoire.settings.production")
application = get_wsgi_application()

if os.environ.get("WARM_UP", "true").lower() not in {"0", "false", "no", "off"}:
    from observatoire.warmup import warm

    try:
        logging.getLogger("observatoire.warmup").info("worker warmed up: %s", warm())
    except Exception:  # a worker that cannot warm up still serves, as it did before
        logging.getLogger("observatoire.warmup").exception("worker warm-up failed")
