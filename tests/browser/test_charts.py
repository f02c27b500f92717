"""The charts people read: the missions dashboard counts in whole numbers, the profile's radar keeps
its labels inside the canvas (on a phone too), and staff compare assessments on one radar."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def sign_in(page, live_server, **flags):
    user = get_user_model().objects.create_user("camille", password="x", **flags)
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def chart_of(page, selector):
    """Wait for Chart.js to have drawn on the canvas; return a JS expression reaching its chart."""
    expression = f"Chart.getChart(document.querySelector({selector!r}))"
    page.wait_for_function(f"() => window.Chart && {expression}")
    return expression


@pytest.fixture
def missions(db):
    """One mission and one workshop: a count axis left alone would step by 0.1."""
    from accompagnements.models import Method, SupportMission, Workshop
    from initiatives.models import Organisation

    client = Organisation.objects.create(name="ADERE LAURA", slug="adere-laura")
    mission = SupportMission.objects.create(title="Projet associatif", client_organisation=client)
    Workshop.objects.create(
        mission=mission, title="Atelier", date=dt.datetime(2022, 6, 15, 14, tzinfo=dt.UTC),
        method=Method.METAPLAN,
    )  # fmt: skip
    return mission


def test_the_missions_chart_counts_in_whole_numbers(page, live_server, missions):
    sign_in(page, live_server, is_staff=True)
    page.goto(live_server.url + reverse("accompagnements:dashboard"))
    chart = chart_of(page, "#missions_per_state-chart")
    ticks = page.evaluate(f"() => {chart}.scales.y.ticks.map((tick) => tick.value)")
    assert ticks and all(value == int(value) for value in ticks), ticks
    assert page.evaluate(f"() => {chart}.scales.y.max") >= 1


@pytest.fixture
def assessed(db, territory_factory):
    """The observatory's social-innovation grid and the Maison des échanges assessed twice (a
    draft, then a published assessment), as load_demo makes them."""
    from evaluations import demo
    from initiatives.models import Initiative
    from initiatives.services import publish

    commune = territory_factory(territory_factory.Level.COMMUNE, "62178", "Bruay-la-Buissière")
    maison = publish(
        Initiative.objects.create(
            name="Maison des échanges", slug=demo.INITIATIVE_SLUG, summary="On échange.",
            territory=commune,
        )
    )  # fmt: skip
    demo.load_demo_assessments()
    return maison


LABELS_INSIDE = """(chart) => chart.scales.r._pointLabelItems.every((item) =>
    item.left >= 0 && item.top >= 0 && item.right <= chart.width && item.bottom <= chart.height)"""


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_the_profile_radar_keeps_its_labels_inside_the_canvas(
    browser, live_server, assessed, viewport
):
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
        page.goto(live_server.url + assessed.get_absolute_url())
        chart = chart_of(page, "#assessment-radar-chart")
        assert page.evaluate(f"() => {chart}.scales.r._pointLabelItems.length") == 5
        assert page.evaluate(f"() => ({LABELS_INSIDE})({chart})")
    finally:
        context.close()


def test_staff_compare_assessments_on_one_radar_in_the_readers_language(
    page, live_server, assessed
):
    sign_in(page, live_server, is_staff=True)
    url = reverse("evaluations:initiative", args=[assessed.slug])
    page.goto(live_server.url + url)
    chart = chart_of(page, "canvas[data-testid=comparison-radar]")
    datasets = page.evaluate(f"() => {chart}.data.datasets.map((set) => set.label)")
    assert datasets == ["15/06/2023", "20/06/2024"]  # one per assessment, oldest first
    labels = page.evaluate(f"() => {chart}.data.labels.map((label) => [].concat(label).join(' '))")
    assert labels[0] == "Réponse à un besoin social" and len(labels) == 5
    assert page.evaluate(f"() => ({LABELS_INSIDE})({chart})")

    page.goto(live_server.url + "/en" + url)
    chart = chart_of(page, "canvas[data-testid=comparison-radar]")
    labels = page.evaluate(f"() => {chart}.data.labels.map((label) => [].concat(label).join(' '))")
    assert labels == [
        "Response to a social need",
        "Governance and participation",
        "Territorial roots",
        "Cooperation and alliances",
        "Scaling up",
    ]
    assert page.get_by_role("heading", level=2).first.inner_text() == "Social innovation sensors"
