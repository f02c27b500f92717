"""A two-dimension grid, a published initiative, and one user a role."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from observatoire import roles


@pytest.fixture
def users(db):
    User = get_user_model()

    def member(name, group=None, **extra):
        user = User.objects.create_user(name, password="unused-Pa55word", **extra)
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return {
        "staff": member("camille", roles.STAFF, is_staff=True),
        "partner": member("alex", roles.PARTNER),
        "researcher": member("dominique", roles.RESEARCHER),
        "nobody": member("sam"),
    }


@pytest.fixture
def grid(db):
    from evaluations.models import Criterion, CriterionLevel, Dimension, Grid

    grid = Grid.objects.create(name="Capteurs d'innovation sociale")
    for d_pos, name in enumerate(["Gouvernance et participation", "Ancrage territorial"]):
        dimension = Dimension.objects.create(grid=grid, name=name, position=d_pos)
        for c_pos in range(2):
            criterion = Criterion.objects.create(
                dimension=dimension, name=f"{name} {c_pos + 1}", position=c_pos
            )
            for value in range(1, 5):
                CriterionLevel.objects.create(
                    criterion=criterion,
                    value=value,
                    label=f"Level {value}",
                    descriptor=f"What level {value} of {criterion.name} looks like",
                )
    return grid


@pytest.fixture
def maison(territory_factory):
    from initiatives.models import Initiative
    from initiatives.services import publish

    commune = territory_factory(territory_factory.Level.COMMUNE, "62178", "Bruay-la-Buissière")
    return publish(
        Initiative.objects.create(
            name="Maison des échanges",
            slug="maison-des-echanges",
            summary="Ici on n'achète pas : on échange.",
            territory=commune,
        )
    )


@pytest.fixture
def criteria(grid):
    from evaluations.models import Criterion

    return list(
        Criterion.objects.filter(dimension__grid=grid).order_by("dimension__position", "position")
    )


def scores_for(criteria, values, evidence="Seen on the visit"):
    """criterion id -> (level id, evidence); a None value leaves the criterion unscored."""
    return {
        c.pk: ((c.levels.get(value=v).pk if v else None), evidence)
        for c, v in zip(criteria, values, strict=True)
    }


@pytest.fixture
def assess(grid, maison, criteria):
    from evaluations import services

    def make(values, date=dt.date(2024, 6, 20)):
        return services.save_assessment(
            grid=grid, initiative=maison, date=date, scores=scores_for(criteria, values)
        )

    return make
