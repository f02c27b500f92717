"""Crawlers take their turn (observatoire/crawlers.py): on the tests' Redis, with real threads."""

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.text import slugify

from initiatives.models import Initiative
from initiatives.services import publish
from observatoire import crawlers
from territoires.models import Level, Territory

GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
BINGBOT = "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


@pytest.fixture
def gate(settings):
    """One crawler at a time, on the tests' Redis under a prefix of this test's own (the slots
    are shared by every worker through it, as in production)."""
    settings.CRAWLER_CONCURRENCY = 1
    settings.CRAWLER_WAIT_SECONDS = 30
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": f"crawlers-{uuid.uuid4().hex}",
        }
    }
    yield settings
    cache.clear()


class SlowPage:
    """A view taking 0.2 s to render, noting how many renders overlap."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rendering = 0
        self.most = 0
        self.renders = 0

    def __call__(self, request):
        with self.lock:
            self.rendering += 1
            self.renders += 1
            self.most = max(self.most, self.rendering)
        time.sleep(0.2)
        with self.lock:
            self.rendering -= 1
        return HttpResponse("page")


def request_as(rf, agent):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/initiatives/", HTTP_USER_AGENT=agent)
    request.user = AnonymousUser()
    return request


def timed(middleware, request):
    started = time.monotonic()
    response = middleware(request)
    return response, time.monotonic() - started


@pytest.mark.parametrize(
    "agent",
    [
        GOOGLEBOT,
        BINGBOT,
        "Mozilla/5.0 (compatible; Qwantify/2.4w; +https://www.qwant.com/)/2.4w",
        "Mozilla/5.0 (Macintosh) Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)",
        "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
        "MyLittleCrawler/1.0",
        "ExampleSpider (+https://example.org)",
    ],
)
def test_crawlers_are_recognised_by_their_user_agent(rf, agent):
    assert crawlers.is_crawler(rf.get("/", HTTP_USER_AGENT=agent))


@pytest.mark.parametrize("agent", [FIREFOX, "", "curl/8.5.0"])
def test_people_and_tools_are_not_crawlers(rf, agent):
    assert not crawlers.is_crawler(rf.get("/", HTTP_USER_AGENT=agent))


def test_two_crawler_requests_never_render_at_once_while_visitors_are_not_held(gate, rf):
    page = SlowPage()
    middleware = crawlers.CrawlerGateMiddleware(page)
    requests = [request_as(rf, GOOGLEBOT if i % 2 else BINGBOT) for i in range(6)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        crawled = [pool.submit(timed, middleware, request) for request in requests]
        time.sleep(0.1)  # the crawl is under way: one renders, five wait
        visitors = [pool.submit(timed, middleware, request_as(rf, FIREFOX)) for _ in range(2)]
        visited = [future.result() for future in visitors]
        crawled = [future.result() for future in crawled]
    assert all(response.status_code == 200 for response, _seconds in crawled + visited)
    assert page.renders == 8
    # The visitors rendered alongside the crawler's one render: three at most, never two crawlers.
    assert page.most <= 2 + 1
    # Not queued behind the five waiting crawlers (1 s of their renders at least).
    assert max(seconds for _response, seconds in visited) < 0.8
    assert max(seconds for _response, seconds in crawled) >= 6 * 0.2  # the last waited its turn


def test_crawler_requests_alone_render_one_at_a_time(gate, rf):
    page = SlowPage()
    middleware = crawlers.CrawlerGateMiddleware(page)
    with ThreadPoolExecutor(max_workers=4) as pool:
        responses = list(pool.map(middleware, [request_as(rf, GOOGLEBOT) for _ in range(4)]))
    assert [response.status_code for response in responses] == [200] * 4
    assert page.most == 1
    assert cache.get(crawlers.SLOT_KEY.format(0)) is None  # the slot is free again


def test_concurrency_setting_lets_that_many_crawlers_render_at_once(gate, rf):
    gate.CRAWLER_CONCURRENCY = 2
    page = SlowPage()
    middleware = crawlers.CrawlerGateMiddleware(page)
    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(middleware, [request_as(rf, GOOGLEBOT) for _ in range(6)]))
    assert page.most == 2


def test_a_crawler_waiting_beyond_the_bound_gets_503_with_retry_after(gate, client, db):
    gate.CRAWLER_WAIT_SECONDS = 1
    held = crawlers.acquire(0)  # another worker's crawler is rendering (and takes long)
    try:
        started = time.monotonic()
        response = client.get("/robots.txt", HTTP_USER_AGENT=GOOGLEBOT)
        waited = time.monotonic() - started
        visitor = client.get("/robots.txt", HTTP_USER_AGENT=FIREFOX)
    finally:
        crawlers.release(held)
    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert 1 <= waited < 3
    assert visitor.status_code == 200  # a person is never held by the crawlers' gate
    again = client.get("/robots.txt", HTTP_USER_AGENT=GOOGLEBOT)
    assert again.status_code == 200  # the slot released, the crawler's turn comes


@pytest.fixture
def garage(db):
    region = Territory.objects.create(
        level=Level.REGION, code="32", name="Hauts-de-France", slug="hauts-de-france"
    )
    item = Initiative.objects.create(
        name="Garage solidaire",
        slug=slugify("Garage solidaire"),
        territory=region,
        summary="Repairs cars at cost.",
    )
    return publish(item)


def test_a_page_in_the_public_cache_is_served_to_a_crawler_without_waiting(gate, client, garage):
    gate.PUBLIC_CACHE_SECONDS = 600
    gate.CRAWLER_WAIT_SECONDS = 2
    url = garage.get_absolute_url()
    assert client.get(url, HTTP_USER_AGENT=FIREFOX)["X-Cache"] == "miss"  # a visitor came first
    held = crawlers.acquire(0)
    try:
        started = time.monotonic()
        response = client.get(url, HTTP_USER_AGENT=GOOGLEBOT)
        waited = time.monotonic() - started
        other = client.get("/robots.txt", HTTP_USER_AGENT=GOOGLEBOT)  # not cached: waits
    finally:
        crawlers.release(held)
    assert response.status_code == 200 and response["X-Cache"] == "hit"
    assert "Garage solidaire" in response.content.decode()
    assert waited < 1
    assert other.status_code == 503


def test_waiting_crawlers_take_their_turn_in_arrival_order(gate, rf):
    order = []

    def page(request):
        order.append(request.headers["X-Arrival"])
        time.sleep(0.05)
        return HttpResponse("page")

    middleware = crawlers.CrawlerGateMiddleware(page)
    held = crawlers.acquire(0)  # a render under way: everyone after waits
    with ThreadPoolExecutor(max_workers=5) as pool:
        futures = []
        for arrival in range(5):
            request = rf.get("/", HTTP_USER_AGENT=GOOGLEBOT, HTTP_X_ARRIVAL=str(arrival))
            futures.append(pool.submit(middleware, request))
            time.sleep(0.05)
        crawlers.release(held)
        assert [future.result().status_code for future in futures] == [200] * 5
    assert order == ["0", "1", "2", "3", "4"]
