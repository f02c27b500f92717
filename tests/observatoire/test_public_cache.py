"""The public page cache: shared by anonymous visitors, forgotten at once when content changes."""

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils.text import slugify

from initiatives.models import Initiative
from initiatives.services import publish, withdraw
from observatoire import cache as public_cache
from territoires.models import Level, Territory


@pytest.fixture
def page_cache(settings):
    """The production setting, on a cache of this process (the tests' Redis is shared)."""
    settings.PUBLIC_CACHE_SECONDS = 600
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


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


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, len(captured)


def test_a_second_anonymous_visit_is_served_from_the_cache(page_cache, client, garage):
    url = garage.get_absolute_url()
    first, first_queries = queries(client, url)
    second, second_queries = queries(client, url)
    assert first.status_code == second.status_code == 200
    assert first_queries > 0 and second_queries == 0
    assert "Garage solidaire" in second.content.decode()
    assert "Accept-Language" in second["Vary"] and "Cookie" in second["Vary"]


def test_a_published_change_shows_at_once(page_cache, client, garage):
    url = garage.get_absolute_url()
    client.get("/initiatives/")
    client.get(url)
    garage.summary = "Repairs bicycles too."
    garage.save()
    assert "Repairs bicycles too." in client.get(url).content.decode()
    newcomer = Initiative.objects.create(
        name="Recyclerie", slug="recyclerie", territory=garage.territory, summary="Reuse."
    )
    assert "Recyclerie" not in client.get("/initiatives/").content.decode()
    publish(newcomer)
    assert "Recyclerie" in client.get("/initiatives/").content.decode()


def test_a_withdrawn_initiative_is_a_404_at_once(page_cache, client, garage):
    url = garage.get_absolute_url()
    assert client.get(url).status_code == 200
    withdraw(garage)
    assert client.get(url).status_code == 404
    assert "Garage solidaire" not in client.get("/initiatives/").content.decode()


def test_a_bump_after_commit_forgets_pages_rendered_before_it(
    page_cache, client, garage, django_capture_on_commit_callbacks
):
    before = public_cache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        public_cache.bump()
    assert public_cache.generation() == before + 2  # once at once, once at commit


def test_signed_in_visitors_never_get_a_cached_page(page_cache, client, garage):
    url = garage.get_absolute_url()
    client.get(url)  # cached for the anonymous
    user = get_user_model().objects.create_user("reader", password="x")
    client.force_login(user)
    _response, count = queries(client, url)
    assert count > 0
    cache_keys_before = len(cache._cache)
    client.get(url)
    assert len(cache._cache) == cache_keys_before  # and what they see is not stored


def test_each_language_has_its_own_page(page_cache, client, garage):
    url = garage.get_absolute_url()  # French, the default language, has no prefix
    french = client.get(url)
    english = client.get("/en" + url)
    assert french["Content-Language"] == "fr" and english["Content-Language"] == "en"
    assert '<html lang="en">' in english.content.decode()
    assert '<html lang="fr">' in client.get(url).content.decode()
    assert '<html lang="en">' in client.get("/en" + url).content.decode()
    assert "Accept-Language" in english["Vary"]


def test_a_cached_page_carries_the_visitors_own_csrf_token(page_cache, client, garage):
    url = garage.get_absolute_url()
    client.get(url)
    other = client.__class__()
    response = other.get(url)
    token = response.cookies["csrftoken"].value
    assert public_cache.CSRF_PLACEHOLDER.decode() not in response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    assert token  # the cookie is set, so the form the page carries can be posted


def test_a_request_with_messages_is_not_served_from_the_cache(page_cache, rf, garage):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages import constants
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = rf.get("/initiatives/")
    request.user = AnonymousUser()
    request.session = {}
    request._messages = FallbackStorage(request)
    request._messages.add(constants.INFO, "Saved.")
    assert not public_cache._cacheable_request(request)
    assert len(get_messages(request)) == 1  # counting did not consume it


def test_the_cache_is_off_by_default_in_tests(client, garage):
    url = garage.get_absolute_url()
    queries(client, url)
    _response, count = queries(client, url)
    assert count > 0


