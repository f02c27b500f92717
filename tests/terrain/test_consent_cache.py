"""With the public page cache on, a withdrawn consent takes the quote off the page at once."""

import pytest
from django.core.cache import cache

from terrain import services


@pytest.fixture
def page_cache(settings):
    settings.PUBLIC_CACHE_SECONDS = 600
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


def test_withdrawn_consent_removes_quote_from_the_cached_page_at_once(
    page_cache, published, client, django_capture_on_commit_callbacks
):
    url = published["finding"].get_absolute_url()
    assert "se méfiaient" in client.get(url).content.decode()
    assert "se méfiaient" in client.get(url).content.decode()  # now served from the cache

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_consent(published["helene_consent"], by=published["users"]["staff"])

    page = client.get(url).content.decode()
    assert "se méfiaient" not in page
    assert 'data-testid="quotes-removed"' in page
