"""The public cache: rendered public pages and costly reads, each forgotten when what it shows
changes (issue 18: invalidation that forgets only what changed).

Versioned keys, dependencies declared by the reader:

- *Tags* name what an entry shows: `"initiatives.initiative:42"` (one row), `"initiatives.role"`
  (any row of a model: lists, facets, counts), scopes apps name themselves (`"territory:d62"`:
  what a territory page lists, touched by their own writers) and `"*"` (any public change).
  While a page or fragment is computed, its readers call `depends_on(*tags)`; one that declared
  nothing depends on `"*"`, so every page not made precise keeps the old behaviour: forgotten at
  every public change. A fragment computed or read inside a page adds its tags to the page's.
- *Versions*: one cache key per tag (`public:v:<tag>`), starting from the clock when missing (an
  evicted version never revives an old entry), incremented by `touch()`. An entry keeps the
  versions of its tags read when it was stored, and is served only while they all still match
  (one `get_many`). An entry whose computing overlapped a change (the `"*"` version moved
  meanwhile) is not stored: it may have read the rows before the change.
- *Writers*: the save, delete and many-to-many signals of public rows touch the changed row's tag,
  its model's, the tags of the rows it points to (a role: its initiative, organisation and
  person; a theme on an initiative: the initiative), what apps register with `touches()` (an
  initiative: its territories' scopes, old and new) and `"*"`.
- The *generation* stays in every key and `bump()` still forgets everything at once: withdrawals
  (a published row unpublished or deleted, a withdrawn consent), erasures (`forget_public`),
  territory loads. Removing something from public view never depends on a reader having declared
  it.

Off when PUBLIC_CACHE_SECONDS is 0 (development, tests); the production settings turn it on, with
Redis shared by every worker (a per-process cache would not see another's changes).
"""

import contextvars
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
VERSION_PREFIX = "public:v:"
# The tag of any public change, and what an entry that declared nothing depends on.
ANY = "*"
# Returned by a `touches()` function: the change is a withdrawal, forget everything.
EVERYTHING = "!everything"
# The language switcher's form carries the visitor's CSRF token: stored as a placeholder, put back
# per request, so a cached page never hands out another visitor's token.
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
CSRF_PLACEHOLDER = b"@@csrf-token@@"
# Request headers a public view's answer depends on besides the path and the language (htmx).
VARYING_HEADERS = ("HX-Request", "HX-History-Restore-Request", "HX-Target")
# Whether a page came from the cache ("hit") or was rendered ("miss"): for the benchmark and ops.
CACHE_HEADER = "X-Cache"

# The tags declared by the readers of the page or fragment being computed (None: not computing).
_collected: contextvars.ContextVar = contextvars.ContextVar("public_cache_tags", default=None)


# The fragments a public page's render computed, kept until the page is stored: their versions
# are read with the page's and they are written in the page's last round trip (None: not in a
# page's render, a fragment is written at once).
_pending: contextvars.ContextVar = contextvars.ContextVar("public_cache_pending", default=None)


def seconds() -> int:
    return getattr(settings, "PUBLIC_CACHE_SECONDS", 0)


# The generation a public page's request read for its key: its panels' and fragments' keys use
# the same one (one round trip less a page; a bump meanwhile is caught when the page is stored).
_request_generation: contextvars.ContextVar = contextvars.ContextVar(
    "public_cache_generation", default=None
)


def generation() -> int:
    """The current generation; starts from the clock, so a lost key never revives an old one."""
    known = _request_generation.get()
    if known is not None:
        return known
    redis = _redis()
    if redis is not None:  # created when missing and read in one round trip
        return _created_and_read([GENERATION_KEY], redis)[GENERATION_KEY]
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return value


def _increment(name: str = GENERATION_KEY) -> None:
    try:
        cache.incr(name)
    except ValueError:  # no such key yet (or evicted): any new one differs from the old
        cache.set(name, time.time_ns(), timeout=None)


def bump() -> None:
    """Something left public view: forget every cached page and fragment, now and at commit.

    Now, so the same transaction already reads fresh pages; at commit too, so a page rendered
    by another request from the old rows before the commit is not kept under the new generation.
    """
    if not seconds():
        return
    _increment()
    transaction.on_commit(_increment)


# Tags


