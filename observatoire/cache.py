"""The public cache: rendered public pages and costly reads, invalidated at once by a generation.

Every key holds the current *generation*, a number kept in the cache and bumped by `bump()`
whenever public content may have changed (a publishable row or one shown with it saved or deleted,
territories or the demo loaded). A bump makes every earlier entry unreachable at once, so nothing
stale is served after a publish, a withdrawal or a withdrawn consent; the timeout only bounds
memory. Off when PUBLIC_CACHE_SECONDS is 0 (development, tests); the production settings turn it
on, with Redis shared by every worker (a per-process cache would not see another's bumps).
"""

import hashlib
import re
import time
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

GENERATION_KEY = "public:generation"
# The language switcher's form carries the visitor's CSRF token: stored as a placeholder, put back
# per request, so a cached page never hands out another visitor's token.
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
CSRF_PLACEHOLDER = b"@@csrf-token@@"
# Request headers a public view's answer depends on besides the path and the language (htmx).
VARYING_HEADERS = ("HX-Request", "HX-History-Restore-Request", "HX-Target")


def seconds() -> int:
    return getattr(settings, "PUBLIC_CACHE_SECONDS", 0)


def generation() -> int:
    """The current generation; starts from the clock, so a lost key never revives an old one."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return value


def _increment() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet (or evicted): any new one differs from the old
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def bump() -> None:
    """Public content changed: forget every cached page and fragment, now and at commit.

    Now, so the same transaction already reads fresh pages; at commit too, so a page rendered
    by another request from the old rows before the commit is not kept under the new generation.
    """
    if not seconds():
        return
    _increment()
    transaction.on_commit(_increment)


def key(*parts, current=None) -> str:
    """A cache key under the current generation and today's date (consents lapse by date).

    `current`: the generation when the caller read it already (one read for several keys).
    """
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    current = generation() if current is None else current
    return f"public:{current}:{timezone.localdate().isoformat()}:{digest}"


def get_or_set(parts: tuple, compute):
    """`compute()`, cached under `parts` and the generation; computed each time when off."""
    if not seconds():
        return compute()
    name = key(*parts)
    value = cache.get(name)
    if value is None:
        value = compute()
        cache.set(name, value, seconds())
    return value


def get_or_set_many(computes: dict) -> dict:
    """`{parts: compute}` to `{parts: compute()}`, each cached as `get_or_set` would (None too).

    One read and at most one write for all of them, whatever their number.
    """
    if not seconds():
        return {parts: compute() for parts, compute in computes.items()}
    current = generation()  # one round trip to Redis for all the keys, not one per key
    names = {parts: key(*parts, current=current) for parts in computes}
    found = cache.get_many(list(names.values()))
    values, missing = {}, {}
    for parts, compute in computes.items():
        if names[parts] in found:
            values[parts] = found[names[parts]]
        else:
            values[parts] = missing[names[parts]] = compute()
    if missing:
        cache.set_many(missing, seconds())
    return values


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
        return False
    return not len(get_messages(request))  # counting does not mark the messages as read


def _page_key(request) -> str:
    headers = tuple(request.headers.get(name, "") for name in VARYING_HEADERS)
    return key("page", request.get_host(), request.get_full_path(), get_language(), headers)


def _store(response) -> dict | None:
    """What a page's answer keeps in the cache, or None when it must not be shared."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    if "private" in response.get("Cache-Control", "") or "no-" in response.get("Cache-Control", ""):
        return None
    content = CSRF_INPUT.sub(
        b'name="csrfmiddlewaretoken" value="' + CSRF_PLACEHOLDER + b'"', response.content
    )
    return {"content": content, "headers": dict(response.items())}


def _restore(request, stored: dict) -> HttpResponse:
    token = get_token(request).encode()  # also makes the CSRF middleware set the cookie
    response = HttpResponse(stored["content"].replace(CSRF_PLACEHOLDER, token))
    for name, value in stored["headers"].items():
        response[name] = value
    return response


