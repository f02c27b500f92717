"""Missions are staff-only: partners, researchers and the public get a 404, never a 403."""

import pytest
from django.urls import reverse


def staff_urls(mission, workshop):
    deliverable = mission.deliverables.create(title="Rapport")
    pk, w = mission.pk, workshop.pk
    return [
        ("get", reverse("accompagnements:board")),
        ("get", reverse("accompagnements:dashboard")),
        ("get", reverse("accompagnements:funding-csv")),
        ("get", reverse("accompagnements:detail", args=[pk])),
        ("get", reverse("accompagnements:report-pdf", args=[pk])),
        ("get", reverse("accompagnements:report-odt", args=[pk])),
        ("get", reverse("accompagnements:report-docx", args=[pk])),
        ("post", reverse("accompagnements:report-version", args=[pk])),
        ("get", reverse("accompagnements:metaplan", args=[w])),
        ("get", reverse("accompagnements:backcasting", args=[w])),
        ("post", reverse("accompagnements:state", args=[pk])),
        ("post", reverse("accompagnements:add-cards", args=[w])),
        ("post", reverse("accompagnements:save-arrangement", args=[w])),
        ("post", reverse("accompagnements:add-version", args=[pk, deliverable.pk])),
    ]


@pytest.mark.parametrize("who", ["public", "partner", "researcher"])
def test_mission_pages_are_404_to_everyone_but_staff(client, users, mission, workshop, who):
    if who != "public":
        client.force_login(users[who])
    for method, url in staff_urls(mission, workshop):
        response = getattr(client, method)(url)
        assert response.status_code == 404, (who, url, response.status_code)


def test_staff_see_the_mission_pages(client, users, mission, workshop):
    client.force_login(users["staff"])
    for method, url in staff_urls(mission, workshop):
        if method == "get" and "rapport" not in url:
            assert client.get(url).status_code == 200, url


def test_mission_page_shows_the_funding_total(client, users, mission):
    client.force_login(users["staff"])
    response = client.get(mission.get_absolute_url())
    assert "20 000,50" in response.content.decode().replace("\xa0", " ").replace("\u202f", " ")
