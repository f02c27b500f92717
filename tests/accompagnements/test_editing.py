"""Staff create and edit missions, their funding lines and workshops without the admin."""

import datetime as dt

import pytest
from django.urls import reverse

from accompagnements.models import Funding, MissionState, SupportMission, Workshop


@pytest.fixture
def commune(territory_factory):
    return territory_factory(territory_factory.Level.COMMUNE, "69123", "Lyon")


def _funding_management(total=1, initial=0):
    return {
        "funding-TOTAL_FORMS": str(total),
        "funding-INITIAL_FORMS": str(initial),
        "funding-MIN_NUM_FORMS": "0",
        "funding-MAX_NUM_FORMS": "1000",
    }


@pytest.mark.parametrize("who", ["partner", "researcher"])
def test_mission_forms_are_404_to_everyone_but_staff(client, users, mission, workshop, who):
    client.force_login(users[who])
    for url in [
        reverse("accompagnements:create"),
        reverse("accompagnements:edit", args=[mission.pk]),
        reverse("accompagnements:workshop-create", args=[mission.pk]),
        reverse("accompagnements:workshop-edit", args=[workshop.pk]),
    ]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url


def test_staff_create_a_mission_with_a_typed_territory_and_a_funding_line(
    client, users, organisations, commune
):
    client.force_login(users["staff"])
    page = client.get(reverse("accompagnements:create")).content.decode()
    # The territory is a text input with a datalist, not a select of every territory.
    assert 'list="id_territory-suggestions"' in page and "<datalist" in page
    response = client.post(
        reverse("accompagnements:create"),
        {
            "title": "Diagnostic partagé",
            "client_organisation": organisations["adere"].pk,
            "audience": "all",
            "territory": "Lyon (69123, commune)",
            "start_date": "2024-01-15",
            **_funding_management(),
            "funding-0-funder": organisations["dreets"].pk,
            "funding-0-programme": "DREETS",
            "funding-0-amount": "15000",
            "funding-0-status": "granted",
        },
    )
    mission = SupportMission.objects.get(title="Diagnostic partagé")
    assert response.status_code == 302 and response["Location"] == mission.get_absolute_url()
    assert mission.territory == commune and mission.state == MissionState.LEAD
    assert list(mission.funding_lines.values_list("programme", "amount")) == [("DREETS", 15000)]


def test_a_mission_needs_exactly_one_client_and_a_known_territory(client, users, organisations):
    client.force_login(users["staff"])
    response = client.post(
        reverse("accompagnements:create"),
        {
            "title": "Sans client",
            "audience": "all",
            "territory": "Atlantis",
            **_funding_management(0),
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.non_field_errors() and "territory" in form.errors
    assert not SupportMission.objects.filter(title="Sans client").exists()


def test_staff_edit_a_mission_and_delete_a_funding_line(client, users, mission):
    client.force_login(users["staff"])
    url = reverse("accompagnements:edit", args=[mission.pk])
    form = client.get(url).context["funding"]
    lines = list(mission.funding_lines.order_by("pk"))
    data = {
        "title": "Nouveau titre",
        "client_organisation": mission.client_organisation_id,
        "audience": mission.audience,
        **_funding_management(total=len(lines), initial=len(lines)),
    }
    for index, line in enumerate(lines):
        prefix = f"{form.prefix}-{index}"
        data |= {
            f"{prefix}-id": line.pk,
            f"{prefix}-funder": line.funder_id,
            f"{prefix}-amount": str(line.amount),
            f"{prefix}-status": line.status,
        }
    data[f"{form.prefix}-1-DELETE"] = "on"
    assert client.post(url, data).status_code == 302
    mission.refresh_from_db()
    assert mission.title == "Nouveau titre"
    assert list(Funding.objects.filter(mission=mission)) == lines[:1]


def test_staff_add_and_edit_a_workshop(client, users, mission):
    client.force_login(users["staff"])
    response = client.post(
        reverse("accompagnements:workshop-create", args=[mission.pk]),
        {
            "title": "Diagnostic en marchant",
            "date": "2024-03-05T09:30",
            "method": "shared_diagnosis",
            "participant_count": "12",
        },
    )
    workshop = Workshop.objects.get(title="Diagnostic en marchant")
    assert response.status_code == 302 and workshop.mission == mission
    assert workshop.date.date() == dt.date(2024, 3, 5)
    url = reverse("accompagnements:workshop-edit", args=[workshop.pk])
    assert "Diagnostic en marchant" in client.get(url).content.decode()
    client.post(
        url,
        {
            "title": "Diagnostic en marchant",
            "date": "2024-03-05T09:30",
            "method": "shared_diagnosis",
            "participant_count": "15",
        },
    )
    workshop.refresh_from_db()
    assert workshop.participant_count == 15
