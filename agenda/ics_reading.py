"""Reading an actor's .ics file: its events, their series and exceptions, and what we leave out.

Each VEVENT becomes a ParsedEvent; what the agenda cannot keep is counted by name (a property, a
component) so that the import can tell the actor, instead of dropping it silently.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import icalendar
from django.utils import timezone
from django.utils.translation import gettext as _

from .recurrence import agenda_zone, check_rule, to_value

MAX_EVENTS = 2000  # more than any actor's calendar; a bigger file is refused, not half-read

# What the agenda keeps of an event.
KEPT = {
    "UID", "SUMMARY", "DTSTART", "DTEND", "DURATION", "DESCRIPTION", "LOCATION", "URL",
    "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID", "STATUS",
}  # fmt: skip
# The sending program's bookkeeping: nothing a reader of the agenda misses.
BOOKKEEPING = {"DTSTAMP", "CREATED", "LAST-MODIFIED", "SEQUENCE", "TRANSP", "CLASS", "PRIORITY"}


class CalendarError(Exception):
    """The file is not a calendar we can read; the message says why, for the uploader."""


@dataclass
class ParsedEvent:
    uid: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    all_day: bool
    description: str = ""
    place: str = ""
    url: str = ""
    rrule: str = ""
    rdates: list[str] = field(default_factory=list)
    exdates: list[str] = field(default_factory=list)
    recurrence_id: dt.datetime | None = None  # set on a changed occurrence of a series
    cancelled: bool = False
    # What was in the event and is not kept: iCalendar names, e.g. "ATTENDEE", "VALARM".
    dropped: list[str] = field(default_factory=list)


@dataclass
class ParsedCalendar:
    events: list[ParsedEvent]
    dropped: Counter = field(default_factory=Counter)  # name -> how many events had it


def _as_datetime(value, *, end=False) -> tuple[dt.datetime, bool]:
    """A DATE or DATE-TIME as an aware datetime, and whether it was a whole day."""
    zone = agenda_zone()
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):  # floating time: read as the agenda's local time
            value = value.replace(tzinfo=zone)
        return value, False
    if isinstance(value, dt.date):
        # An exclusive DTEND of a DATE is the day after the last day.
        day = value - dt.timedelta(days=1) if end else value
        return dt.datetime.combine(day, dt.time.min, tzinfo=zone), True
    raise CalendarError(_("A date in the file could not be read."))


def read_calendar(data: bytes) -> ParsedCalendar:
    try:
        calendars = icalendar.Calendar.from_ical(data, multiple=True)
    except (ValueError, IndexError, KeyError, UnicodeDecodeError) as exc:
        raise CalendarError(
            _("This file is not a valid iCalendar (.ics) file: %(reason)s") % {"reason": exc}
        ) from exc
    if not calendars or any(cal.name != "VCALENDAR" for cal in calendars):
        raise CalendarError(_("This file is not a valid iCalendar (.ics) file."))
    result = ParsedCalendar(events=[])
    for cal in calendars:
        for component in cal.subcomponents:
            if component.name not in ("VEVENT", "VTIMEZONE"):
                result.dropped[component.name] += 1
                continue
            if component.name == "VTIMEZONE":
                continue
            result.events.append(_read_event(component))
            if len(result.events) > MAX_EVENTS:
                raise CalendarError(
                    _("This file holds more than %(count)s events.") % {"count": MAX_EVENTS}
                )
    if not result.events:
        raise CalendarError(_("This calendar holds no event."))
    for event in result.events:
        result.dropped.update(set(event.dropped))
    return result


def read_events(data: bytes) -> list[ParsedEvent]:
    return read_calendar(data).events


def _read_event(item) -> ParsedEvent:
    uid = str(item.get("uid", "")).strip()
    title = str(item.get("summary", "")).strip()
    if not uid or not title or item.get("dtstart") is None:
        raise CalendarError(_("Every event needs a UID, a title (SUMMARY) and a start (DTSTART)."))
    try:
        start, all_day = _as_datetime(item.decoded("dtstart"))
        end = None
        if item.get("dtend") is not None:
            end, _whole = _as_datetime(item.decoded("dtend"), end=all_day)
        elif item.get("duration") is not None:
            end = start + item.decoded("duration")
    except (ValueError, TypeError) as exc:
        raise CalendarError(
            _("The dates of “%(title)s” could not be read.") % {"title": title}
        ) from exc
    if all_day and end is not None and end < start:
        end = start
    event = ParsedEvent(
        uid=uid[:255],
        title=title,
        starts_at=start,
        ends_at=end,
        all_day=all_day,
        description=str(item.get("description", "")),
        place=str(item.get("location", "")),
        url=str(item.get("url", "")),
        cancelled=str(item.get("status", "")).upper() == "CANCELLED",
    )
    event.dropped = [
        name
        for name in dict.fromkeys(item.keys())
        if name not in KEPT and name not in BOOKKEEPING and not name.startswith("X-")
    ] + [part.name for part in item.subcomponents]
    try:
        _read_recurrence(item, event)
    except (ValueError, TypeError, OverflowError):
        # A rule dateutil cannot expand: the event stays one date, and the actor is told.
        event.rrule, event.rdates, event.exdates = "", [], []
        event.dropped.append("RRULE")
    return event


def _read_recurrence(item, event: ParsedEvent) -> None:
    if item.get("recurrence-id") is not None:
        prop = item["recurrence-id"]
        if str(prop.params.get("RANGE", "")).upper() == "THISANDFUTURE":
            event.dropped.append("RECURRENCE-ID;RANGE=THISANDFUTURE")  # kept for this date only
        event.recurrence_id = _on_series_time(prop.dt, event)
    rules = item.get("rrule")
    if rules is not None:
        if isinstance(rules, list):
            if len(rules) > 1:
                event.dropped.append("RRULE")  # RFC 5545 says SHOULD NOT occur more than once
            rules = rules[0]
        event.rrule = _normalised_rule(rules, event)
        check_rule(event.rrule, start=event.starts_at, all_day=event.all_day)
    event.rdates = _values(item, "rdate", event)
    event.exdates = _values(item, "exdate", event)


def _on_series_time(value, event: ParsedEvent) -> dt.datetime:
    """A date of the series as an aware datetime; a DATE on a timed series takes its time of day."""
    zone = agenda_zone()
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else value.replace(tzinfo=zone)
    local = event.starts_at.astimezone(zone)
    return dt.datetime.combine(value, local.time() if not event.all_day else dt.time.min, zone)


def _values(item, name: str, event: ParsedEvent) -> list[str]:
    found = item.get(name)
    if found is None:
        return []
    values = []
    for group in found if isinstance(found, list) else [found]:
        for entry in group.dts:
            if isinstance(entry.dt, tuple):  # a PERIOD: our occurrences all last as long
                event.dropped.append(f"{name.upper()};VALUE=PERIOD")
                continue
            moment = _on_series_time(entry.dt, event)
            values.append(to_value(moment, all_day=event.all_day))
    return list(dict.fromkeys(values))


def _normalised_rule(rule, event: ParsedEvent) -> str:
    """The RRULE as our feed writes it: UNTIL in UTC for a timed event, a DATE for an all-day one.

    RFC 5545 asks for that already; files in the wild carry a local UNTIL, which dateutil refuses
    next to a DTSTART with a time zone.
    """
    rule = icalendar.vRecur(rule)
    until = rule.get("UNTIL")
    if until:
        value = until[0] if isinstance(until, list) else until
        zone = agenda_zone()
        if event.all_day:
            if isinstance(value, dt.datetime):
                value = value.astimezone(zone).date() if timezone.is_aware(value) else value.date()
        else:
            if not isinstance(value, dt.datetime):  # a DATE: the whole of that day
                value = dt.datetime.combine(value, dt.time(23, 59, 59), zone)
            elif timezone.is_naive(value):
                value = value.replace(tzinfo=zone)
            value = value.astimezone(dt.UTC)
        rule["UNTIL"] = [value]
    return rule.to_ical().decode("ascii")