def tag(obj_or_model, pk=None) -> str:
    """`"app_label.model:pk"` for a row (or a model and a pk), `"app_label.model"` for a model."""
    label = obj_or_model._meta.label_lower
    if pk is None and not isinstance(obj_or_model, type):
        pk = obj_or_model.pk
    return label if pk is None else f"{label}:{pk}"


def tags(objs) -> list[str]:
    """The tag of each row of `objs`."""
    return [tag(obj) for obj in objs]


def depends_on(*names) -> None:
    """What the page or fragment being computed shows; nothing outside a computation."""
    collected = _collected.get()
    if collected is not None:
        collected.update(name for name in names if name)


def _compute(compute):
    """`compute()` and the tags its readers declared (`ANY` when they declared none)."""
    token = _collected.set(set())
    try:
        value = compute()
        declared = _collected.get()
    finally:
        _collected.reset(token)
    return value, frozenset(declared or (ANY,))


def versions(names) -> dict:
    """{tag: its current version}, in one read (two when some tag has no version yet)."""
    names = set(names)
    keys = {name: VERSION_PREFIX + name for name in names}
    redis = _redis()
    if redis is not None:  # one round trip, whether or not some are missing (a cold render)
        found = _created_and_read(list(keys.values()), redis)
        return {name: found[keys[name]] for name in names}
    found = cache.get_many(list(keys.values()))
    missing = {keys[name]: time.time_ns() for name in names if keys[name] not in found}
    if missing:
        # Two requests may both create one: the later value wins and the other's entries are
        # misses, never stale (a version only ever takes a value it never had).
        cache.set_many(missing, timeout=None)
        found.update(missing)
    return {name: found.get(keys[name]) for name in names}


def touch(*names) -> None:
    """What these tags name changed: entries that depend on them are recomputed, now and after
    commit (as `bump()`, for pages rendered meanwhile from the rows before the commit)."""
    if not seconds() or not names:
        return
    keys = [VERSION_PREFIX + name for name in sorted(set(names) | {ANY})]
    _increment_many(keys)
    transaction.on_commit(lambda: _increment_many(keys))


def _increment_many(keys: list[str]) -> None:
    """Each key incremented (created from the clock when missing): on Redis in one round trip."""
    from django.core.cache.backends.redis import RedisCache

    backend = _backend()
    if isinstance(backend, RedisCache):
        pipeline = backend._cache.get_client(write=True).pipeline(transaction=False)
        for name in keys:
            made = backend.make_key(name)
            pipeline.set(made, time.time_ns(), nx=True)
            pipeline.incr(made)
        pipeline.execute()
        return
    for name in keys:
        _increment(name)


def _backend():
    from django.core.cache import caches

    return caches["default"]


def _redis():
    """The Redis backend behind the cache, or None (local memory in some tests, the demo)."""
    from django.core.cache.backends.redis import RedisCache

    backend = _backend()
    return backend if isinstance(backend, RedisCache) else None


# Each counter created from the clock when missing, then all read: one command, whatever their
# number (a cold profile reads about 30 at once; as a pipeline of SET NX and MGET, redis-py's
# Python for each command was a tenth of the page's CPU).
_CREATE_AND_READ = """
for _, key in ipairs(KEYS) do redis.call('SET', key, ARGV[1], 'NX') end
return redis.call('MGET', unpack(KEYS))
"""
# The generation created when missing and read, then the page stored under it read: a public
# page's first round trip (two before: the page's key holds the generation).
_GENERATION_AND_PAGE = """
redis.call('SET', KEYS[1], ARGV[1], 'NX')
local current = redis.call('GET', KEYS[1])
return {current, redis.call('GET', ARGV[2] .. current .. ARGV[3])}
"""
_scripts: dict = {}


def _script(client, source: str):
    """A Lua script registered once (run by its SHA, loaded again if Redis lost it)."""
    script = _scripts.get(source)
    if script is None:
        script = _scripts[source] = client.register_script(source)
    return script


def _created_and_read(names: list[str], backend) -> dict:
    """{name: value} of these counters, each created from the clock when missing (never
    overwritten: of two requests creating one, the first value stays), in one round trip.

    Keys are made with `make_key`, not `make_and_validate_key`: they are ours (tags, digests),
    and the validation (memcached's rules, a loop over each character) cost 2 us a key."""
    made = [backend.make_key(name) for name in names]
    client = backend._cache.get_client(write=True)
    now = time.time_ns()
    values = _script(client, _CREATE_AND_READ)(keys=made, args=[now], client=client)
    return {
        name: now if value is None else int(value)  # None: evicted in between, as good as new
        for name, value in zip(names, values, strict=True)
    }


