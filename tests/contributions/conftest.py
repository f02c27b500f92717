"""A published initiative of Arras, a second commune, and a staff member who moderates."""

import pytest
from django.contrib.auth.models import Group, User


@pytest.fixture
def places(territory_factory):
    Level = territory_factory.Level
    hdf = territory_factory(Level.REGION, "32", "Hauts-de-France")
    pdc = territory_factory(Level.DEPARTEMENT, "62", "Pas-de-Calais", hdf)
    arras = territory_factory(Level.COMMUNE, "62041", "Arras", pdc)
    bruay = territory_factory(Level.COMMUNE, "62178", "Bruay-la-Buissière", pdc)
    return {"arras": arras, "bruay": bruay}


@pytest.fixture
def initiative(places):
    from initiatives.models import Initiative
    from initiatives.services import publish

    return publish(
        Initiative.objects.create(
            name="Maison des échanges",
            slug="maison-des-echanges",
            summary="Échanger plutôt qu’acheter, dans un écoquartier.",
            website="https://maison-echanges.example",
            territory=places["bruay"],
        )
    )


@pytest.fixture
def staff(db):
    user = User.objects.create_user(
        "moderatrice",
        email="moderatrice@observatoire.example",
        password="Modere-2026!",
        is_staff=True,
        first_name="Camille",
        last_name="Modère",
    )
    user.groups.add(Group.objects.get(name="staff"))
    return user