def public_page(view):
    """Serve a public page's rendered answer from the cache to anonymous GETs without messages.

    Keyed by host, full path, language, the htmx headers, the generation and the date; the
    response varies on the language and on the session (signed-in visitors bypass the cache).
    After a bump, concurrent visitors of the same page wait for one render (`_render_once`).
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not seconds() or not _cacheable_request(request):
            return view(request, *args, **kwargs)
        name = _page_key(request)
        stored = cache.get(name)
        if stored is not None:
            response = _restore(request, stored)
        else:
            response = _render_once(request, name, lambda: _render(view, request, args, kwargs))
        patch_vary_headers(response, ["Accept-Language", "Cookie"])
        return response

    return wrapped


def _render(view, request, args, kwargs):
    response = view(request, *args, **kwargs)
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    return response


# How long a request waits for another one rendering the same page before rendering it itself.
RENDER_WAIT_SECONDS = 10
RENDER_POLL_SECONDS = 0.01


def _render_once(request, name: str, render):
    """Render a page missing from the cache and store it; at most one render at a time per key.

    After a bump every page is missing at once: 32 visitors on the directory were 32 renders of
    the same page on two cores (the benchmark's load test: p95 29 ms with the cache warm, 395 ms
    right after a bump). The first request takes a lock (`cache.add`, atomic in Redis) and
    renders; the others poll the cache for its result, so they never see anything older than the
    current generation. A render that is not stored (an error, a 404) releases the lock and the
    waiters take it in turn; a lock left by a killed worker expires with RENDER_WAIT_SECONDS.
    """
    lock = f"{name}:rendering"
    deadline = time.monotonic() + RENDER_WAIT_SECONDS
    while not cache.add(lock, 1, timeout=RENDER_WAIT_SECONDS):
        if time.monotonic() >= deadline:
            return render()
        time.sleep(RENDER_POLL_SECONDS)
        stored = cache.get(name)
        if stored is not None:
            return _restore(request, stored)
    try:
        # A request that missed the page may take the lock just after the first render released
        # it: the page is stored by then, and rendering it again was the flaky second render.
        stored = cache.get(name)
        if stored is not None:
            return _restore(request, stored)
        response = render()
        stored = _store(response)
        if stored is not None:
            cache.set(name, stored, seconds())
        return response
    finally:
        cache.delete(lock)


# What the public pages show: rows of these apps (and taggit's themes), less the private
# bookkeeping written on every download or reading, which no public page shows.
PUBLIC_APPS = {"initiatives", "territoires", "terrain", "agenda", "publications", "evaluations"}
PUBLIC_MODELS = {"taggit.tag", "taggit.taggeditem"}
# The researchers' working rows (codebook, coding, seasons and visits, who interviewed) are
# never read by a public page: with them bumping, a day of coding forgot the whole public cache
# at every click. An excerpt shows only as a quote of a published finding (`_changed`).
PRIVATE_MODELS = {
    "terrain.accesslog",
    "terrain.memo",
    "terrain.code",
    "terrain.excerpt_codes",
    "terrain.season",
    "terrain.season_researchers",
    "terrain.season_funders",
    "terrain.visit",
    "terrain.visit_initiatives",
    "terrain.interview_interviewers",
    "publications.download",
    "publications.apitoken",
    "publications.partneraccount",
}


def _shown_publicly(model) -> bool:
    label = model._meta.label_lower
    if label in PRIVATE_MODELS:
        return False
    return label in PUBLIC_MODELS or model._meta.app_label in PUBLIC_APPS


def _changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):  # fixtures: loaded before any page is served
        return
    if sender._meta.label_lower == "medias.derivedfile":
        # A public rendition (a profile's photo) shows on pages; private ones never do.
        if getattr(kwargs.get("instance"), "public", False):
            bump()
        return
    shown_if = _SHOWN_IF.get(sender._meta.label_lower)
    if shown_if is not None:
        if shown_if(kwargs.get("instance")):
            bump()
        return
    if kwargs.get("action", "post_").startswith("post_") and _shown_publicly(sender):
        bump()


# Models shown on public pages only through some rows (a coded excerpt only once a published
# finding quotes it): label -> (instance) -> bool, registered by the owning app in its ready().
_SHOWN_IF: dict = {}


def shown_publicly_if(label: str, check) -> None:
    """A save or delete of a `label` row bumps the generation only when `check(instance)`."""
    _SHOWN_IF[label] = check


def connect_signals() -> None:
    """Bump the generation on every save, delete or many-to-many change of a public row.

    Queryset updates and bulk loads send no signal: their services call `bump()` themselves.
    """
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_changed, dispatch_uid=f"observatoire.cache.{id(signal)}")


def delete_prefixed(prefix: str) -> int:
    """Delete every entry whose key starts with `prefix`; returns how many were deleted.

    For what must not outlive an erasure until its timeout (a PDF with a name in it, a page of
    an earlier generation). Django's cache API cannot list keys: this reads the two backends the
    project uses, Redis and local memory; any other backend deletes nothing here and relies on the
    keys having changed.
    """
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    made = backend.make_key(prefix)
    if isinstance(backend, RedisCache):
        client = backend._cache.get_client(write=True)
        keys = list(client.scan_iter(match=made.replace("*", r"\*") + "*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
        return len(keys)
    if isinstance(backend, LocMemCache):
        with backend._lock:
            keys = [key for key in backend._cache if key.startswith(made)]
            for key in keys:
                backend._delete(key)
        return len(keys)
    return 0


def forget_everything() -> int:
    """Every stored page, fragment and version deleted now (the benchmark's cold requests)."""
    return delete_prefixed("public:")


def forget_public() -> int:
    """After an erasure: every stored page and fragment deleted, now and again at commit.

    At commit too: a page rendered meanwhile by another request, from the rows before the
    erasure, is not left behind. The generation goes with them; the next one starts afresh.
    """
    transaction.on_commit(lambda: delete_prefixed("public:"))
    return delete_prefixed("public:")
