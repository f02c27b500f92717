"""A mission for ADERE LAURA with funding lines and a métaplan workshop; one user a role."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

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
    }


@pytest.fixture
def organisations(db):
    from initiatives.models import LegalForm, Organisation

    def org(slug, name, **extra):
        return Organisation.objects.create(slug=slug, name=name, **extra)

    return {
        "adere": org("adere-laura", "ADERE LAURA"),
        "dreets": org("dreets", "DREETS Auvergne-Rhône-Alpes", legal_form=LegalForm.PUBLIC_BODY),
        "region": org("region-aura", "Région Auvergne-Rhône-Alpes"),
    }


@pytest.fixture
def mission(organisations):
    from accompagnements.models import Funding, SupportMission

    mission = SupportMission.objects.create(
        title="Renouveler le projet associatif",
        client_organisation=organisations["adere"],
        objectives="Redéfinir le projet moral qui unit les membres.",
        start_date=dt.date(2022, 3, 1),
    )
    for funder, amount, year in [("dreets", "12000.50", 2022), ("region", "8000", 2023)]:
        Funding.objects.create(
            mission=mission,
            funder=organisations[funder],
            programme="DREETS" if funder == "dreets" else "AMI",
            amount=Decimal(amount),
            start_date=dt.date(year, 1, 1),
        )
    return mission


@pytest.fixture
def workshop(mission):
    from accompagnements import services
    from accompagnements.models import Method, Workshop

    workshop = Workshop.objects.create(
        mission=mission,
        title="L'Adere en 2032",
        date=timezone.make_aware(dt.datetime(2022, 6, 15, 14, 0)),
        method=Method.METAPLAN,
        participant_count=24,
        target_year=2032,
        summary="Atelier lors des 30 ans du réseau.",
    )
    services.add_cards(workshop, "Charte des valeurs\nAdhérents au CA\nAchats locaux")
    return workshop
