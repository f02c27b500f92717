"""iCalendar in and out: the agenda's feed, and the reading of an actor's .ics file."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

PARIS = ZoneInfo("Europe/Paris")
MAX_EVENTS = 2000  # more than any actor's calendar; a bigger file is refused, not half-read


class CalendarError(Exception):
    """The file is not a calendar we can read; the message says why, for the uploader."""


def _local(value: datetime) -> datetime:
    return timezone.localtime(value, PARIS)


def build_calendar(events, *, name: str, url: str = "") -> bytes:
    """A VCALENDAR with a VTIMEZONE for Europe/Paris; all-day events as DATE values."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Observatoire des initiatives cooperatives//agenda//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Paris")
    for event in events:
        item = icalendar.Event()
        item.add("uid", event.uid)
        item.add("summary", event.title)
        item.add("dtstamp", event.updated_at or timezone.now())
        if event.all_day:
            first = _local(event.starts_at).date()
            last = _local(event.ends_at).date() if event.ends_at else first
            item.add("dtstart", first)
            item.add("dtend", last + timedelta(days=1))  # DTEND of a DATE is exclusive
        else:
            item.add("dtstart", _local(event.starts_at))
            if event.ends_at:
                item.add("dtend", _local(event.ends_at))
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
        cal.add_component(item)
    cal.add_missing_timezones()
    return cal.to_ical()


@dataclass
class ParsedEvent:
    uid: str
    title: str
    starts_at: datetime
    ends_at: datetime | None
    all_day: bool
    description: str = ""
    place: str = ""
    url: str = ""


def _as_datetime(value, *, end=False) -> tuple[datetime, bool]:
    """A DATE or DATE-TIME as an aware datetime, and whether it was a whole day."""
    tz = ZoneInfo(settings.TIME_ZONE)
    if isinstance(value, datetime):
        if timezone.is_naive(value):  # floating time: read as the agenda's local time
            value = value.replace(tzinfo=tz)
        return value, False
    if isinstance(value, date):
        # An exclusive DTEND of a DATE is the day after the last day.
        day = value - timedelta(days=1) if end else value
        return datetime.combine(day, time.min, tzinfo=tz), True
    raise CalendarError(_("A date in the file could not be read."))


def read_events(data: bytes) -> list[ParsedEvent]:
    try:
        calendars = icalendar.Calendar.from_ical(data, multiple=True)
    except (ValueError, IndexError, KeyError, UnicodeDecodeError) as exc:
        raise CalendarError(
            _("This file is not a valid iCalendar (.ics) file: %(reason)s") % {"reason": exc}
        ) from exc
    if not calendars or any(cal.name != "VCALENDAR" for cal in calendars):
        raise CalendarError(_("This file is not a valid iCalendar (.ics) file."))
    parsed = []
    for cal in calendars:
        for item in cal.walk("VEVENT"):
            parsed.append(_read_event(item))
            if len(parsed) > MAX_EVENTS:
                raise CalendarError(
                    _("This file holds more than %(count)s events.") % {"count": MAX_EVENTS}
                )
    if not parsed:
        raise CalendarError(_("This calendar holds no event."))
    return parsed


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
    return ParsedEvent(
        uid=uid[:255],
        title=title,
        starts_at=start,
        ends_at=end,
        all_day=all_day,
        description=str(item.get("description", "")),
        place=str(item.get("location", "")),
        url=str(item.get("url", "")),
    )