def _fresh(entry, current: dict | None = None) -> bool:
    """Whether a stored entry's tags all still have the versions it was stored under."""
    if not isinstance(entry, dict) or "versions" not in entry:
        return False
    if current is None:
        current = versions(entry["versions"])
    return all(current.get(name) == version for name, version in entry["versions"].items())


def key(*parts, current=None) -> str:
    """A cache key under the current generation and today's date (consents lapse by date).

    `current`: the generation when the caller read it already (one read for several keys).
    """
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    current = generation() if current is None else current
    return f"public:{current}:{timezone.localdate().isoformat()}:{digest}"


def get_or_set(parts: tuple, compute):
    """`compute()`, cached under `parts` until what it declared changes; computed each time when
    off. Inside a page or fragment being computed, its tags become that one's too."""
    parts = _frozen(parts)
    return get_or_set_many({parts: compute})[parts]


def _frozen(value):
    """`value` with its lists, sets and dicts made tuples: a key of `get_or_set_many` (the same
    `repr` for the same parts, whatever the container a caller built them in)."""
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, set | frozenset):
        return tuple(sorted((_frozen(item) for item in value), key=repr))
    if isinstance(value, dict):
        return tuple((name, _frozen(item)) for name, item in value.items())
    return value


def get_or_set_many(computes: dict) -> dict:
    """`{parts: compute}` to `{parts: compute()}`, each cached as `get_or_set` would (None too).

    One read of the entries, one of their versions and at most one write for all of them,
    whatever their number.
    """
    if not seconds():
        return {parts: compute() for parts, compute in computes.items()}
    gen = generation()  # one round trip to Redis for all the keys, not one per key
    names = {parts: key(*parts, current=gen) for parts in computes}
    found, current = _entries_and_any(list(names.values()))
    entries = {parts: found.get(name) for parts, name in names.items()}
    stored = {ANY}
    for entry in entries.values():
        if isinstance(entry, dict) and "versions" in entry:
            stored.update(entry["versions"])
    if stored != set(current):  # what the entries found depend on (none when all are missing)
        current = versions(stored)
    values, computed = {}, {}
    for parts, compute in computes.items():
        entry = entries[parts]
        if _fresh(entry, current):
            values[parts] = entry["value"]
            depends_on(*entry["versions"])
        else:
            values[parts], declared = _compute(compute)
            depends_on(*declared)
            computed[names[parts]] = (values[parts], declared)
    pending = _pending.get()
    if computed and pending is not None:  # stored with the page (`_rendered`)
        pending.append((computed, current[ANY]))
    elif computed:
        now = versions(set().union(*(declared for _value, declared in computed.values())) | {ANY})
        if now[ANY] == current[ANY]:  # else something changed while computing: keep nothing
            cache.set_many(
                {
                    name: {"value": value, "versions": {tag: now[tag] for tag in declared}}
                    for name, (value, declared) in computed.items()
                },
                seconds(),
            )
    return values


def _entries_and_any(names: list[str]) -> tuple[dict, dict]:
    """The entries stored under `names` and the `ANY` version: one round trip on Redis."""
    redis = _redis()
    if redis is None:
        return cache.get_many(names), versions([ANY])
    client, serializer = redis._cache.get_client(write=True), redis._cache._serializer
    made = [redis.make_key(name) for name in names]
    made_any, now = redis.make_key(VERSION_PREFIX + ANY), time.time_ns()
    pipeline = client.pipeline(transaction=False)
    pipeline.mget(made)
    pipeline.set(made_any, now, nx=True)
    pipeline.get(made_any)
    values, _created, version = pipeline.execute()
    found = {
        name: serializer.loads(value)
        for name, value in zip(names, values, strict=True)
        if value is not None
    }
    return found, {ANY: now if version is None else int(version)}


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
        return False
    return not len(get_messages(request))  # counting does not mark the messages as read


def _page_parts(request) -> tuple:
    headers = tuple(request.headers.get(name, "") for name in VARYING_HEADERS)
    return ("page", request.get_host(), request.get_full_path(), get_language(), headers)


def _page_key(request) -> str:
    return key(*_page_parts(request))


_MARK = "\ue010"  # where the generation goes in a page's key, for `_page_key_and_entry`


