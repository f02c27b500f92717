"""Operations on the agenda: propose, publish or refuse a proposal, import an .ics file."""

from dataclasses import dataclass, field

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from observatoire.publishing import State

from . import ics_reading, recurrence
from .models import Event, new_uid


class AgendaError(Exception):
    """Raised with a translated sentence for the person who asked."""


def check_event(event: Event) -> None:
    if event.ends_at and event.ends_at < event.starts_at:
        raise AgendaError(_("An event cannot end before it starts."))
    if not event.title.strip():
        raise AgendaError(_("An event needs a title."))


@transaction.atomic
def propose(event: Event, *, by=None, themes=(), initiatives=(), poles=()) -> Event:
    """Save an actor's proposal: a draft until staff publish it."""
    check_event(event)
    event.state = State.DRAFT
    event.proposed_by = by if by is not None and by.is_authenticated else None
    event.save()
    if themes:
        event.themes.set(list(themes))
    if initiatives:
        event.initiatives.set(initiatives)
    if poles:
        event.poles.set(poles)
    return event


def _tell_proposer(event: Event, subject: str, *, site_url: str = "") -> None:
    """Mail the person who proposed the event what became of it, once the decision commits."""
    user = event.proposed_by
    if user is None or not user.email:
        return
    body = render_to_string(
        "agenda/decision_email.txt",
        {"event": event, "user": user, "link": site_url.rstrip("/") + event.get_absolute_url()},
    )
    transaction.on_commit(lambda: send_mail(subject, body, None, [user.email]))


def _follow_series(event: Event) -> None:
    """The changed occurrences of a series are published and withdrawn with it."""
    event.overrides.exclude(state=event.state).update(
        state=event.state, published_at=event.published_at, updated_at=timezone.now()
    )


@transaction.atomic
def update(event: Event, *, themes=(), initiatives=(), poles=()) -> Event:
    """Staff correct an event, a proposal or a published one: the same checks as a proposal."""
    check_event(event)
    event.save()
    event.themes.set(list(themes))
    event.initiatives.set(initiatives)
    event.poles.set(poles)
    return event


@transaction.atomic
def publish(event: Event, *, by=None, site_url: str = "") -> Event:
    """Publish an event; the actor who proposed it is told."""
    check_event(event)
    if event.state != State.PUBLISHED:
        proposal = event.state == State.DRAFT
        event.state = State.PUBLISHED
        event.published_at = event.published_at or timezone.now()
        event.refusal_reason = ""
        event.save(update_fields=["state", "published_at", "refusal_reason", "updated_at"])
        _follow_series(event)
        if proposal:
            _tell_proposer(
                event,
                _("Your event “%(title)s” is published") % {"title": event.title},
                site_url=site_url,
            )
    return event


@transaction.atomic
def refuse(event: Event, *, by=None, reason: str = "", site_url: str = "") -> Event:
    """Refused proposals and withdrawn events leave the agenda and the feeds.

    A refused proposal keeps the reason, and the actor who proposed it is told, with it.
    """
    if event.state != State.WITHDRAWN:
        proposal = event.state == State.DRAFT
        event.state = State.WITHDRAWN
        event.refusal_reason = reason.strip()
        event.save(update_fields=["state", "refusal_reason", "updated_at"])
        _follow_series(event)
        if proposal:
            _tell_proposer(
                event,
                _("Your event “%(title)s” is not published") % {"title": event.title},
                site_url=site_url,
            )
    return event


