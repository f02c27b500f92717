"""Repeating events: an event's RRULE, RDATE and EXDATE expanded into occurrences (dateutil).

A series is stored as iCalendar says it: `rrule` holds the RRULE value as written in our feed
(for a timed event UNTIL is in UTC, for an all-day event it is a DATE), `rdates` and `exdates`
hold ISO 8601 values (`2027-07-07T08:00:00+00:00`, or `2027-07-07` for all-day events). A moved or
changed occurrence is its own Event, linked to the series by `recurrence_of` with the original
start in `recurrence_id`: the series skips that start and the override shows instead.

Occurrences are computed in the agenda's time zone, so a weekly meeting at 10:00 stays at 10:00
local time across the change to summer time, as calendar programs show it.
"""

import datetime as dt
import logging
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from dateutil.rrule import rruleset, rrulestr
from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
MAX_OCCURRENCES = 1000  # per series and per window: a daily rule over decades is cut, not looped


def agenda_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def to_value(moment: dt.datetime, *, all_day: bool) -> str:
    """The stored form of an RDATE/EXDATE: a date for all-day events, else an instant in UTC."""
    if all_day:
        return moment.astimezone(agenda_zone()).date().isoformat()
    return moment.astimezone(dt.UTC).isoformat()


def from_value(value: str, *, start: dt.datetime) -> dt.datetime:
    """A stored RDATE/EXDATE as an aware datetime (a date takes the series' local time of day)."""
    zone = agenda_zone()
    if "T" in value:
        moment = dt.datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=zone)
    local = start.astimezone(zone)
    return dt.datetime.combine(dt.date.fromisoformat(value), local.time(), tzinfo=zone)


def _rule_set(event) -> rruleset:
    """The event's recurrence set; ValueError when the rule cannot be read.

    Iterated lazily: the pages stop at the end of their window.
    """
    zone = agenda_zone()
    start = event.starts_at.astimezone(zone)
    rules = rruleset()
    if event.rrule:
        check_frequency(event.rrule)
        if event.all_day:
            # A DATE series: dateutil compares UNTIL (a date) with naive local midnights.
            naive = rrulestr(f"RRULE:{event.rrule}", dtstart=start.replace(tzinfo=None))
            rules.rrule(_LocalRule(naive, zone))
        else:
            rules.rrule(rrulestr(f"RRULE:{event.rrule}", dtstart=start))
    else:
        rules.rdate(start)  # RDATEs alone: the DTSTART is the first occurrence (RFC 5545 3.8.5.2)
    for value in event.rdates or []:
        rules.rdate(from_value(value, start=start))
    for value in event.exdates or []:
        rules.exdate(from_value(value, start=start))
    return rules


class _LocalRule:
    """A naive rule (all-day series) that yields aware local midnights, for an rruleset."""

    def __init__(self, rule, zone):
        self.rule, self.zone = rule, zone

    def _iter(self):
        for moment in self.rule:
            yield moment.replace(tzinfo=self.zone)

    def __iter__(self):
        return self._iter()


def check_frequency(rrule: str) -> None:
    """An event repeats at most daily: an hourly rule is not an agenda's, and costs to expand."""
    match = re.search(r"(?:^|;)FREQ=([A-Z]+)", rrule.upper())
    if match is None or match.group(1) not in FREQUENCIES:
        raise ValueError(_("an event repeats daily, weekly, monthly or yearly"))


def check_rule(rrule: str, *, start: dt.datetime, all_day: bool) -> None:
    """Raises ValueError when dateutil cannot read the rule against this start, or no date can
    ever match it (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30).

    dateutil looks for a match up to the year 9999 whatever UNTIL says, so such a rule cost
    seconds at every page. The Gregorian calendar repeats every 400 years: the rule is tried
    from the same date in the last centuries before 9999, where the search has to stop.
    """
    check_frequency(rrule)
    zone = agenda_zone()
    local = start.astimezone(zone)
    rrulestr(f"RRULE:{rrule}", dtstart=local.replace(tzinfo=None) if all_day else local)
    endless = ";".join(
        part for part in rrule.split(";") if part.split("=")[0].upper() not in ("COUNT", "UNTIL")
    )
    late = local.replace(tzinfo=None, year=9200 + local.year % 400)
    if rrulestr(f"RRULE:{endless}", dtstart=late).after(late, inc=True) is None:
        raise ValueError(_("no date matches this rule"))


@dataclass
class Occurrence:
    """One date of an event: its own start and end, everything else read from the event."""

    event: object
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    recurrence_id: dt.datetime | None = None

    def __getattr__(self, name):
        # Only reached for what the occurrence does not hold itself: title, place, kind…
        if name.startswith("__") or name == "event":
            raise AttributeError(name)  # copy and pickle look these up before `event` is set
        return getattr(self.event, name)

    @property
    def pk(self):
        return self.event.pk

    def get_absolute_url(self):
        return self.event.get_absolute_url()


def starts_between(event, after: dt.datetime, before: dt.datetime, *, skip=()) -> list[dt.datetime]:
    """Starts of the series' occurrences that overlap [after, before), without the `skip` ones.

    A rule that cannot be read (staff typed it in the admin, say) leaves the event as one date.
    """
    duration = (event.ends_at - event.starts_at) if event.ends_at else dt.timedelta(0)
    try:
        rules = _rule_set(event)
        starts = []
        for start in rules.xafter(after - duration, inc=True):
            if start >= before or len(starts) >= MAX_OCCURRENCES:
                break
            if start + duration < after or (duration and start + duration == after):
                continue
            starts.append(start)
    except (ValueError, TypeError, OverflowError) as exc:
        logger.warning("Unreadable recurrence of event %s: %s", event.pk, exc)
        return [event.starts_at] if after <= event.starts_at < before else []
    skipped = set(skip)
    return [start for start in starts if start not in skipped]


def occurrences_of(event, after, before, *, skip=()) -> list[Occurrence]:
    duration = (event.ends_at - event.starts_at) if event.ends_at else None
    return [
        Occurrence(event, start, start + duration if duration is not None else None, start)
        for start in starts_between(event, after, before, skip=skip)
    ]
