"""Signed-in pages against the floor requested with the same session: p50 and p95, over gunicorn.

Issue 18: fast when the cache cannot help. Signed-in people never get the public page cache, so
every one of their requests is a full render. Three bench users are created here (and deleted at
the end), each with the role the site gives them (observatoire/roles.py), and sign in through
the login form as a person would:
- a staff member: the directory `/initiatives/` and an initiative's profile;
- a partner with a partner account (publications.PartnerAccount): the portal `/espace-partenaire/`;
- a researcher, member of the season with the most interviews (the full dataset: ten seasons of
  about 500): the season's page `/terrain/<season>/`.
The floor is `/bench/floor/` requested with the same session, so it carries the same session,
user and menu queries; floor and page alternate on one keep-alive connection. Target: each page
<= 5 x its floor, p50 and p95.
"""

import http.client
import re
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection

from observatoire.roles import PARTNER, RESEARCHER, STAFF

from . import Result, figure
from .measure import interleave, percentile, samples
from .pages import FLOOR, profile_paths
from .server import start

TARGET = 5.0
PASSWORD = "bench-signed-in-1"  # noqa: S105 - a bench account, deleted at the end of the figure
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class SessionClient:
    """One keep-alive connection that keeps its cookies, as a browser does."""

    def __init__(self, base: str):
        host, port = base.removeprefix("http://").split(":")
        self.host, self.port = host, int(port)
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        headers = {"Accept-Language": "fr", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):
            self.connection.close()  # the server closed a kept-alive connection: try once more
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, content

    def timed(self, path: str) -> tuple[int, float]:
        started = time.perf_counter()
        status, _headers, _content = self.request("GET", path)
        return status, time.perf_counter() - started

    def login(self, username: str, password: str) -> None:
        """The login form: its CSRF token, then the POST; a redirect means signed in."""
        status, _headers, content = self.request("GET", "/comptes/login/")
        token = CSRF_FIELD.search(content)
        if status != 200 or token is None:
            raise RuntimeError(f"the login form answered {status}")
        body = urlencode(
            {
                "csrfmiddlewaretoken": token.group(1).decode(),
                "username": username,
                "password": password,
            }
        )
        status, _headers, _content = self.request(
            "POST",
            "/comptes/login/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{self.host}:{self.port}/comptes/login/",
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"{username} could not sign in ({status})")


def _user(username: str, role: str, **fields):
    user, _created = get_user_model().objects.update_or_create(
        username=username, defaults={"is_active": True, **fields}
    )
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name=role))
    return user


def _busiest_season() -> tuple[int, int]:
    """The season with the most interviews, and how many."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT v.season_id, count(*) FROM terrain_interview i "
            "JOIN terrain_visit v ON v.id = i.visit_id "
            "GROUP BY v.season_id ORDER BY count(*) DESC, v.season_id LIMIT 1"
        )
        return cursor.fetchone()


def users() -> dict:
    """The three bench users, with what their pages need."""
    from initiatives.models import Organisation
    from publications.models import PartnerAccount
    from terrain.models import Season

    staff = _user("bench-staff", STAFF, is_staff=True)
    partner = _user("bench-partner", PARTNER)
    organisation = Organisation.objects.published().order_by("pk").first()
    PartnerAccount.objects.update_or_create(user=partner, defaults={"organisation": organisation})
    researcher = _user("bench-researcher", RESEARCHER)
    season_id, interviews = _busiest_season()
    Season.objects.get(pk=season_id).researchers.add(researcher)
    return {
        "staff": staff,
        "partner": partner,
        "researcher": researcher,
        "season": season_id,
        "interviews": interviews,
    }


@figure("signed-in pages", order=50)
def signed_in(context: dict) -> list[Result]:
    base = start(context)
    people = users()
    rounds = samples(context, small=20, full=40)
    subjects = [
        ("staff", "staff directory", "/initiatives/"),
        ("staff", "staff profile", profile_paths(1)[0]),
        ("partner", "partner portal", "/espace-partenaire/"),
        ("researcher", "season page", f"/terrain/{people['season']}/"),
    ]
    results = []
    try:
        clients = {}
        for role in ("staff", "partner", "researcher"):
            clients[role] = SessionClient(base)
            clients[role].login(people[role].username, PASSWORD)
        for role, name, path in subjects:
            client = clients[role]
            errors = []

            def timed(url, client=client, errors=errors):
                status, seconds = client.timed(url)
                if status != 200:
                    errors.append(f"{url}: {status}")
                return seconds

            floors, pages = interleave(
                lambda i: timed(FLOOR), lambda i, path=path: timed(path), rounds
            )
            if errors:
                raise RuntimeError(f"{name} answered with errors: {errors[:5]}")
            details = {"path": path, "rounds": rounds, "user": people[role].username}
            if role == "researcher":
                details["interviews in the season"] = people["interviews"]
            for q in (50, 95):
                results.append(
                    Result(
                        f"{name}, signed in, p{q}",
                        percentile(pages, q) * 1000,
                        percentile(floors, q) * 1000,
                        unit=" ms",
                        target=TARGET,
                        notes="floor: /bench/floor/ with the same session",
                        details=details,
                    )
                )
    finally:
        get_user_model().objects.filter(
            username__in=["bench-staff", "bench-partner", "bench-researcher"]
        ).delete()
    return results
