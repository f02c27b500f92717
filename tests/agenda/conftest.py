"""Events around Cré-sol's meeting of 29 November in Centre-Val de Loire, and one user a role."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.accompagnements.conftest import users  # noqa: F401 - the same users, one a role


def paris(*args):
    return timezone.make_aware(dt.datetime(*args), timezone.get_default_timezone())


@pytest.fixture
def places(territory_factory):
    Level = territory_factory.Level
    centre = territory_factory(Level.REGION, "24", "Centre-Val de Loire")
    loiret = territory_factory(Level.DEPARTEMENT, "45", "Loiret", centre)
    orleans = territory_factory(Level.COMMUNE, "45234", "Orléans", loiret)
    aura = territory_factory(Level.REGION, "84", "Auvergne-Rhône-Alpes")
    return {"centre": centre, "orleans": orleans, "aura": aura}


@pytest.fixture
def events(places):
    from agenda import services
    from agenda.models import Event, Kind

    year = timezone.localdate().year + 1
    meeting = services.publish(
        Event.objects.create(
            title="Rencontre co-construction territoriale",
            starts_at=paris(year, 11, 29, 9, 30),
            ends_at=paris(year, 11, 29, 17, 0),
            territory=places["orleans"],
            kind=Kind.MEETING,
            place="Orléans",
        )
    )
    meeting.themes.add("coopération")
    day = services.publish(
        Event.objects.create(
            title="Journée R&D et PTCE",
            starts_at=paris(year, 3, 7),
            ends_at=paris(year, 3, 8),
            all_day=True,
            territory=places["aura"],
            kind=Kind.GATHERING,
        )
    )
    webinar = services.publish(
        Event.objects.create(
            title="Webinaire ESS et coopérations",
            starts_at=paris(year, 6, 1, 10, 0),
            online=True,
            territory=places["aura"],
            kind=Kind.WEBINAR,
        )
    )
    draft = Event.objects.create(
        title="Proposition pas encore modérée", starts_at=paris(year, 5, 1, 10, 0)
    )
    return {"meeting": meeting, "day": day, "webinar": webinar, "draft": draft, "year": year}
