"""Every page a role reaches from its landing page is valid HTML for the W3C validator (vnu, the
Nu Html Checker that validator.w3.org runs), from npm's `vnu-jar`, run on Java.

Each role (anonymous, partner, researcher, staff) starts from its landing page and follows the
site's own links two levels deep (GET pages only, no downloads), and every page it meets is handed
to vnu in one run. A page with an error fails the test, with vnu's message and line."""

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from tests.search.parity import load_demo_data

VNU = Path(settings.NODE_MODULES) / "vnu-jar" / "build" / "dist" / "vnu.jar"
ROLES = [None, "partner", "researcher", "staff"]
# Downloads and actions that are not pages, and the admin (Django's own markup, not ours).
SKIP = (
    "/admin/",
    "/static/",
    "/media/",
    "/api/",
    "/deconnexion/",
    "/logout/",
    "/en/",
)
MAX_PAGES_PER_ROLE = 70


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href") and "download" not in attrs:
            self.hrefs.append(attrs["href"])


def same_site_pages(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        url = urldefrag(href)[0]
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if any(parts.path.startswith(prefix) for prefix in SKIP):
            continue
        found.append(url)
    return found


def crawl(client, start: str) -> dict[str, str]:
    pages, queue, seen = {}, [(start, 0)], {start}
    while queue and len(pages) < MAX_PAGES_PER_ROLE:
        url, depth = queue.pop(0)
        response = client.get(url)
        kind = response.get("Content-Type", "")
        if response.status_code != 200 or not kind.startswith("text/html"):
            continue
        html = response.content.decode()
        pages[url] = html
        if depth < 2:
            for link in same_site_pages(html):
                # One page per path: the same list with other filters has the same markup.
                path = urlsplit(link).path
                if path not in seen:
                    seen.add(path)
                    queue.append((link, depth + 1))
    return pages


@pytest.fixture
def demo_site(db, settings):
    settings.DEMO_ALLOWED = True
    load_demo_data(count=30)


@pytest.mark.skipif(
    not shutil.which("java"), reason="the validator needs Java (make test installs it)"
)
def test_every_page_each_role_reaches_is_valid_html(demo_site, client, tmp_path):
    User = get_user_model()
    files = {}
    for role in ROLES:
        client.logout()
        if role:
            client.force_login(User.objects.get(username=role))
        landing = client.get("/", follow=True).redirect_chain
        start = landing[-1][0] if landing else "/"
        for url, html in crawl(client, start).items():
            name = f"{role or 'public'}-{len(files):03d}.html"
            (tmp_path / name).write_text(html)
            files[name] = f"{role or 'public'} {url}"
    assert len(files) > 60, sorted(files.values())

    run = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--exit-zero-always"]
        + sorted(str(tmp_path / name) for name in files),
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(run.stderr or run.stdout)["messages"]
    errors = [
        f"{files[Path(m['url']).name]} line {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error"
    ]
    assert not errors, "\n".join(errors[:40])
