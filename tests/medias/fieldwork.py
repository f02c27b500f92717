"""A season with an interview, a member researcher, an outsider, staff; a published initiative."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from initiatives.models import Initiative
from observatoire.publishing import State
from terrain.models import Interview, Season, Visit


@pytest.fixture
def people(db):
    User = get_user_model()
    return {
        "member": User.objects.create_user("member", password="pw"),
        "outsider": User.objects.create_user("outsider", password="pw"),
        "staff": User.objects.create_user("staff", password="pw", is_staff=True),
    }


@pytest.fixture
def region(territory_factory):
    return territory_factory(territory_factory.Level.REGION, "32", "Hauts-de-France")


@pytest.fixture
def interview(people, region):
    season = Season.objects.create(title="Saison 2024", start_date=datetime.date(2024, 5, 1))
    season.researchers.add(people["member"])
    visit = Visit.objects.create(season=season, date=datetime.date(2024, 5, 3), territory=region)
    return Interview.objects.create(visit=visit, title="Entretien coordination")


@pytest.fixture
def initiative(region):
    return Initiative.objects.create(
        name="Maison des échanges",
        slug="maison-des-echanges",
        territory=region,
        state=State.PUBLISHED,
    )
