"""What a new web process prepares before its first visitor: `warm()`, called by wsgi.py.

Django prepares much of itself on the first request a process answers: it imports the URL
configuration (and with it every view module and what they import: openpyxl, DRF, WeasyPrint's
callers...), compiles each template the first time it is rendered, and reads each language's
catalogues the first time that language is active. A new gunicorn worker's first request took
0.6-0.9 s at national scale, after every deploy, restart or worker recycling; its visitor waited
for all of it. `warm()` does that work as the worker starts, before it accepts a request. It reads
nothing from the database and writes nothing anywhere: what it prepares is what every request
would have prepared, kept in the process.
"""

import logging
import time
from pathlib import Path

from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import get_resolver, reverse
from django.utils import translation

logger = logging.getLogger(__name__)


def warm() -> dict[str, float]:
    """Import the URL configuration and the views, populate the reverse lookups and read the
    catalogues in each language, compile the project's templates. Returns seconds per step."""
    steps = {}
    for name, step in (("urls", _urls), ("languages", _languages), ("templates", _templates)):
        started = time.monotonic()
        step()
        steps[name] = round(time.monotonic() - started, 3)
    return steps


def _urls() -> None:
    get_resolver().url_patterns  # noqa: B018 - imports every URL module and view
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            reverse("home")  # the reverse lookups of each language prefix


def _languages() -> None:
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Search")  # reads the language's catalogues
            translation.get_language_info(code)


def _templates() -> None:
    """Every template of the project's own directories, through the engine's (cached) loaders:
    rendering one later finds it compiled, with what it extends and includes."""
    engine = engines["django"]
    for directory in engine.engine.dirs:
        root = Path(directory)
        for path in sorted(root.rglob("*")):
            if path.suffix not in {".html", ".txt", ".xml"} or not path.is_file():
                continue
            name = path.relative_to(root).as_posix()
            try:
                engine.get_template(name)
            except (TemplateDoesNotExist, TemplateSyntaxError) as error:
                logger.warning("warm-up: template %s not compiled: %s", name, error)