@pytest.fixture
def redis_page_cache(settings):
    """The production setting on the tests' Redis, under a prefix of this test's own."""
    settings.PUBLIC_CACHE_SECONDS = 600
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": f"stampede-{uuid.uuid4().hex}",
        }
    }
    yield
    cache.clear()


def anonymous_request(rf, path="/stampede/"):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = rf.get(path)
    request.user = AnonymousUser()
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def concurrently(view, requests):
    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(view, requests))


def test_concurrent_visitors_after_a_bump_wait_for_one_render(redis_page_cache, rf, db):
    renders = []

    @public_cache.public_page
    def slow_page(request):
        renders.append(threading.get_ident())
        time.sleep(0.3)
        return HttpResponse(f"render {len(renders)}")

    responses = concurrently(slow_page, [anonymous_request(rf) for _ in range(8)])
    assert len(renders) == 1
    assert {response.content for response in responses} == {b"render 1"}

    public_cache.bump()  # a public change: the next visitors get a new render, one again
    responses = concurrently(slow_page, [anonymous_request(rf) for _ in range(8)])
    assert len(renders) == 2
    assert {response.content for response in responses} == {b"render 2"}


def test_a_visitor_who_missed_the_page_while_it_was_being_stored_does_not_render_it_again(
    redis_page_cache, rf
):
    """The flaky second render, made deterministic: this visitor found no page, then the first
    render stored it and released its lock before this visitor asked for the lock."""
    request = anonymous_request(rf)
    name = public_cache._page_key(request)
    cache.set(name, public_cache._store(HttpResponse("render 1")), 600)
    renders = []

    def render():
        renders.append(1)
        return HttpResponse("render 2")

    response = public_cache._render_once(request, name, render)
    assert renders == []
    assert response.content == b"render 1"


def test_a_render_that_is_not_stored_lets_every_waiter_render(redis_page_cache, rf):
    renders = []

    @public_cache.public_page
    def missing(request):
        renders.append(1)
        time.sleep(0.2)
        return HttpResponse("gone", status=404)

    responses = concurrently(missing, [anonymous_request(rf) for _ in range(4)])
    assert {response.status_code for response in responses} == {404}
    assert len(renders) == 4  # nothing waits for ever on a page that is never stored


def fragment_page(computed, during=None):
    """A public page showing one cached fragment, computed by `computed` (which counts)."""

    def fragment():
        computed.append(1)
        public_cache.depends_on("initiatives.initiative:7")
        if during:
            during()
        return f"fragment {len(computed)}"

    @public_cache.public_page
    def page(request):
        value = public_cache.get_or_set(("fragment", 7), fragment)
        return HttpResponse(f"{value} in {request.GET.get('v', '')}")

    return page


def test_a_fragment_computed_by_a_page_is_stored_with_it_and_served_to_the_next(
    redis_page_cache, rf, db
):
    """A page's fragments are written with the page, in its last round trip; another page (a
    new URL: not in the cache) then reads the fragment instead of computing it."""
    computed = []
    page = fragment_page(computed)
    assert page(anonymous_request(rf, "/fragment/?v=1")).content == b"fragment 1 in 1"
    assert page(anonymous_request(rf, "/fragment/?v=2")).content == b"fragment 1 in 2"
    assert computed == [1]
    # Outside a page the same fragment is read from the cache too.
    assert public_cache.get_or_set(("fragment", 7), lambda: "computed") == "fragment 1"

    public_cache.touch("initiatives.initiative:7")  # what the fragment shows changed
    assert page(anonymous_request(rf, "/fragment/?v=3")).content == b"fragment 2 in 3"
    assert computed == [1, 1]


def test_a_fragment_whose_rows_changed_while_the_page_rendered_is_not_kept(
    redis_page_cache, rf, db
):
    computed = []
    page = fragment_page(computed, during=lambda: public_cache.touch("initiatives.initiative:7"))
    assert page(anonymous_request(rf, "/fragment/?v=1")).content == b"fragment 1 in 1"
    # Neither the page nor its fragment was kept: both may have read the rows before the change.
    assert page(anonymous_request(rf, "/fragment/?v=1")).content == b"fragment 2 in 1"
    assert page(anonymous_request(rf, "/fragment/?v=2")).content == b"fragment 3 in 2"