@dataclass
class ImportResult:
    created: list[Event] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    series: int = 0  # created events that repeat (RRULE or RDATE)
    overrides: int = 0  # changed occurrences kept, linked to their series
    excluded: int = 0  # dates taken out of a series (EXDATE, or a cancelled occurrence)
    orphans: list[str] = field(default_factory=list)  # changed occurrences of an absent series
    not_kept: dict[str, int] = field(default_factory=dict)  # iCalendar name -> events

    def summary(self) -> list[tuple[str, str]]:
        """What the import kept and what it could not, as ("success"|"warning", sentence)."""
        created, known = len(self.created), len(self.duplicates)
        kept = [
            ngettext("%(count)d event proposed.", "%(count)d events proposed.", created)
            % {"count": created},
            ngettext(
                "%(count)d already known (same UID), skipped.",
                "%(count)d already known (same UID), skipped.",
                known,
            )
            % {"count": known},
        ]
        if self.series:
            kept.append(
                ngettext(
                    "%(count)d of them repeats (its rule and dates are kept).",
                    "%(count)d of them repeat (their rules and dates are kept).",
                    self.series,
                )
                % {"count": self.series}
            )
        if self.overrides:
            kept.append(
                ngettext(
                    "%(count)d changed occurrence kept with its series.",
                    "%(count)d changed occurrences kept with their series.",
                    self.overrides,
                )
                % {"count": self.overrides}
            )
        if self.excluded:
            kept.append(
                ngettext(
                    "%(count)d date excluded from a series.",
                    "%(count)d dates excluded from their series.",
                    self.excluded,
                )
                % {"count": self.excluded}
            )
        found = [("success", " ".join(kept))]
        if self.skipped:
            found.append(
                ("warning", _("Not imported (they end before they start): %(titles)s")
                 % {"titles": ", ".join(self.skipped)})
            )  # fmt: skip
        if self.orphans:
            found.append(
                ("warning", _("Not imported, their series is not in the file: %(titles)s")
                 % {"titles": ", ".join(self.orphans)})
            )  # fmt: skip
        if self.not_kept:
            parts = ", ".join(f"{name} ({count})" for name, count in sorted(self.not_kept.items()))
            found.append(
                ("warning", _("Not kept, the agenda has no place for them (iCalendar name, "
                 "number of events): %(parts)s") % {"parts": parts})
            )  # fmt: skip
        return found


def _new_event(item, *, organiser, territory) -> Event:
    return Event(
        uid=item.uid,
        title=item.title[:200],
        description=item.description,
        starts_at=item.starts_at,
        ends_at=item.ends_at,
        all_day=item.all_day,
        place=item.place[:300],
        url=item.url if item.url.startswith(("http://", "https://")) else "",
        organiser=organiser,
        territory=territory,
    )


@transaction.atomic
def import_ics(data: bytes, *, by=None, organiser=None, territory=None) -> ImportResult:
    """Turn an actor's public .ics file into proposals; an event whose UID is known is skipped.

    A series keeps its rule and its added and excluded dates; a changed occurrence (RECURRENCE-ID)
    becomes an event linked to its series, a cancelled one a date excluded from it. The result
    says what was kept and what could not be.
    """
    try:
        calendar = ics_reading.read_calendar(data)
    except ics_reading.CalendarError as exc:
        raise AgendaError(str(exc)) from exc
    parsed = calendar.events
    result = ImportResult(not_kept=dict(calendar.dropped))
    known = set(Event.objects.filter(uid__in=[p.uid for p in parsed]).values_list("uid", flat=True))
    series = {}
    for item in parsed:
        if item.recurrence_id is not None:
            continue
        if item.uid in known:
            result.duplicates.append(item.title)
            continue
        if item.ends_at and item.ends_at < item.starts_at:
            result.skipped.append(item.title)
            continue
        known.add(item.uid)
        event = _new_event(item, organiser=organiser, territory=territory)
        event.rrule, event.rdates, event.exdates = item.rrule, item.rdates, item.exdates
        series[item.uid] = propose(event, by=by)
        result.created.append(event)
        result.series += event.repeats
        result.excluded += len(event.exdates)
    for item in parsed:
        if item.recurrence_id is not None:
            _import_override(item, series, known, result, by=by)
    return result


def _import_override(item, series, known, result, *, by) -> None:
    master = series.get(item.uid)
    if master is None:
        if item.uid not in known:
            result.orphans.append(item.title)  # its series is neither in the file nor here
        return
    if item.cancelled:
        value = recurrence.to_value(item.recurrence_id, all_day=master.all_day)
        if value not in master.exdates:
            master.exdates.append(value)
            master.save(update_fields=["exdates", "updated_at"])
            result.excluded += 1
        return
    if (item.ends_at and item.ends_at < item.starts_at) or master.overrides.filter(
        recurrence_id=item.recurrence_id
    ).exists():
        result.skipped.append(item.title)
        return
    override = _new_event(item, organiser=master.organiser, territory=master.territory)
    override.uid = new_uid()  # the series' UID is written back with its RECURRENCE-ID
    override.kind = master.kind
    override.recurrence_of, override.recurrence_id = master, item.recurrence_id
    propose(override, by=by)
    result.overrides += 1
