"""No settings route the media folder: the embedded default (DEBUG on) used to serve everything
under MEDIA_ROOT at `/media/`, consent forms and partner-only files included, `.html` as
text/html in the site's origin.

The attack is replayed in a fresh interpreter with the embedded defaults, where DEBUG is on and
the URLs are built as `make demo` builds them.
"""

import json

import pytest

from tests.fresh_python import run_script

ATTACK = r"""
import json
import django
from pathlib import Path

django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import get_resolver

setup_test_environment()
planted = {
    "private/consents/2024/formulaire.html": b"<script>alert(document.cookie)</script>",
    "publications/rapport-partenaires/data.csv": b"id,name\n1,Maison\n",
}
for name, content in planted.items():
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def views(patterns):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            yield from views(pattern.url_patterns)
        else:
            callback = pattern.callback
            name = getattr(callback, "__name__", type(callback).__name__)
            yield f"{callback.__module__}.{name}"


client = Client()
answers = {}
for name in planted:
    response = client.get(f"{settings.MEDIA_URL}{name}")
    answers[name] = [response.status_code, response.get("Content-Type", "")]
print(json.dumps({
    "debug": settings.DEBUG,
    "answers": answers,
    "static_serve": "django.views.static.serve" in set(views(get_resolver().url_patterns)),
}))
"""


@pytest.mark.parametrize("debug", ["true", "false"])
def test_the_media_folder_is_served_by_no_route(tmp_path, debug):
    result = run_script(ATTACK, tmp_path / "var", DEBUG=debug)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["debug"] is (debug == "true")
    for name, (status, content_type) in report["answers"].items():
        assert status == 404, (name, status, content_type)
    assert report["static_serve"] is False