def _page_key_and_entry(request) -> tuple[str, object]:
    """The page's key and what is stored under it (None): on Redis, in one round trip."""
    redis = _redis()
    if redis is None:
        name = _page_key(request)
        return name, cache.get(name)
    pattern = key(*_page_parts(request), current=_MARK)
    head, _mark, tail = redis.make_key(pattern).partition(_MARK)
    client = redis._cache.get_client(write=True)
    found, page = _script(client, _GENERATION_AND_PAGE)(
        keys=[redis.make_key(GENERATION_KEY)], args=[time.time_ns(), head, tail], client=client
    )
    name = pattern.replace(_MARK, str(int(found)))
    return name, None if page is None else redis._cache._serializer.loads(page)


def _store(response, declared=(ANY,), before=None, current=None) -> dict | None:
    """What a page's answer keeps in the cache, or None when it must not be shared (or when a
    public change happened since `before`, the `ANY` version when its render began).
    `current`: the versions of `declared` and `ANY`, when the caller read them already."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    if "private" in response.get("Cache-Control", "") or "no-" in response.get("Cache-Control", ""):
        return None
    content = CSRF_INPUT.sub(
        b'name="csrfmiddlewaretoken" value="' + CSRF_PLACEHOLDER + b'"', response.content
    )
    if current is None:
        current = versions(set(declared) | {ANY})
    if before is not None and current[ANY] != before:
        return None
    return {
        "content": content,
        "headers": dict(response.items()),
        "versions": {name: current[name] for name in declared},
    }


def _restore(request, stored: dict) -> HttpResponse:
    token = get_token(request).encode()  # also makes the CSRF middleware set the cookie
    response = HttpResponse(stored["content"].replace(CSRF_PLACEHOLDER, token))
    for name, value in stored["headers"].items():
        response[name] = value
    response[CACHE_HEADER] = "hit"
    return response


def public_page(view):
    """Serve a public page's rendered answer from the cache to anonymous GETs without messages.

    Keyed by host, full path, language, the htmx headers, the generation and the date, served
    while the versions of what its readers declared are unchanged; the response varies on the
    language and on the session (signed-in visitors bypass the cache). When it must be rendered
    again, concurrent visitors of the same page wait for one render (`_render_once`).
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not seconds() or not _cacheable_request(request):
            return view(request, *args, **kwargs)
        name, stored = _page_key_and_entry(request)
        if _fresh(stored):
            response = _restore(request, stored)
        else:
            token = _request_generation.set(int(name.split(":")[1]))
            try:
                response = _render_once(request, name, lambda: _render(view, request, args, kwargs))
            finally:
                _request_generation.reset(token)
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
    """Render a page missing from the cache (or stale) and store it; at most one render at a
    time per key.

    After a bump every page is missing at once: 32 visitors on the directory were 32 renders of
    the same page on two cores (the benchmark's load test: p95 29 ms with the cache warm, 395 ms
    right after a bump). The first request takes a lock (`cache.add`, atomic in Redis) and
    renders; the others poll the cache for a fresh result, so they never see anything staler
    than the current versions. A render that is not stored (an error, a 404) releases the lock
    and the waiters take it in turn; a lock left by a killed worker expires with
    RENDER_WAIT_SECONDS.
    """
    lock = f"{name}:rendering"
    deadline = time.monotonic() + RENDER_WAIT_SECONDS
    while True:
        taken, stored, before = _lock_and_read(lock, name)
        if not taken:
            if time.monotonic() >= deadline:
                return _rendered(render)[0]
            if _fresh(stored):
                return _restore(request, stored)
            time.sleep(RENDER_POLL_SECONDS)
            continue
        stored_now, fragments = None, {}
        try:
            # A request that missed the page may take the lock just after the first render
            # released it: the page is stored by then, and rendering it again was the flaky
            # second render.
            if _fresh(stored):
                return _restore(request, stored)
            response, stored_now, fragments = _rendered(render, before, defer=True)
            return response
        finally:
            _store_and_unlock(lock, name, stored_now, fragments)


