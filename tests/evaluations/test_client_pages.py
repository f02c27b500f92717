"""Assessing a support mission's client organisation: staff only, like the missions themselves."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from evaluations.models import Assessment


@pytest.fixture
def mission(db):
    from accompagnements.models import SupportMission
    from initiatives.models import Organisation

    adere = Organisation.objects.create(slug="adere-laura", name="ADERE LAURA")
    return SupportMission.objects.create(
        title="Renouveler le projet associatif",
        client_organisation=adere,
        start_date=dt.date(2022, 3, 1),
    )


def _form_data(grid, criteria, values, date):
    data = {"grid": grid.pk, "date": date, "notes": ""}
    for criterion, value in zip(criteria, values, strict=True):
        data[f"level_{criterion.pk}"] = criterion.levels.get(value=value).pk
        data[f"evidence_{criterion.pk}"] = f"Evidence for {criterion.name}"
    return data


def test_staff_assesses_the_client_from_the_mission_and_sees_progress_over_time(
    client, users, grid, criteria, mission
):
    adere = mission.client_organisation
    client.force_login(users["staff"])
    history = reverse("evaluations:organisation", args=[adere.slug])
    mission_page = client.get(reverse("accompagnements:detail", args=[mission.pk])).content
    assert f'href="{history}"'.encode() in mission_page

    new = reverse("evaluations:organisation-new", args=[adere.slug]) + f"?grid={grid.pk}"
    html = client.get(new).content.decode()
    assert "What level 3 of Ancrage territorial 1 looks like" in html
    for values, date in (([1, 1, 2, 2], "2023-01-10"), ([3, 4, 2, 4], "2024-06-20")):
        response = client.post(new, _form_data(grid, criteria, values, date))
        assert response.status_code == 302
    first, second = Assessment.objects.order_by("date")
    assert first.organisation == adere and first.initiative is None
    assert first.assessor == users["staff"] and second.date == dt.date(2024, 6, 20)
    assert second.scores.get(criterion=criteria[0]).evidence == "Evidence for " + criteria[0].name

    edit = client.get(reverse("evaluations:edit", args=[second.pk]))
    assert edit.status_code == 200
    assert reverse("evaluations:publish", args=[second.pk]) not in edit.content.decode()

    html = client.get(history).content.decode()
    table = html[html.index('data-testid="progress-') :]
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", table, re.S)
    cells = {label: re.findall(r'<td class="num">(.*?)</td>', rest) for label, rest in rows}
    assert cells["Gouvernance et participation"] == ["1 / 4", "3,50 / 4"]
    assert cells["Ancrage territorial"] == ["2 / 4", "3 / 4"]
    assert reverse("evaluations:edit", args=[first.pk]) in html


@pytest.mark.parametrize("who", ["public", "nobody", "partner", "researcher"])
def test_the_client_assessment_pages_are_404_to_all_but_staff(
    client, users, grid, criteria, mission, who
):
    from evaluations import services

    adere = mission.client_organisation
    assessment = services.save_assessment(
        grid=grid, organisation=adere, date=dt.date(2024, 6, 20), scores={}
    )
    if who != "public":
        client.force_login(users[who])
    new = reverse("evaluations:organisation-new", args=[adere.slug]) + f"?grid={grid.pk}"
    for method, url in [
        ("get", reverse("evaluations:organisation", args=[adere.slug])),
        ("get", new),
        ("post", new),
        ("get", reverse("evaluations:edit", args=[assessment.pk])),
        ("post", reverse("evaluations:edit", args=[assessment.pk])),
        ("post", reverse("evaluations:publish", args=[assessment.pk])),
    ]:
        data = _form_data(grid, criteria, [1, 2, 3, 4], "2025-01-01") if method == "post" else {}
        assert getattr(client, method)(url, data).status_code == 404, (who, url)
    assert Assessment.objects.get().scores.count() == 0


def test_an_organisation_that_is_no_mission_client_has_no_assessment_page(client, users, grid):
    from initiatives.models import Organisation

    Organisation.objects.create(slug="dreets", name="DREETS")
    client.force_login(users["staff"])
    assert client.get(reverse("evaluations:organisation", args=["dreets"])).status_code == 404


def test_a_client_assessment_is_not_published(client, users, grid, criteria, mission):
    from evaluations import services
    from observatoire.publishing import State

    assessment = services.save_assessment(
        grid=grid,
        organisation=mission.client_organisation,
        date=dt.date(2024, 6, 20),
        scores={c.pk: (c.levels.get(value=2).pk, "") for c in criteria},
    )
    client.force_login(users["staff"])
    response = client.post(reverse("evaluations:publish", args=[assessment.pk]))
    assert response.status_code == 404
    assessment.refresh_from_db()
    assert assessment.state == State.DRAFT
