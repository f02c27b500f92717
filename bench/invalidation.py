"""Invalidation (issue 18): after one initiative is edited, its pages are fresh on the very next
request and the other profiles are still served from the cache.

N published profiles (1,000 at full scale, 300 small, spread over the table) are requested through
gunicorn so the public cache holds them, with the edited initiative's profile, its commune's
directory listing and its territories' pages. Then the bench process edits the initiative's name
through `initiatives.services.save_entry` (the staff path, on the same Redis), and:

- its profile, the directory listing, its commune's and its région's pages must show the new
  name: "stale pages after one edit" counts those that do not (target 0);
- the N other profiles are requested again: the share answered from the cache (`X-Cache: hit`,
  set by `observatoire.cache.public_page`) is the figure (target >= 99 %). Those whose nearby or
  similar panel shows the edited initiative are rightly rendered again (the details count them).

With the single generation of before, every public change forgot every page: the share was 0 %.
The name is put back afterwards, so the dataset stays as generated.
"""

import time

from django.db import connection
from django.utils.html import escape

from . import Result, figure
from .server import Client, start

SUFFIX = " (modifiée)"


def spread_profiles(count: int) -> list[str]:
    """Published profiles spread over the table (a fixed pseudo-random order)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT slug FROM initiatives_initiative WHERE state = 'published' "
            "ORDER BY md5(id::text) LIMIT %s",
            [count],
        )
        return [f"/initiatives/{slug}/" for (slug,) in cursor.fetchall()]


def edited_initiative() -> tuple[int, str, str, str, str]:
    """The first by name of the densest région's published initiatives in a commune, so it stays
    on the first page of its territories once renamed: (pk, slug, name, commune, région code)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT r.code FROM initiatives_initiative i
            JOIN territoires_territory t ON t.id = i.territory_id
            JOIN territoires_territory r ON r.level = 'region' AND t.path LIKE r.path || '%%'
            WHERE i.state = 'published' GROUP BY r.code ORDER BY count(*) DESC LIMIT 1
            """
        )
        (region,) = cursor.fetchone()
        cursor.execute(
            """
            SELECT i.id, i.slug, i.name, t.code FROM initiatives_initiative i
            JOIN territoires_territory t ON t.id = i.territory_id AND t.level = 'commune'
            WHERE i.state = 'published' AND t.path LIKE %s
            ORDER BY i.name LIMIT 1
            """,
            [f"r{region}/%"],
        )
        pk, slug, name, commune = cursor.fetchone()
    return pk, slug, name, commune, region


def rename(pk: int, name: str) -> None:
    from initiatives.models import Initiative
    from initiatives.services import save_entry

    save_entry(Initiative.objects.get(pk=pk), {"name": name}, how="bench")


@figure("invalidation", order=25)
def invalidation(context: dict) -> list[Result]:
    client = Client(start(context))
    count = 1000 if context["scale"] == "full" else 300
    pk, slug, name, commune, region = edited_initiative()
    own = {
        "profile": f"/initiatives/{slug}/",
        "directory": f"/initiatives/?territoire=commune:{commune}",
        "commune page": f"/territoires/commune/{commune}/",
        "région page": f"/territoires/region/{region}/",
    }
    others = [path for path in spread_profiles(count + 1) if path != own["profile"]][:count]

    def hits(paths) -> list[str]:
        """The paths answered from the cache; every answer must be a 200."""
        found = []
        for path in paths:
            client.connection.request("GET", path, headers={"Accept-Language": "fr"})
            response = client.connection.getresponse()
            body = response.read()
            if response.status != 200:
                raise RuntimeError(f"{path}: {response.status}")
            if response.getheader("X-Cache") == "hit":
                found.append(path)
            pages[path] = body
        return found

    pages: dict[str, bytes] = {}
    started = time.monotonic()
    hits(list(own.values()) + others)  # the warm-up: every page rendered once
    warm = len(hits(others))  # and now served from the cache
    warmed_seconds = time.monotonic() - started
    showing = [path for path in others if escape(name).encode() in pages[path]]

    renamed = name + SUFFIX
    try:
        rename(pk, renamed)
        hits(list(own.values()))
        stale = [what for what, path in own.items() if escape(renamed).encode() not in pages[path]]
        cached = hits(others)
    finally:
        rename(pk, name)
    share = 100 * len(cached) / len(others)
    details = {
        "profiles": len(others),
        "cached before the edit": warm,
        "cached after the edit": len(cached),
        "profiles showing the edited initiative (nearby, similar)": len(showing),
        "other profiles rendered again": sorted(set(others) - set(cached)),
        "edited": {"slug": slug, "commune": commune, "région": region},
        "stale": stale,
        "warm-up seconds": round(warmed_seconds, 1),
    }
    return [
        Result(
            "invalidation: other profiles still cached after one edit",
            share,
            1.0,
            unit=" %",
            kind="min",
            target=99,
            notes="share of the other profiles answered with X-Cache: hit after the edit",
            details=details,
        ),
        Result(
            "invalidation: stale pages after one edit",
            len(stale),
            kind="limit",
            target=0,
            notes="the edited initiative's profile, directory listing, commune and région pages",
            details=details,
        ),
    ]
