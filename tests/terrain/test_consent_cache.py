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


def test_coding_leaves_the_public_cache_alone(page_cache, published, client):
    """A day of coding must not forget every public page at each click."""
    from observatoire import cache as public_cache
    from terrain.models import Code, Season, Visit

    url = published["finding"].get_absolute_url()
    client.get(url)
    before = public_cache.generation()
    season = published["season"]
    code = Code.objects.create(season=season, name="Gouvernance")
    segment = published["segments"][0]
    services.code_excerpt(segment, 0, 5, [code], coder=published["users"]["member"])
    published["excerpt"].codes.add(code)  # a quoted excerpt: its codes are not shown publicly
    season.title = "Saison 2024, Hauts-de-France"
    season.save()
    Visit.objects.create(
        season=season, date=season.start_date, territory=published["visit"].territory
    )
    Season.objects.create(title="Saison 2025")
    assert public_cache.generation() == before
    assert "se méfiaient" in client.get(url).content.decode()


def test_a_quoted_excerpt_changed_shows_at_once(page_cache, published, client):
    url = published["finding"].get_absolute_url()
    assert "se méfiaient" in client.get(url).content.decode()
    excerpt = published["excerpt"]
    excerpt.text = excerpt.text.replace("se méfiaient", "hésitaient")
    excerpt.save()
    page = client.get(url).content.decode()
    assert "se méfiaient" not in page and "hésitaient" in page


def test_an_excerpt_of_a_draft_finding_changed_keeps_the_cache(page_cache, fieldwork, client):
    from observatoire import cache as public_cache

    client.get("/")
    before = public_cache.generation()
    excerpt = fieldwork["excerpt"]  # backs a finding that is not published
    excerpt.text = excerpt.text + " (corrigé)"
    excerpt.save()
    assert public_cache.generation() == before
