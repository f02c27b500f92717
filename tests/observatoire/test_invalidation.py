"""Invalidation that forgets only what changed (issue 18): an edit refreshes the pages that show
the row, on the very next request, and leaves every other cached page in the cache."""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.text import slugify

from initiatives.models import Initiative, LegalForm, Organisation, Role, RoleKind
from initiatives.services import publish, save_entry
from observatoire.publishing import State
from territoires.models import Level, Territory


@pytest.fixture(params=["locmem", "redis"])
def page_cache(request, settings):
    """The production setting, on a cache of this process or on the tests' Redis (own prefix)."""
    settings.PUBLIC_CACHE_SECONDS = 600
    if request.param == "locmem":
        backend = {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},  # 300 by default: 200 profiles and their panels
        }
    else:
        backend = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": f"invalidation-{uuid.uuid4().hex}",
        }
    settings.CACHES = {"default": backend}
    cache.clear()
    yield
    cache.clear()


def place(level, code, name, parent=None, **extra):
    return Territory.objects.create(
        level=level, code=code, name=name, slug=slugify(name), parent=parent, **extra
    )


@pytest.fixture
def places(db):
    region = place(Level.REGION, "32", "Hauts-de-France")
    nord = place(Level.DEPARTEMENT, "59", "Nord", region)
    pas_de_calais = place(Level.DEPARTEMENT, "62", "Pas-de-Calais", region)
    return {
        "region": region,
        "nord": nord,
        "pas_de_calais": pas_de_calais,
        "lille": place(Level.COMMUNE, "59350", "Lille", nord, latitude=50.63, longitude=3.06),
        "arras": place(Level.COMMUNE, "62041", "Arras", pas_de_calais),
        "bruay": place(Level.COMMUNE, "62178", "Bruay-la-Buissière", pas_de_calais),
    }


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user("staff", password="x", is_staff=True)


def published(name, territory, **extra):
    extra.setdefault("summary", f"{name}: a cooperative initiative.")
    item = Initiative.objects.create(name=name, slug=slugify(name), territory=territory, **extra)
    return publish(item)


