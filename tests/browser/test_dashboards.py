"""The missions dashboard, the agenda's month view and an assessment radar in a real browser."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.browser


def log_in_as_staff(page, live_server):
    user = get_user_model().objects.create_user("camille", password="x", is_staff=True)
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


@pytest.fixture
def missions(db):
    from accompagnements.models import Funding, Method, SupportMission, Workshop
    from initiatives.models import Organisation

    adere = Organisation.objects.create(name="ADERE LAURA", slug="adere-laura")
    dreets = Organisation.objects.create(name="DREETS", slug="dreets")
    mission = SupportMission.objects.create(
        title="Projet associatif", client_organisation=adere, start_date=dt.date(2022, 3, 1)
    )
    Funding.objects.create(
        mission=mission, funder=dreets, amount=Decimal("12000"), start_date=dt.date(2022, 1, 1)
    )
    Workshop.objects.create(
        mission=mission,
        title="L'Adere en 2032",
        date=timezone.make_aware(dt.datetime(2022, 6, 15, 14, 0)),
        method=Method.BACKCASTING,
    )
    return mission


def _charts_drawn(page) -> int:
    return page.evaluate(
        "() => Array.from(document.querySelectorAll('canvas'))"
        ".filter((canvas) => window.Chart && Chart.getChart(canvas)).length"
    )


def test_missions_dashboard_draws_its_charts_and_is_accessible(
    page, live_server, missions, assert_accessible
):
    log_in_as_staff(page, live_server)
    page.goto(live_server.url + reverse("accompagnements:dashboard"))
    page.wait_for_function("() => window.Chart !== undefined")
    assert _charts_drawn(page) == 4
    # The same figures as tables, for those who do not see the charts.
    for summary in page.locator("details > summary").all():
        summary.click()
    assert "DREETS" in page.get_by_test_id("funding_per_funder").inner_text()
    assert "12" in page.get_by_test_id("funding_per_funder").inner_text()
    assert_accessible(page)


@pytest.fixture
def month_events(db, territory_factory):
    from agenda import services
    from agenda.models import Event, Kind

    commune = territory_factory(territory_factory.Level.COMMUNE, "45234", "Orléans")
    start = timezone.localtime().replace(day=12, hour=9, minute=30, second=0, microsecond=0)
    return [
        services.publish(
            Event.objects.create(
                title="Rencontre co-construction territoriale",
                starts_at=start,
                ends_at=start + dt.timedelta(hours=7),
                territory=commune,
                kind=Kind.MEETING,
            )
        )
    ]


def test_agenda_month_view_shows_the_events_and_is_accessible(
    page, live_server, month_events, assert_accessible
):
    today = timezone.localdate()
    page.goto(live_server.url + reverse("agenda:month", args=[today.year, today.month]))
    link = page.get_by_role("link", name="Rencontre co-construction territoriale")
    assert link.is_visible()
    assert_accessible(page)
    page.get_by_role("link", name=page.locator("a[rel=next]").inner_text()).click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Rencontre co-construction territoriale").count() == 0


def test_profile_radar_of_a_published_assessment_is_drawn_and_accessible(
    page, live_server, territory_factory, assert_accessible
):
    from evaluations import services
    from evaluations.models import Criterion, CriterionLevel, Dimension, Grid
    from initiatives.models import Initiative
    from initiatives.services import publish

    commune = territory_factory(territory_factory.Level.COMMUNE, "62178", "Bruay-la-Buissière")
    maison = publish(
        Initiative.objects.create(
            name="Maison des échanges", slug="maison", summary="On échange.", territory=commune
        )
    )
    grid = Grid.objects.create(name="Capteurs d'innovation sociale")
    scores = {}
    for position, name in enumerate(["Gouvernance", "Ancrage territorial", "Coopération"]):
        dimension = Dimension.objects.create(grid=grid, name=name, position=position)
        criterion = Criterion.objects.create(dimension=dimension, name=f"{name} 1")
        levels = [
            CriterionLevel.objects.create(criterion=criterion, value=v, label=f"L{v}")
            for v in range(1, 5)
        ]
        scores[criterion.pk] = (levels[position + 1].pk, "")
    services.publish_assessment(
        services.save_assessment(
            grid=grid, initiative=maison, date=dt.date(2024, 6, 20), scores=scores
        )
    )
    page.goto(live_server.url + maison.get_absolute_url())
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.getElementById('assessment-radar-chart'))"
    )
    assert "Ancrage territorial" in page.get_by_test_id("assessment-radar").inner_text()
    assert_accessible(page)
