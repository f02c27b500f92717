"""Fixtures of the map's tests: a few real territories and initiatives placed on them."""

import itertools

import pytest
from django.conf import settings
from django.utils import translation

from initiatives.models import Initiative
from initiatives.services import publish

_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def default_language():
    """A request to /en/ leaves English active in the thread; each test starts from French."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def places(territory_factory):
    """Lyon in Auvergne-Rhône-Alpes (84), Paris in Île-de-France (11)."""
    level = territory_factory.Level
    ara = territory_factory(level.REGION, "84", "Auvergne-Rhône-Alpes")
    rhone = territory_factory(level.DEPARTEMENT, "69", "Rhône", parent=ara)
    idf = territory_factory(level.REGION, "11", "Île-de-France")
    paris_dep = territory_factory(level.DEPARTEMENT, "75", "Paris", parent=idf)
    return {
        "ara": ara,
        "idf": idf,
        "lyon": territory_factory(level.COMMUNE, "69123", "Lyon", parent=rhone),
        "paris": territory_factory(level.COMMUNE, "75056", "Paris", parent=paris_dep),
    }


@pytest.fixture
def make_initiative(db):
    """`make_initiative(territory, lat, lng, published=True, themes=(), **fields)`."""

    def make(territory, latitude, longitude, *, published=True, themes=(), **fields):
        number = next(_numbers)
        fields.setdefault("name", f"Initiative {number:05d}")
        initiative = Initiative.objects.create(
            slug=f"initiative-{number}",
            summary="A cooperation between neighbours.",
            territory=territory,
            latitude=latitude,
            longitude=longitude,
            **fields,
        )
        if themes:
            initiative.themes.add(*themes)
        if published:
            publish(initiative)
        return initiative

    return make
