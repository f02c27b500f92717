"""A new web process prepares, as it starts, what its first request would have prepared."""

import json

from tests.fresh_python import REPO, run_script

# What a process holds after importing the WSGI module (as a gunicorn worker does as it starts).
SCRIPT = """
import json, sys
from observatoire.wsgi import application
from django.template import engines
from django.utils.translation import trans_real

loader = engines["django"].engine.template_loaders[0]
print(json.dumps({
    "views": sorted(m for m in ("terrain.views.cases", "publications.api.views", "carte.views")
                    if m in sys.modules),
    "templates": sorted(k.split(":")[0] for k in loader.get_template_cache),
    "languages": sorted(trans_real._translations),
}))
"""


def held(tmp_path, warm_up: str) -> dict:
    result = run_script(SCRIPT, tmp_path, WARM_UP=warm_up)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_new_worker_has_its_views_templates_and_languages_ready_before_its_first_request(
    tmp_path,
):
    templates = sorted(
        path.relative_to(REPO / "templates").as_posix()
        for path in (REPO / "templates").rglob("*")
        if path.suffix in {".html", ".txt", ".xml"}
    )

    warmed = held(tmp_path, "true")
    cold = held(tmp_path, "false")

    assert warmed["views"] == ["carte.views", "publications.api.views", "terrain.views.cases"]
    assert set(templates) <= set(warmed["templates"])  # and what they extend from Django's apps
    assert {"en", "fr"} <= set(warmed["languages"])
    # Without the warm-up, the first request would do it all.
    assert cold["views"] == [] and cold["templates"] == []
    assert "en" not in cold["languages"]
