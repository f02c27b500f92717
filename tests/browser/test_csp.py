"""The Content-Security-Policy holds and the pages live within it, in a real browser.

Chromium reports every blocked script, style, image or media as a console error ("Refused to …
because it violates the following Content Security Policy directive") and as a
`securitypolicyviolation` event; both are collected on every page a visitor and a researcher
open, and there must be none. Then the attack: a script injected into a page's markup does not run.
"""

import re

import pytest
from django.urls import reverse

from observatoire.settings.base import HTMX_INDICATOR_STYLE
from tests.browser.test_terrain import _log_in, audio_server  # noqa: F401 - fixtures
from tests.terrain.conftest import fieldwork, published, users  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

TILES = re.compile(r"^https://tile\.openstreetmap\.org/")
# A transparent 1x1 PNG served for every map tile: no network, and images load as they would.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


class Watcher:
    """Console errors about the policy, and violation events, of every page this tab opens."""

    def __init__(self, page):
        self.page, self.console = page, []
        page.add_init_script(WATCH)
        page.on("console", self._console)
        page.route(TILES, lambda route: route.fulfill(body=PNG, content_type="image/png"))

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(f"{self.page.url}: {message.text}")

    def visit(self, url, *, ready=None):
        response = self.page.goto(url)
        assert response.status == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"]
        self.page.wait_for_load_state("networkidle")
        if ready:
            self.page.wait_for_function(ready)
        events = self.page.evaluate("window.__cspViolations")
        assert events == [], f"{url}: {events}"
        return response

    def assert_clean(self):
        assert self.console == [], "\n".join(self.console)


@pytest.fixture
def site(published):  # noqa: F811
    from initiatives.models import Initiative

    # The profile draws its map only for an initiative with a position.
    Initiative.objects.filter(slug="maison-des-echanges").update(latitude=50.48, longitude=2.55)
    return published


def test_public_pages_load_without_a_single_csp_violation(strict_page, live_server, site):
    page = strict_page
    watcher = Watcher(page)
    base = live_server.url
    watcher.visit(base + "/")
    watcher.visit(base + "/initiatives/", ready="() => window.htmx !== undefined")
    # htmx's own indicator style is the one inline <style> allowed (by hash): it must be there.
    assert page.evaluate(
        "() => [...document.querySelectorAll('style')].some(s => s.textContent.includes("
        "'htmx-indicator'))"
    )
    watcher.visit(
        base + "/initiatives/maison-des-echanges/",
        ready="() => document.querySelector('#profile-map .leaflet-tile-loaded')",
    )
    watcher.visit(base + "/carte/", ready="() => document.querySelector('.leaflet-tile-loaded')")
    embed = watcher.visit(
        base + "/carte/embed/", ready="() => document.querySelector('.leaflet-tile-loaded')"
    )
    assert "frame-ancestors *" in embed.headers["content-security-policy"]
    watcher.visit(base + reverse("findings:list"))
    watcher.visit(base + "/territoires/")
    watcher.assert_clean()


def test_the_reader_plays_its_recording_within_the_policy(
    strict_page,
    live_server,
    site,
    audio_server,  # noqa: F811
    settings,
):
    page = strict_page
    interview = site["interview"]
    settings.RECORDING_URL_HOSTS = [audio_server.split("/")[2]]
    interview.audio_url = audio_server
    interview.save()
    watcher = Watcher(page)
    _log_in(strict_page, live_server, "member")
    response = watcher.visit(live_server.url + interview.get_absolute_url())
    # The external recording host is allowed on this page only, for media only.
    policy = response.headers["content-security-policy"]
    assert f"media-src 'self' {audio_server.rsplit('/', 1)[0]}" in policy
    page.evaluate("document.getElementById('player').play().catch(() => {})")
    page.wait_for_function("document.getElementById('player').readyState >= 1")
    assert page.evaluate("document.getElementById('player').duration") == pytest.approx(30, 0.1)
    files = reverse("medias:owner-files", args=["interview", interview.pk])
    watcher.visit(live_server.url + files, ready="() => window.htmx !== undefined")
    watcher.visit(live_server.url + reverse("terrain:season", args=[site["season"].pk]))
    watcher.assert_clean()


def test_an_injected_inline_script_does_not_run(strict_page, live_server, site):
    page = strict_page
    watcher = Watcher(page)
    watcher.visit(live_server.url + "/")
    # What an XSS would do: markup with an inline script and an event handler in the page.
    page.evaluate(
        """() => {
            const box = document.createElement("div");
            box.innerHTML = '<img src="/nothing.png" onerror="window.__ran = true">';
            document.body.appendChild(box);
            const script = document.createElement("script");
            script.textContent = "window.__ran = true";
            document.body.appendChild(script);
        }"""
    )
    page.wait_for_timeout(300)
    assert page.evaluate("window.__ran") is None
    assert len(page.evaluate("window.__cspViolations")) >= 1
    assert watcher.console  # and Chromium said so in the console


def test_the_htmx_indicator_hash_matches_the_installed_htmx(settings):
    import base64
    import hashlib
    from pathlib import Path

    source = (Path(settings.NODE_MODULES) / "htmx.org/dist/htmx.min.js").read_text()
    css = (
        ".htmx-indicator{opacity:0;visibility: hidden} .htmx-request .htmx-indicator, "
        ".htmx-request.htmx-indicator{opacity:1;visibility: visible;transition: opacity 200ms "
        "ease-in}"
    )
    # The text is built from the default class names in htmx's source; check the pieces are there.
    assert "{opacity:0;visibility: hidden} " in source
    assert "{opacity:1;visibility: visible;transition: opacity 200ms ease-in}" in source
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert f"'sha256-{digest}'" == HTMX_INDICATOR_STYLE


def test_staff_pages_admin_and_api_load_without_a_csp_violation(strict_page, live_server, site):
    page = strict_page
    watcher = Watcher(page)
    _log_in(strict_page, live_server, "staff")
    base = live_server.url
    watcher.visit(base + reverse("medias:jobs"), ready="() => window.htmx !== undefined")
    watcher.visit(base + reverse("terrain:access-log"))
    watcher.visit(base + reverse("publications:downloads"))
    watcher.visit(base + reverse("accompagnements:board"))
    watcher.visit(base + reverse("api:docs"))
    watcher.visit(base + reverse("api:initiative-list") + "?format=api")
    watcher.visit(base + reverse("publications:dictionary"))
    # The directory's staff forms: the pin map, the pickers and the territory input.
    watcher.visit(
        base + reverse("initiatives:edit", args=["maison-des-echanges"]),
        ready="() => document.querySelector('#pin-map.leaflet-container') !== null",
    )
    watcher.visit(base + reverse("initiatives:organisation-create"))
    watcher.visit(
        base + reverse("initiatives:pole-create"),
        ready="() => document.querySelector('.ts-wrapper') !== null",
    )
    watcher.assert_clean()


def test_the_admin_loads_without_a_csp_violation(strict_page, live_server, site):
    page = strict_page
    from django.contrib.auth.models import User

    User.objects.filter(username="staff").update(is_superuser=True)
    watcher = Watcher(page)
    _log_in(strict_page, live_server, "staff")
    base = live_server.url
    watcher.visit(base + "/admin/")
    watcher.visit(base + "/admin/initiatives/initiative/")
    initiative = site["initiative"]
    watcher.visit(base + f"/admin/initiatives/initiative/{initiative.pk}/change/")
    watcher.assert_clean()
