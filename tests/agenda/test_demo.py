"""The demo agenda always has events ahead of the day it is loaded, and one proposal."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from agenda.demo import load_demo_agenda
from agenda.models import Event
from observatoire.publishing import State


def test_the_demo_agenda_shows_upcoming_events_and_keeps_one_proposal(db, client):
    partner = get_user_model().objects.create_user("partner", password="pw")
    load_demo_agenda()
    load_demo_agenda()  # idempotent
    now = timezone.now()
    published = Event.objects.published()
    assert published.count() >= 4
    assert all(event.starts_at > now for event in published)
    proposal = Event.objects.get(state=State.DRAFT)
    assert proposal.proposed_by == partner
    page = client.get("/agenda/").content.decode()
    assert "Café de la coopération" in page
    assert "Aucun événement à venir" not in page


def test_loading_the_demo_later_moves_its_events_ahead_again(db):
    load_demo_agenda()
    Event.objects.update(starts_at=timezone.now() - dt.timedelta(days=400), ends_at=None)
    load_demo_agenda()
    assert all(event.starts_at > timezone.now() for event in Event.objects.published())
