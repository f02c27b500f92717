"""The .ics feed read by parsers not written here: icalendar, vobject, ics, recurring-ical-events.

A calendar program must see every event at the same instant whatever it is built on; a filter
that matches nothing still gives a calendar they accept; a filter they mistyped is refused.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import ics
import recurring_ical_events
import vobject
from django.urls import reverse

from agenda import services
from agenda.models import Event, Kind

from .conftest import paris

UTC = dt.UTC


def fetch(client, query=""):
    response = client.get(reverse("agenda-ics") + query)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode("utf-8")


def starts_by_parser(text: str) -> dict[str, dict[str, dt.datetime]]:
    """{parser: {title: start in UTC}}, each library reading the feed its own way."""
    found = {
        "icalendar": {
            str(item["summary"]): item.decoded("dtstart")
            for item in icalendar.Calendar.from_ical(text).walk("VEVENT")
        },
        "vobject": {
            item.summary.value: item.dtstart.value for item in vobject.readOne(text).vevent_list
        },
        # ics-py gives an all-day event as midnight UTC with a flag.
        "ics": {
            item.name: item.begin.date() if item.all_day else item.begin.datetime
            for item in ics.Calendar(text).events
        },
        "recurring-ical-events": {
            str(item["summary"]): item["DTSTART"].dt
            for item in recurring_ical_events.of(icalendar.Calendar.from_ical(text)).between(
                dt.date(2000, 1, 1), dt.date(2100, 1, 1)
            )
        },
    }
    return {
        parser: {
            title: start.astimezone(UTC) if isinstance(start, dt.datetime) else start
            for title, start in starts.items()
        }
        for parser, starts in found.items()
    }


def test_a_summer_event_is_at_the_same_instant_in_every_parser(client, events):
    year = events["year"]
    services.publish(
        Event.objects.create(
            title="Université d'été de l'ESS",
            starts_at=paris(year, 7, 3, 10, 0),
            ends_at=paris(year, 7, 3, 12, 0),
            kind=Kind.GATHERING,
        )
    )
    starts = starts_by_parser(fetch(client))
    summer = dt.datetime(year, 7, 3, 8, 0, tzinfo=UTC)  # 10:00 in Paris, summer time
    winter = dt.datetime(year, 11, 29, 8, 30, tzinfo=UTC)  # 9:30 in Paris, winter time
    for parser, by_title in starts.items():
        assert by_title["Université d'été de l'ESS"] == summer, parser
        assert by_title["Rencontre co-construction territoriale"] == winter, parser
        assert by_title["Journée R&D et PTCE"] == dt.date(year, 3, 7), parser
    assert len({frozenset(by_title.items()) for by_title in starts.values()}) == 1


def test_the_vtimezone_agrees_with_zoneinfo_for_decades(client, events):
    """vobject computes offsets from our VTIMEZONE alone (dateutil's tzical), not from tzdata."""
    calendar = vobject.readOne(fetch(client))
    zone = calendar.vtimezone.gettzinfo()
    paris_zone = ZoneInfo("Europe/Paris")
    for year in range(events["year"], events["year"] + 25):
        for month in (1, 4, 7, 10, 12):
            moment = dt.datetime(year, month, 15, 12, 0)
            assert moment.replace(tzinfo=zone).utcoffset() == (
                moment.replace(tzinfo=paris_zone).utcoffset()
            ), moment


def test_an_empty_filtered_feed_is_a_calendar_every_parser_accepts(client, events):
    text = fetch(client, "?type=training")  # no training in the agenda
    calendar = icalendar.Calendar.from_ical(text)
    assert calendar.walk("VEVENT") == []
    assert calendar.subcomponents, "RFC 5545 asks for at least one component"
    assert not hasattr(vobject.readOne(text), "vevent")
    assert ics.Calendar(text).events == set()
    expanded = recurring_ical_events.of(calendar).between(dt.date(2000, 1, 1), dt.date(2100, 1, 1))
    assert expanded == []


def test_an_unknown_filter_value_is_refused(client, events):
    for query in ["?territoire=nope", "?type=nope", "?theme=no-such-theme"]:
        response = client.get(reverse("agenda-ics") + query)
        assert response.status_code == 400, query
        assert response["Content-Type"].startswith("text/plain")
        assert "nope" in response.content.decode() or "no-such-theme" in response.content.decode()
    # Parameters that are not filters, and known values, still give the calendar.
    assert client.get(reverse("agenda-ics") + "?territoire=region:24&x=1").status_code == 200
