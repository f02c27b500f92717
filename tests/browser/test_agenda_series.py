"""An actor imports a calendar with a weekly meeting in Chromium, and the agenda shows its dates."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from observatoire import roles
from tests.agenda import test_recurrence as series_case
from tests.agenda.test_recurrence import actor_file, expected_starts

dates = series_case.dates  # the fixture: a weekly series across the change to summer time

pytestmark = pytest.mark.browser


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def test_partner_imports_a_series_and_the_agenda_shows_its_dates(
    page,
    live_server,
    dates,
    tmp_path,
    assert_accessible,
):
    from agenda import services
    from agenda.models import Event

    User = get_user_model()
    partner = User.objects.create_user("alex", password="unused-Pa55word")
    partner.groups.add(Group.objects.get(name=roles.PARTNER))
    log_in(page, live_server, partner)
    path = tmp_path / "agenda.ics"
    path.write_bytes(actor_file(dates))

    page.goto(live_server.url + reverse("agenda:import"))
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_role("button", name="Importer").click()
    summary = page.get_by_role("status").inner_text()
    assert "Dont 1 qui se répète" in summary
    assert "1 occurrence modifiée gardée avec sa série" in summary
    assert "ATTENDEE (1)" in summary and "VALARM (1)" in summary

    services.publish(Event.objects.get(uid="comite-hebdo@cre-sol"))
    page.goto(live_server.url + reverse("agenda:list"))
    shown = {
        dt.datetime.fromisoformat(value).astimezone(dt.UTC)
        for value in page.locator("ul.cards time").evaluate_all(
            "nodes => nodes.map(n => n.getAttribute('datetime'))"
        )
    }
    assert shown == set(expected_starts(dates))
    assert page.get_by_text("Comité de pilotage (déplacé au mercredi)").is_visible()
    assert_accessible(page)
    first = min(expected_starts(dates))
    local = timezone.localtime(first)
    page.goto(live_server.url + reverse("agenda:month", args=[local.year, local.month]))
    assert page.get_by_role("link", name="Comité de pilotage hebdomadaire").count() >= 1
