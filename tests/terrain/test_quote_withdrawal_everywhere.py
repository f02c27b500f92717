"""A withdrawn consent takes the quote off every public page that showed it, cached or not:
the finding, the initiative's profile, the findings list, the home page, the publication
gathering the finding, the territory page (issue 18: precise invalidation never delays this)."""

import datetime
import uuid

import pytest
from django.core.cache import cache

from observatoire.publishing import State
from publications.models import Kind, Publication
from terrain import services

QUOTE = "se méfiaient"


@pytest.fixture(params=["locmem", "redis"])
def page_cache(request, settings):
    settings.PUBLIC_CACHE_SECONDS = 600
    if request.param == "locmem":
        backend = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    else:
        backend = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": f"quote-{uuid.uuid4().hex}",
        }
    settings.CACHES = {"default": backend}
    cache.clear()
    yield
    cache.clear()


def pages(published):
    finding = published["finding"]
    initiative = finding.initiatives.get()
    publication = Publication.objects.create(
        title="Ce que nous avons appris",
        slug="ce-que-nous-avons-appris",
        kind=Kind.FINDINGS,
        authors="Dupont, Marie",
        date=datetime.date(2024, 6, 1),
        state=State.PUBLISHED,
    )
    publication.findings.add(finding)
    territory = initiative.territory
    return [
        finding.get_absolute_url(),
        initiative.get_absolute_url(),
        "/enseignements/",
        "/",
        publication.get_absolute_url(),
        f"/territoires/{territory.level}/{territory.code}/",
    ]


@pytest.mark.parametrize("cached", [True, False], ids=["cached", "not-cached"])
def test_a_withdrawn_quote_leaves_every_page_that_showed_it(
    page_cache, published, client, django_capture_on_commit_callbacks, cached
):
    urls = pages(published)
    showing = [url for url in urls if QUOTE in client.get(url).content.decode()]
    assert urls[0] in showing  # the finding's page quotes it, at least
    if cached:
        for url in urls:
            response = client.get(url)
            # Every page-cached one served from the cache (the publication's page is not cached).
            assert response.status_code == 200 and response.get("X-Cache", "hit") == "hit", url
    else:
        cache.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_consent(published["helene_consent"], by=published["users"]["staff"])

    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert QUOTE not in response.content.decode(), url
