"""Browser tests: Playwright for Python drives Debian's Chromium against live_server.

Playwright's own browser download is never used: the browser is /usr/bin/chromium (`make chromium`).
Accessibility is checked with axe-core from node_modules (package.json), injected into the page.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an asyncio event loop in the test thread; Django would otherwise
# refuse ORM calls from it (SynchronousOnlyOperation) in fixtures and in the tests themselves.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
BLOCKING_IMPACTS = {"serious", "critical"}
SCREENSHOTS_DIR = Path(settings.BASE_DIR) / "var" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium` (Debian's chromium package).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _new_page(browser, viewport, *, bypass_csp=True):
    # The tests' own tooling (axe-core injected as an inline script, string predicates that
    # Playwright evaluates) is what the site's Content-Security-Policy forbids; the policy itself
    # is tested by test_csp.py, in pages made with bypass_csp=False (the `strict_page` fixture).
    context = browser.new_context(viewport=viewport, locale="fr-FR", bypass_csp=bypass_csp)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


@pytest.fixture
def page(browser, live_server):
    """A desktop-sized page in a fresh context (no cookies shared between tests)."""
    context, page = _new_page(browser, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def strict_page(browser, live_server):
    """A desktop page that obeys the Content-Security-Policy, as visitors' browsers do."""
    context, page = _new_page(browser, DESKTOP, bypass_csp=False)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A page at a phone's width (375 CSS pixels)."""
    context, page = _new_page(browser, PHONE)
    yield page
    context.close()


def axe_violations(page, options: dict | None = None) -> list[dict]:
    """Inject axe-core into the page (once) and return the violations of `axe.run()`."""
    axe = Path(settings.NODE_MODULES) / "axe-core" / "axe.min.js"
    if not axe.exists():
        pytest.fail(f"{axe} is missing: run `make setup` (npm ci installs axe-core).")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol rather than added as an inline <script>, which
        # the site's Content-Security-Policy refuses in a page that does not bypass it.
        page.evaluate(axe.read_text(encoding="utf-8") + "\n;undefined")
    return page.evaluate(
        "async (options) => (await axe.run(document, options || {})).violations", options
    )


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        impact, rule = violation["impact"], violation["id"]
        lines.append(f"[{impact}] {rule}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}: {summary}")
    return "\n".join(lines)


def assert_no_serious_violations(page, options: dict | None = None) -> None:
    """Fail the test, listing them, if axe finds any serious or critical violation."""
    violations = [v for v in axe_violations(page, options) if v["impact"] in BLOCKING_IMPACTS]
    if violations:
        pytest.fail(
            f"axe-core found serious or critical violations on {page.url}:\n"
            + format_violations(violations),
            pytrace=False,
        )


def save_screenshot(page, name: str) -> Path:
    """Save a full-page screenshot in var/screenshots/ for people to look at."""
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_no_horizontal_scroll(page) -> None:
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["inner"], (
        f"{page.url} scrolls sideways at {widths['inner']}px: content is {widths['scroll']}px wide"
    )


# The helpers as fixtures, so that test modules need not import from a conftest.
@pytest.fixture(name="axe_violations")
def axe_violations_fixture():
    """`axe_violations(page)` -> the list of axe-core violations on the page."""
    return axe_violations


@pytest.fixture(name="assert_accessible")
def assert_accessible_fixture():
    """`assert_accessible(page)` fails the test listing serious or critical axe violations."""
    return assert_no_serious_violations


@pytest.fixture(name="assert_fits_width")
def assert_fits_width_fixture():
    """`assert_fits_width(page)` fails if the page scrolls sideways."""
    return assert_no_horizontal_scroll


@pytest.fixture(name="screenshot")
def screenshot_fixture():
    """`screenshot(page, "name")` saves var/screenshots/name.png and returns its path."""
    return save_screenshot