def visit(client, url):
    """The page's text and how many queries it cost (0: served from the cache)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), len(captured)


def territory_url(territory):
    return f"/territoires/{territory.level}/{territory.code}/"


def test_an_edit_refreshes_its_pages_and_leaves_the_other_profiles_cached(
    page_cache, client, places, staff
):
    # 199 initiatives in Lille, on a grid; the one edited far from them, in Arras, with one
    # neighbour, whose "nearby" panel shows it.
    others = Initiative.objects.bulk_create(
        Initiative(
            name=f"Initiative {number:03}",
            slug=f"initiative-{number:03}",
            summary="A cooperative initiative.",
            territory=places["lille"],
            latitude=50.6 + (number // 14) * 0.01,
            longitude=3.0 + (number % 14) * 0.01,
            state=State.PUBLISHED,
        )
        for number in range(198)
    )
    edited = published("Atelier vélo", places["arras"], latitude=50.29, longitude=2.78)
    neighbour = published("Épicerie d'Arras", places["arras"], latitude=50.30, longitude=2.78)
    others.append(neighbour)
    assert len(others) == 199
    pages = [
        edited.get_absolute_url(),
        "/initiatives/",
        "/initiatives/?territoire=departement:62",
        territory_url(places["arras"]),
        territory_url(places["pas_de_calais"]),
        territory_url(places["region"]),
    ]
    for url in pages + [other.get_absolute_url() for other in others]:
        visit(client, url)
    assert "Atelier vélo" in visit(client, neighbour.get_absolute_url())[0]
    assert all(visit(client, url)[1] == 0 for url in pages)  # all cached

    edited = Initiative.objects.get(pk=edited.pk)  # as the staff's edit form loads it
    save_entry(edited, {"name": "Atelier vélo solidaire"}, by=staff)

    for url in pages:
        page, queries = visit(client, url)
        assert queries > 0, url
        if "?" in url or url != "/initiatives/":  # the plain list's first page is alphabetical
            assert "Atelier vélo solidaire" in page, url
    visited = {other.pk: visit(client, other.get_absolute_url()) for other in others}
    page, queries = visited[neighbour.pk]
    assert queries > 0 and "Atelier vélo solidaire" in page  # it shows it: refreshed
    cached = sum(queries == 0 for _page, queries in visited.values())
    assert cached / len(others) >= 0.99
    assert cached == len(others) - 1  # all but the neighbour


def test_a_move_refreshes_the_pages_of_both_territories(page_cache, client, places, staff):
    moving = published("Atelier vélo", places["arras"])
    staying = published("Recyclerie", places["bruay"])
    old_pages = [territory_url(places["arras"]), territory_url(places["pas_de_calais"])]
    new_pages = [territory_url(places["lille"]), territory_url(places["nord"])]
    for url in old_pages + new_pages + [staying.get_absolute_url()]:
        visit(client, url)
    assert all("Atelier vélo" in visit(client, url)[0] for url in old_pages)
    assert not any("Atelier vélo" in visit(client, url)[0] for url in new_pages)

    moving = Initiative.objects.get(pk=moving.pk)
    save_entry(moving, {"territory": places["lille"]}, by=staff)

    assert not any("Atelier vélo" in visit(client, url)[0] for url in old_pages)
    assert all("Atelier vélo" in visit(client, url)[0] for url in new_pages)
    page, _queries = visit(client, territory_url(places["region"]))
    assert "Atelier vélo" in page and "Recyclerie" in page
    assert "Lille" in visit(client, moving.get_absolute_url())[0]


def test_an_organisation_renamed_shows_on_the_profiles_of_its_initiatives(
    page_cache, client, places, staff
):
    coop = publish(
        Organisation.objects.create(name="Coop Arras", slug="coop-arras", legal_form=LegalForm.SCIC)
    )
    garage = published("Garage solidaire", places["arras"])
    unrelated = published("Recyclerie", places["lille"])
    Role.objects.create(initiative=garage, organisation=coop, kind=RoleKind.LEAD)
    assert "Coop Arras" in visit(client, garage.get_absolute_url())[0]
    visit(client, unrelated.get_absolute_url())

    coop = Organisation.objects.get(pk=coop.pk)
    save_entry(coop, {"name": "Coopérative d'Arras"}, by=staff)

    page, queries = visit(client, garage.get_absolute_url())
    assert queries > 0 and "Coopérative d'Arras" in page and "Coop Arras" not in page
    assert visit(client, unrelated.get_absolute_url())[1] == 0

    # A hidden funder, then published: the profile, which did not show it, shows it at once.
    funder = Organisation.objects.create(name="Fondation du Nord", slug="fondation-du-nord")
    Role.objects.create(initiative=garage, organisation=funder, kind=RoleKind.FUNDER)
    assert "Fondation du Nord" not in visit(client, garage.get_absolute_url())[0]
    publish(Organisation.objects.get(pk=funder.pk))
    assert "Fondation du Nord" in visit(client, garage.get_absolute_url())[0]
    assert visit(client, unrelated.get_absolute_url())[1] == 0


def test_a_withdrawal_still_forgets_everything(page_cache, client, places):
    from initiatives.services import withdraw

    garage = published("Garage solidaire", places["arras"])
    unrelated = published("Recyclerie", places["lille"])
    visit(client, unrelated.get_absolute_url())
    visit(client, "/initiatives/")
    withdraw(Initiative.objects.get(pk=garage.pk))
    assert client.get(garage.get_absolute_url()).status_code == 404
    assert visit(client, unrelated.get_absolute_url())[1] > 0  # the generation was bumped
    assert "Garage solidaire" not in visit(client, "/initiatives/")[0]


def test_an_unchanged_page_is_a_hit_and_says_so(page_cache, client, places):
    garage = published("Garage solidaire", places["arras"])
    assert client.get(garage.get_absolute_url())["X-Cache"] == "miss"
    assert client.get(garage.get_absolute_url())["X-Cache"] == "hit"
