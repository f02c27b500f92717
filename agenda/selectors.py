"""Reads of the agenda: pages, feeds, and the events shown on profiles.

The pages show occurrences: a single event is one, a series gives one per date in the window
(agenda.recurrence), without its excluded dates and without the dates a changed occurrence
replaces (that one shows instead, as its own event).
"""

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from observatoire.compiled import Compiled
from territoires.models import Level, Territory

from .models import Event, repeating
from .recurrence import Occurrence, occurrences_of

PROFILE_LIMIT = 5
HORIZON = dt.timedelta(days=366)  # how far ahead the list shows the dates of a series


def published_events():
    return (
        Event.objects.published()
        .select_related("territory", "organiser", "recurrence_of")
        .prefetch_related("themes")
        .order_by("starts_at", "pk")
    )


def _replaced_dates(events) -> dict[int, set]:
    """The original dates of the series' changed occurrences: one query, only for series."""
    series = [event.pk for event in events if event.repeats]
    replaced = {}
    if series:
        overrides = Event.objects.filter(recurrence_of__in=series).values_list(
            "recurrence_of_id", "recurrence_id"
        )
        for master, date in overrides:
            replaced.setdefault(master, set()).add(date)
    return replaced


def occurrences(events, after: dt.datetime, before: dt.datetime) -> list[Occurrence]:
    """Every date of these events that overlaps [after, before), in order."""
    events = list(events)
    replaced = _replaced_dates(events)
    found = []
    for event in events:
        if event.repeats:
            found += occurrences_of(event, after, before, skip=replaced.get(event.pk, ()))
            continue
        end = event.ends_at or event.starts_at
        if event.starts_at < before and (end >= after):
            found.append(Occurrence(event, event.starts_at, event.ends_at))
    found.sort(key=lambda item: (item.starts_at, item.event.pk))
    return found


def start_of_today() -> dt.datetime:
    today = timezone.localdate()
    return dt.datetime.combine(today, dt.time.min, tzinfo=timezone.get_current_timezone())


def upcoming_occurrences(queryset) -> list[Occurrence]:
    """The list page: what is not over yet, a series' dates up to a year ahead."""
    start = start_of_today()
    return occurrences(queryset.upcoming(), start, start + HORIZON)


def month_occurrences(queryset, first: dt.datetime, after: dt.datetime) -> list[Occurrence]:
    """The month view: what overlaps the month (an event begun up to 60 days before it too)."""
    events = queryset.filter(starts_at__lt=after).filter(
        repeating() | Q(starts_at__gte=first - dt.timedelta(days=60))
    )
    return occurrences(events, first, after)


def next_dates(event, user, count: int = 10) -> list[Occurrence]:
    """The coming dates of a series, its changed occurrences among them, for its page."""
    start = start_of_today()
    changed = Event.objects.visible_to(user).filter(recurrence_of=event)
    return occurrences([event, *changed], start, start + HORIZON)[:count]


def _upcoming_in(start):
    return Event.objects.published().select_related("territory").upcoming(start)


# A territory's upcoming events: below its path, or for an EPCI on it and its member communes (as
# in_territory), compiled once each.
_BELOW = Compiled(
    lambda path, start: _upcoming_in(start).filter(territory__path__startswith=path),
    str,
    dt.datetime,
)
_IN_EPCI = Compiled(
    lambda pk, start: _upcoming_in(start).filter(Q(territory_id=pk) | Q(territory__epci_id=pk)),
    int,
    dt.datetime,
)


def events_for(obj, limit=PROFILE_LIMIT) -> list[Occurrence]:
    """Upcoming published events of an initiative, a PTCE or a territory (and the places below).

    A series shows at its next date.
    """
    from initiatives.models import Initiative, Pole

    # One query: the profile block shows no themes, so none are prefetched.
    if isinstance(obj, Initiative):
        events = _upcoming_in(None).filter(initiatives=obj).distinct()  # the many-to-many join
    elif isinstance(obj, Pole):
        events = _upcoming_in(None).filter(poles=obj).distinct()
    elif isinstance(obj, Territory):
        # A join on the event's own territory (one row each): no DISTINCT, whose sort of every
        # column of the events and their territories the territory pages paid for nothing.
        # Compiled once (observatoire/compiled.py): most territories have no event, and compiling
        # the statement was most of what the panel cost them.
        start = start_of_today()
        if obj.level == Level.EPCI:
            events = _IN_EPCI.rows(obj.pk, start)
        else:
            events = _BELOW.rows(obj.path, start)
    else:
        return []
    start = start_of_today()
    coming = occurrences(events, start, start + HORIZON)
    # A series shows once, at its next date.
    seen, shown = set(), []
    for item in coming:
        if item.event.pk not in seen:
            seen.add(item.event.pk)
            shown.append(item)
    return shown[:limit]
