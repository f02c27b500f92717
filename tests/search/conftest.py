"""Fixtures of the search tests: a few real places and published rows of each kind."""

import itertools

import pytest
from django.conf import settings
from django.utils import translation

from initiatives.models import Initiative, Organisation, Pole
from initiatives.services import publish

_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def default_language():
    """A request to /en/ leaves English active in the thread; each test starts from French."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def places(territory_factory):
    """Hauts-de-France > Nord > Lille and Roubaix; Bretagne > Finistère > Morlaix."""
    level = territory_factory.Level
    hdf = territory_factory(level.REGION, "32", "Hauts-de-France", population=6000000)
    nord = territory_factory(level.DEPARTEMENT, "59", "Nord", parent=hdf, population=2600000)
    bretagne = territory_factory(level.REGION, "53", "Bretagne", population=3400000)
    finistere = territory_factory(level.DEPARTEMENT, "29", "Finistère", parent=bretagne)
    return {
        "hdf": hdf,
        "nord": nord,
        "lille": territory_factory(level.COMMUNE, "59350", "Lille", parent=nord, population=236000),
        "roubaix": territory_factory(level.COMMUNE, "59512", "Roubaix", parent=nord),
        "bretagne": bretagne,
        "morlaix": territory_factory(level.COMMUNE, "29151", "Morlaix", parent=finistere),
    }


def _make(model, territory, published, fields):
    number = next(_numbers)
    fields.setdefault("name", f"{model.__name__} {number:05d}")
    fields.setdefault("summary", "Neighbours working together.")
    obj = model.objects.create(
        slug=f"{model.__name__.lower()}-{number}", territory=territory, **fields
    )
    if published:
        publish(obj)
    return obj


@pytest.fixture
def make_initiative(places):
    """`make_initiative(territory=Lille, published=True, themes=(), **fields)`."""

    def make(territory=None, *, published=True, themes=(), **fields):
        initiative = _make(Initiative, territory or places["lille"], False, fields)
        if themes:
            initiative.themes.add(*themes)
        if published:
            publish(initiative)
        return initiative

    return make


@pytest.fixture
def make_organisation(places):
    def make(territory=None, *, published=True, **fields):
        return _make(Organisation, territory or places["lille"], published, fields)

    return make


@pytest.fixture
def make_pole(places):
    def make(territory=None, *, published=True, **fields):
        return _make(Pole, territory or places["lille"], published, fields)

    return make
