"""Crawlers take their turn: at most CRAWLER_CONCURRENCY of their requests render at once.

Issue 18: a crawler walking cold pages with 8 connections kept both cores busy rendering, and a
visitor's cached directory page took 9 times as long as without it. A crawler names itself in
its User-Agent (Googlebot, bingbot, Qwantify, Applebot, "…bot", "crawler", "spider"); its
requests go through a gate shared by every gunicorn worker, held in Redis (the default cache):
CRAWLER_CONCURRENCY slot keys taken with `cache.add` (atomic), each released when its render
ends and expiring after SLOT_SECONDS if a worker dies holding it. A crawler's request that finds
no free slot waits for one in arrival order, at most CRAWLER_WAIT_SECONDS; then it gets 503 with
Retry-After, which crawlers understand as "come back later" (not an error of the site).

What costs nothing is never held back: a page the public cache has (observatoire/cache.py) is
served to a crawler at once, and people's requests (no crawler User-Agent) never meet the gate.
A waiting crawler holds its worker (asleep, no CPU): WEB_CONCURRENCY must leave workers for
people beyond the crawler connections expected.
"""

import re
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import gettext as _

from . import cache as public_cache

# Known search engines and archives, then the generic words crawlers put in their names.
CRAWLER_AGENT = re.compile(
    r"googlebot|bingbot|qwant|applebot|yandex|duckduck|baiduspider|slurp|petalbot|"
    r"facebookexternalhit|ia_archiver|archive\.org|bot\b|bot/|crawl|spider",
    re.IGNORECASE,
)
SLOT_KEY = "crawlers:slot:{}"
# The crawler requests waiting for a slot, oldest first (a Redis sorted set).
QUEUE_KEY = "crawlers:waiting"
# A slot left by a worker killed mid-render frees itself after this; longer than any render
# (gunicorn kills a worker after 60 s, nginx gives up after 300 s).
SLOT_SECONDS = 300
# How often a waiting request looks for a free slot.
POLL_SECONDS = 0.02


def is_crawler(request) -> bool:
    return bool(CRAWLER_AGENT.search(request.headers.get("User-Agent", "")))


def concurrency() -> int:
    return max(getattr(settings, "CRAWLER_CONCURRENCY", 1), 1)


def _redis():
    """The redis-py client behind the default cache, or None (a per-process cache: development)."""
    backend = getattr(cache, "_cache", None)
    return backend.get_client(write=True) if hasattr(backend, "get_client") else None


def acquire(wait_seconds: float) -> str | None:
    """Take a free slot, waiting at most `wait_seconds`: the slot's key and token, or None.

    Waiters take their turn in arrival order: each enters a sorted set scored by its arrival
    time, and only the CRAWLER_CONCURRENCY oldest look for a free slot (with plain polling, the
    bench saw one of 5,500 crawled pages wait past 30 s while later ones went through). A waiter
    whose worker died leaves the queue when it is older than any wait can be.
    """
    token = uuid.uuid4().hex
    deadline = time.monotonic() + wait_seconds
    client = _redis()
    queue = cache.make_key(QUEUE_KEY)
    if client is not None:
        now = time.time()
        client.zremrangebyscore(queue, "-inf", now - wait_seconds - SLOT_SECONDS)
        client.zadd(queue, {token: now})
    try:
        while True:
            rank = client.zrank(queue, token) if client is not None else 0
            if rank is None or rank < concurrency():
                for slot in range(concurrency()):
                    name = SLOT_KEY.format(slot)
                    if cache.add(name, token, timeout=SLOT_SECONDS):
                        return f"{name} {token}"
            if time.monotonic() >= deadline:
                return None
            time.sleep(POLL_SECONDS)
    finally:
        if client is not None:
            client.zrem(queue, token)


def release(held: str) -> None:
    name, token = held.split(" ")
    if cache.get(name) == token:  # not a slot that expired and was taken by another since
        cache.delete(name)


def _cached(request) -> bool:
    """Whether the public cache will answer this request without rendering."""
    if not public_cache.seconds() or not public_cache._cacheable_request(request):
        return False
    return public_cache._fresh(cache.get(public_cache._page_key(request)))


class CrawlerGateMiddleware:
    """After the session, authentication, locale and messages middleware: the public cache's key
    and whether it applies depend on them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_crawler(request) or _cached(request):
            return self.get_response(request)
        wait_seconds = getattr(settings, "CRAWLER_WAIT_SECONDS", 30)
        held = acquire(wait_seconds)
        if held is None:
            response = HttpResponse(
                _("Too many pages requested by crawlers at once; please retry later."),
                status=503,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = str(max(int(wait_seconds), 1))
            return response
        try:
            return self.get_response(request)
        finally:
            release(held)
