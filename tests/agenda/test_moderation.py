"""Moderating the agenda: staff correct a proposal, publish or refuse it with a reason, and the
actor who proposed it is told by e-mail either way."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from agenda import services
from agenda.models import Event, Kind
from observatoire.publishing import State

from .conftest import paris


@pytest.fixture
def proposal(users, places):
    users["partner"].email = "alex@reseau.example"
    users["partner"].save()
    event = Event(
        title="Atelier coopératoin",  # the typo staff correct
        starts_at=paris(2031, 2, 3, 14, 0),
        ends_at=paris(2031, 2, 3, 17, 0),
        kind=Kind.WORKSHOP,
        territory=places["orleans"],
    )
    return services.propose(event, by=users["partner"], themes=["coopération"])


def test_refusing_keeps_the_reason_and_tells_the_proposer(
    client, users, proposal, django_capture_on_commit_callbacks
):
    client.force_login(users["staff"])
    page = client.get(reverse("agenda:moderation")).content.decode()
    assert "Atelier coopératoin" in page and 'name="reason"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("agenda:moderate", args=[proposal.pk]),
            {"decision": "refuse", "reason": "Il manque le lieu et l'horaire de fin."},
        )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == State.WITHDRAWN
    assert proposal.refusal_reason == "Il manque le lieu et l'horaire de fin."
    (message,) = mail.outbox
    assert message.to == ["alex@reseau.example"]
    assert "Atelier coopératoin" in message.subject
    assert "Il manque le lieu et l'horaire de fin." in message.body


def test_publishing_tells_the_proposer_with_the_link(
    client, users, proposal, django_capture_on_commit_callbacks
):
    client.force_login(users["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("agenda:moderate", args=[proposal.pk]), {"decision": "publish"})
    assert Event.objects.published().filter(pk=proposal.pk).exists()
    (message,) = mail.outbox
    assert "http://testserver" + proposal.get_absolute_url() in message.body


def test_events_staff_publish_themselves_send_no_mail(places, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event = Event.objects.create(title="Rencontre", starts_at=paris(2031, 1, 1, 9, 0))
        services.publish(event)
    assert mail.outbox == []


def test_staff_correct_a_proposal_and_it_stays_to_moderate(client, users, proposal):
    client.force_login(users["staff"])
    url = reverse("agenda:edit", args=[proposal.pk])
    form = client.get(url).context["form"]
    data = {
        name: value
        for name, value in {**form.initial, "title": "Atelier coopération"}.items()
        if value is not None
    }
    data["territory"] = form["territory"].value()
    data["themes"] = "coopération, diagnostic partagé"
    data["starts_at"] = "2031-02-03T14:00"
    data["ends_at"] = "2031-02-03T17:00"
    data.pop("initiatives", None), data.pop("poles", None), data.pop("organiser", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    proposal.refresh_from_db()
    assert proposal.title == "Atelier coopération" and proposal.state == State.DRAFT
    assert proposal.starts_at == paris(2031, 2, 3, 14, 0)
    assert sorted(t.name for t in proposal.themes.all()) == ["coopération", "diagnostic partagé"]
    assert proposal.proposed_by == users["partner"]  # still theirs, and they are told later
    assert mail.outbox == []


def test_others_cannot_correct_or_moderate(client, users, proposal):
    client.force_login(users["partner"])
    assert client.get(reverse("agenda:edit", args=[proposal.pk])).status_code == 404
    client.post(reverse("agenda:moderate", args=[proposal.pk]), {"decision": "publish"})
    proposal.refresh_from_db()
    assert proposal.state == State.DRAFT
    assert dt.date(2031, 2, 3) == proposal.starts_at.date()
