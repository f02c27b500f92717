"""The home page: its key figures and latest initiatives, as a visitor reads them."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from django.utils.text import slugify

from initiatives.models import Initiative, Pole
from initiatives.services import publish, withdraw
from territoires.models import Territory

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(territory_factory):
    level = territory_factory.Level
    hdf = territory_factory(level.REGION, "32", "Hauts-de-France")
    nord = territory_factory(level.DEPARTEMENT, "59", "Nord", parent=hdf)
    return {
        "lille": territory_factory(level.COMMUNE, "59350", "Lille", parent=nord),
        "roubaix": territory_factory(level.COMMUNE, "59512", "Roubaix", parent=nord),
        "tourcoing": territory_factory(level.COMMUNE, "59599", "Tourcoing", parent=nord),
    }


def make(name, territory, published=True, days_ago=0):
    initiative = Initiative.objects.create(
        name=name, slug=slugify(name), territory=territory, summary=f"{name}."
    )
    if published:
        publish(initiative)
        Initiative.objects.filter(pk=initiative.pk).update(
            published_at=timezone.now() - dt.timedelta(days=days_ago)
        )
    return initiative


def figures(client) -> dict[str, int]:
    html = client.get("/").content.decode()
    found = re.findall(r"<li><strong>(\d+)</strong> ([^<]+)</li>", html)
    return {label.strip(): int(number) for number, label in found}


def latest(client) -> list[str]:
    html = client.get("/").content.decode()
    section = html.split('id="latest-title"')[1]
    return re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', section)


def test_the_figures_count_what_is_published_and_the_territories_holding_it(client, places):
    make("Jardin", places["lille"], days_ago=3)
    make("Épicerie", places["lille"], days_ago=2)
    roubaix = make("Atelier vélo", places["roubaix"], days_ago=1)
    make("Brouillon", places["tourcoing"], published=False)
    publish(
        Pole.objects.create(name="Pôle", slug="pole", summary="Un pôle.", territory=places["lille"])
    )

    assert figures(client) == {
        "initiatives publiées": 3,
        "territoires": 2,
        "PTCE": 1,
    }
    # The same as counting the rows themselves.
    assert Territory.objects.filter(initiatives__state="published").distinct().count() == 2

    withdraw(roubaix)  # the page refreshes at once, its count rows too
    assert figures(client)["initiatives publiées"] == 2
    assert figures(client)["territoires"] == 1
    tourcoing = Initiative.objects.get(name="Brouillon")
    publish(tourcoing)
    assert figures(client)["territoires"] == 2


def test_the_latest_initiatives_are_the_newest_published_first(client, places):
    for n in range(8):
        make(f"Initiative {n}", places["lille"], days_ago=n)
    make("Brouillon", places["lille"], published=False)

    assert latest(client) == [f"Initiative {n}" for n in range(6)]
    html = client.get("/").content.decode()
    assert "Initiative 0." in html  # its summary
    assert html.count(">Lille</p>") == 6  # its territory
