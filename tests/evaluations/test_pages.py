"""Assessment pages for staff and researchers (404 for others); the radar on the public profile."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from evaluations import services
from evaluations.models import Assessment
from observatoire.publishing import State


def urls(maison, grid, assessment):
    return [
        ("get", reverse("evaluations:initiative", args=[maison.slug])),
        ("get", reverse("evaluations:new", args=[maison.slug]) + f"?grid={grid.pk}"),
        ("get", reverse("evaluations:edit", args=[assessment.pk])),
        ("post", reverse("evaluations:publish", args=[assessment.pk])),
    ]


@pytest.mark.parametrize("who", ["public", "nobody", "partner"])
def test_assessment_pages_are_404_to_everyone_but_staff_and_researchers(
    client, users, grid, maison, assess, who
):
    assessment = assess([3, 4, 1, 2])
    if who != "public":
        client.force_login(users[who])
    for method, url in urls(maison, grid, assessment):
        assert getattr(client, method)(url).status_code == 404, (who, url)
    assert Assessment.objects.get().state == State.DRAFT


@pytest.mark.parametrize("who", ["staff", "researcher"])
def test_staff_and_researchers_open_the_assessment_pages(client, users, grid, maison, assess, who):
    assessment = assess([3, 4, 1, 2])
    client.force_login(users[who])
    for method, url in urls(maison, grid, assessment):
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_a_researcher_assesses_criterion_by_criterion_with_descriptors(
    client, users, grid, maison, criteria
):
    client.force_login(users["researcher"])
    url = reverse("evaluations:new", args=[maison.slug]) + f"?grid={grid.pk}"
    html = client.get(url).content.decode()
    assert "What level 3 of Ancrage territorial 1 looks like" in html
    data = {"grid": grid.pk, "date": "2024-06-20", "notes": ""}
    for criterion, value in zip(criteria, [3, 4, 1, 2], strict=True):
        data[f"level_{criterion.pk}"] = criterion.levels.get(value=value).pk
        data[f"evidence_{criterion.pk}"] = f"Evidence for {criterion.name}"
    response = client.post(url, data)
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluations:edit", args=[assessment.pk])
    assert assessment.date == dt.date(2024, 6, 20) and assessment.assessor == users["researcher"]
    assert assessment.scores.count() == 4
    assert (
        assessment.scores.get(criterion=criteria[0]).evidence == "Evidence for " + criteria[0].name
    )


def test_publish_view_refuses_an_incomplete_assessment(client, users, assess):
    assessment = assess([3, None, 1, 2])
    client.force_login(users["staff"])
    with translation.override("en"):
        url = reverse("evaluations:publish", args=[assessment.pk])
    response = client.post(url, follow=True)
    assert "cannot be published" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.state == State.DRAFT


def test_progress_table_shows_each_dimension_over_time(client, users, grid, maison, assess):
    assess([1, 1, 2, 2], date=dt.date(2023, 1, 10))
    assess([3, 4, 2, 4], date=dt.date(2024, 6, 20))
    client.force_login(users["staff"])
    html = client.get(reverse("evaluations:initiative", args=[maison.slug])).content.decode()
    table = html[html.index('data-testid="progress-') :]
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", table, re.S)
    cells = {label: re.findall(r'<td class="num">(.*?)</td>', rest) for label, rest in rows}
    assert cells["Gouvernance et participation"] == [
        "1 / 4",
        "3,50 / 4",
    ]  # French is the default language
    assert cells["Ancrage territorial"] == ["2 / 4", "3 / 4"]


def _radar(html):
    match = re.search(
        r'<script id="assessment-radar-data" type="application/json">(.*?)</script>', html
    )
    return json.loads(match.group(1)) if match else None


def test_profile_shows_the_radar_of_the_latest_published_assessment_only(
    client, grid, maison, assess
):
    draft = assess([4, 4, 4, 4], date=dt.date(2025, 1, 1))
    html = client.get(maison.get_absolute_url()).content.decode()
    assert _radar(html) is None and "assessment-radar" not in html

    services.publish_assessment(assess([3, 4, 1, 2], date=dt.date(2024, 6, 20)))
    html = client.get(maison.get_absolute_url()).content.decode()
    # The newer draft is not shown; the published one is, with the grid's name and date.
    assert _radar(html) == [
        {"label": "Gouvernance et participation", "value": 3.5, "max": 4.0, "count": 2},
        {"label": "Ancrage territorial", "value": 1.5, "max": 4.0, "count": 2},
    ]
    assert (
        "Capteurs d&#x27;innovation sociale" in html
        and date_format(dt.date(2024, 6, 20), "DATE_FORMAT") in html
    )
    assert 'data-testid="assessment-radar"' in html and "vendor/chart.js/chart.umd.js" in html

    services.withdraw_assessment(Assessment.objects.get(state=State.PUBLISHED))
    assert _radar(client.get(maison.get_absolute_url()).content.decode()) is None
    assert draft.state == State.DRAFT