def _lock_and_read(lock: str, name: str) -> tuple[bool, object, int]:
    """Take the render lock, read the page and the `ANY` version: one round trip on Redis.

    (taken, the stored page or None, the `ANY` version); a cold page's three round trips were
    as many as its statements.
    """
    redis = _redis()
    if redis is None:
        taken = cache.add(lock, 1, timeout=RENDER_WAIT_SECONDS)
        return taken, cache.get(name), versions([ANY])[ANY]
    client, serializer = redis._cache.get_client(write=True), redis._cache._serializer
    made_lock, made_name = redis.make_key(lock), redis.make_key(name)
    made_any, now = redis.make_key(VERSION_PREFIX + ANY), time.time_ns()
    pipeline = client.pipeline(transaction=False)
    pipeline.set(made_lock, serializer.dumps(1), ex=RENDER_WAIT_SECONDS, nx=True)
    pipeline.get(made_name)
    pipeline.set(made_any, now, nx=True)
    pipeline.get(made_any)
    taken, page, _created, version = pipeline.execute()
    stored = None if page is None else serializer.loads(page)
    return bool(taken), stored, now if version is None else int(version)


def _store_and_unlock(lock: str, name: str, stored, fragments=None) -> None:
    """Store the rendered page (unless None) and the fragments it computed ({key: entry}), and
    release the lock: one round trip on Redis."""
    redis = _redis()
    if redis is None:
        if stored is not None:
            cache.set(name, stored, seconds())
        if fragments:
            cache.set_many(fragments, seconds())
        cache.delete(lock)
        return
    client, serializer = redis._cache.get_client(write=True), redis._cache._serializer
    pipeline = client.pipeline(transaction=False)
    timeout = redis.get_backend_timeout(seconds())
    if stored is not None:
        pipeline.set(redis.make_key(name), serializer.dumps(stored), ex=timeout)
    for fragment, entry in (fragments or {}).items():
        pipeline.set(redis.make_key(fragment), serializer.dumps(entry), ex=timeout)
    pipeline.delete(redis.make_key(lock))
    pipeline.execute()


def _rendered(render, before=None, defer=False):
    """The rendered response and what to store of it (None: nothing); `before`: the `ANY`
    version when the render began, when the caller read it already.

    `defer`: the fragments the render computes are not written as they are computed but
    returned ({key: entry}) for the caller to write with the page: their versions are read
    with the page's, in one round trip, and each is kept only if no public change happened
    since it was read (as `get_or_set_many` does). A cold profile's two panels' round trips."""
    if before is None:
        before = versions([ANY])[ANY]
    pending = []
    token = _pending.set(pending) if defer else None
    try:
        response, declared = _compute(render)
    finally:
        if token is not None:
            _pending.reset(token)
    current = None  # read by `_store` when there is no fragment to keep
    if pending:
        tags = set(declared) | {ANY}
        for computed, _read in pending:
            for _value, fragment_tags in computed.values():
                tags.update(fragment_tags)
        current = versions(tags)
    stored = _store(response, declared, before, current)
    response[CACHE_HEADER] = "miss"
    if not defer:
        return response, stored
    fragments = {
        name: {"value": value, "versions": {tag: current[tag] for tag in fragment_tags}}
        for computed, read in pending
        if current[ANY] == read
        for name, (value, fragment_tags) in computed.items()
    }
    return response, stored, fragments


# Writers: what a change touches.

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
PUBLISHED = "published"
# A remembered value the row was loaded without (a deferred field): anything may have changed.
UNKNOWN = object()


def _shown_publicly(model) -> bool:
    label = model._meta.label_lower
    if label in PRIVATE_MODELS:
        return False
    return label in PUBLIC_MODELS or model._meta.app_label in PUBLIC_APPS


def model_tags(app_label: str) -> list[str]:
    """The model tag of every publicly shown model of an app (a panel showing a bit of each)."""
    from django.apps import apps

    models = apps.get_app_config(app_label).get_models()
    return [tag(model) for model in models if _shown_publicly(model)]


# label -> functions (instance) -> more tags a change of such a row touches (EVERYTHING: forget
# everything); registered by the owning app in its ready().
_TOUCHES: dict = {}
# label -> attribute names whose values when a row was loaded (or last saved) are remembered, so
# a change can touch what the row showed on before (an initiative's former territory).
_REMEMBERED: dict = {}


def touches(label: str, tags_of) -> None:
    """A change of a `label` row also touches `tags_of(instance)` (EVERYTHING: a withdrawal)."""
    _TOUCHES.setdefault(label, []).append(tags_of)


