"""The agenda as iCalendar: the .ics feed, with its series, their exceptions and a VTIMEZONE.

Reading an actor's file is in agenda.ics_reading.
"""

import datetime as dt
from functools import lru_cache

import icalendar
from django.utils import timezone
from django.utils.translation import gettext as _

from .recurrence import agenda_zone, from_value

TIMEZONE_YEARS_AHEAD = 30  # the VTIMEZONE covers the agenda's dates and this much beyond today


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value, agenda_zone())


@lru_cache(maxsize=16)
def _timezone_ical(first_year: int, last_year: int) -> bytes:
    """Europe/Paris as a VTIMEZONE, from zoneinfo by icalendar, one RDATE per line.

    icalendar writes each sub-component's onsets as one comma-separated RDATE; vobject (through
    dateutil's tzical) reads only the first of them, and so put every summer after 1977 in winter
    time. One RDATE property per onset means the same to RFC 5545 and to every parser.
    """
    block = icalendar.Timezone.from_tzinfo(
        agenda_zone(),
        tzid=str(agenda_zone()),
        first_date=dt.date(first_year, 1, 1),
        last_date=dt.date(last_year, 1, 1),
    )
    for part in block.subcomponents:
        lists = part.pop("RDATE", None)
        if lists is None:
            continue
        for values in lists if isinstance(lists, list) else [lists]:
            for value in values.dts:
                part.add("RDATE", value.dt)
    return block.to_ical()


def timezone_block(events) -> icalendar.Timezone:
    """The VTIMEZONE for these events, from the year of the earliest to well after today."""
    today = timezone.localdate()
    years = [_local(event.starts_at).year for event in events]
    first = max(1970, min([*years, today.year]))
    last = max([*years, today.year]) + TIMEZONE_YEARS_AHEAD
    return icalendar.Timezone.from_ical(_timezone_ical(first, last))


def build_calendar(events, *, name: str, url: str = "") -> bytes:
    """A VCALENDAR with its VTIMEZONE; all-day events as DATE values.

    The VTIMEZONE is always there: a calendar without any component is not valid (RFC 5545 3.6),
    and a filter that matches no event must still give one that programs accept.
    """
    events = list(events)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Observatoire des initiatives cooperatives//agenda//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", str(agenda_zone()))
    cal.add_component(timezone_block(events))
    for event in events:
        cal.add_component(_vevent(event, url))
    return cal.to_ical()


def _moment(event, value: dt.datetime):
    """A date of the event as the feed writes it: a DATE for all-day events, else local time."""
    return _local(value).date() if event.all_day else _local(value)


def _vevent(event, url: str) -> icalendar.Event:
    item = icalendar.Event()
    master = event.recurrence_of
    # A changed occurrence carries the UID of its series and the date it replaces.
    item.add("uid", master.uid if master is not None else event.uid)
    if master is not None:
        item.add("recurrence-id", _moment(master, event.recurrence_id))
    item.add("summary", event.title)
    item.add("dtstamp", event.updated_at or timezone.now())
    if event.all_day:
        first = _local(event.starts_at).date()
        last = _local(event.ends_at).date() if event.ends_at else first
        item.add("dtstart", first)
        item.add("dtend", last + dt.timedelta(days=1))  # DTEND of a DATE is exclusive
    else:
        item.add("dtstart", _local(event.starts_at))
        if event.ends_at:
            item.add("dtend", _local(event.ends_at))
    _add_recurrence(item, event)
    if event.description:
        item.add("description", event.description)
    location = ", ".join(
        part for part in [event.place, _("online") if event.online else ""] if part
    )
    if location:
        item.add("location", location)
    link = event.url or (url + event.get_absolute_url() if url else "")
    if link:
        item.add("url", link)
    item.add("categories", [event.get_kind_display()])
    return item


def _add_recurrence(item, event) -> None:
    if event.rrule:
        item.add("rrule", icalendar.vRecur.from_ical(event.rrule))
    # One value per line: vobject reads only the first value of a list (see _timezone_ical).
    for name, values in (("rdate", event.rdates), ("exdate", event.exdates)):
        for value in values or []:
            item.add(name, _moment(event, from_value(value, start=event.starts_at)))