def remember(model, *attnames) -> None:
    """Keep `attnames`' values of each `model` row as loaded (read back with `was()`)."""
    from django.db.models.signals import post_init

    label = model._meta.label_lower
    _REMEMBERED.setdefault(label, set()).update(attnames)
    post_init.connect(_remember, sender=model, dispatch_uid=f"observatoire.cache.{label}")


def _remember(sender, instance, **kwargs) -> None:
    values = instance.__dict__
    instance._public_was = {
        name: values.get(name, UNKNOWN) for name in _REMEMBERED[sender._meta.label_lower]
    }


def was(instance, attname):
    """A remembered attribute's value when the row was loaded or last saved (UNKNOWN: deferred)."""
    return getattr(instance, "_public_was", {}).get(attname, UNKNOWN)


def _related_tags(sender, instance) -> set:
    """The tags of the rows a row points to: its foreign keys, its generic foreign keys."""
    from django.contrib.contenttypes.fields import GenericForeignKey
    from django.contrib.contenttypes.models import ContentType

    names = set()
    for field in sender._meta.concrete_fields:
        if field.many_to_one or field.one_to_one:
            value = getattr(instance, field.attname, None)
            if value is not None:
                names.add(tag(field.related_model, value))
    for field in sender._meta.private_fields:
        if isinstance(field, GenericForeignKey):
            type_id = getattr(instance, sender._meta.get_field(field.ct_field).attname, None)
            object_id = getattr(instance, field.fk_field, None)
            model = ContentType.objects.get_for_id(type_id).model_class() if type_id else None
            if model is not None and object_id is not None:
                names.add(tag(model, object_id))
    return names


def _touched(sender, instance, kwargs) -> set:
    """The tags a change touches, or {EVERYTHING} for a withdrawal."""
    from django.db.models.signals import post_delete

    action = kwargs.get("action")
    if action is not None:  # many-to-many: the row, the through model, the rows added/removed
        model, pks = kwargs.get("model"), kwargs.get("pk_set")
        related = [tag(model, pk) for pk in pks] if pks else [tag(model)]
        return {tag(instance), tag(type(instance)), tag(sender), tag(model), *related}
    label = sender._meta.label_lower
    names = {tag(instance), tag(sender), *_related_tags(sender, instance)}
    for tags_of in _TOUCHES.get(label, ()):
        names.update(tags_of(instance))
    if "state" in _REMEMBERED.get(label, ()):  # a publishable row
        if kwargs.get("signal") is post_delete:
            return {EVERYTHING}
        before = None if kwargs.get("created") else was(instance, "state")
        now = instance.__dict__.get("state", UNKNOWN)
        if now != PUBLISHED and before in (PUBLISHED, UNKNOWN):
            return {EVERYTHING}  # withdrawn (or maybe: loaded without its state)
        if now == PUBLISHED and before != PUBLISHED:
            names.add(f"published:{label}")  # a newcomer on the lists that rank or pick rows
    return names


def _changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):  # fixtures: loaded before any page is served
        return
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    instance = kwargs.get("instance")
    label = sender._meta.label_lower
    try:
        if not seconds():
            return
        if label == "medias.derivedfile":
            # A public rendition (a profile's photo) shows on pages; private ones never do.
            if not getattr(instance, "public", False):
                return
        elif label in _SHOWN_IF:
            if not _SHOWN_IF[label](instance):
                return
        elif not _shown_publicly(sender):
            return
        names = _touched(sender, instance, kwargs)
        if EVERYTHING in names:
            bump()
        else:
            touch(*names)
    finally:
        if label in _REMEMBERED and "action" not in kwargs and instance is not None:
            _remember(sender, instance)  # the next save compares with this one


# Models shown on public pages only through some rows (a coded excerpt only once a published
# finding quotes it): label -> (instance) -> bool, registered by the owning app in its ready().
_SHOWN_IF: dict = {}


def shown_publicly_if(label: str, check) -> None:
    """A save or delete of a `label` row touches public pages only when `check(instance)`."""
    _SHOWN_IF[label] = check


def connect_signals() -> None:
    """Touch what a save, delete or many-to-many change of a public row changes; remember the
    state of publishable rows as loaded, so unpublishing one forgets everything.

    Queryset updates and bulk loads send no signal: their services call `touch()` or `bump()`.
    """
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from .publishing import Publishable

    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_changed, dispatch_uid=f"observatoire.cache.{id(signal)}")
    for model in apps.get_models():
        if issubclass(model, Publishable) and _shown_publicly(model):
            remember(model, "state")


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
