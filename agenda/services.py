"""Operations on the agenda: propose, publish or refuse a proposal, import an .ics file."""

from dataclasses import dataclass, field

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from observatoire.publishing import State

from . import ics
from .models import Event


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


@transaction.atomic
def import_ics(data: bytes, *, by=None, organiser=None, territory=None) -> ImportResult:
    """Turn an actor's public .ics file into proposals; an event whose UID is known is skipped."""
    try:
        parsed = ics.read_events(data)
    except ics.CalendarError as exc:
        raise AgendaError(str(exc)) from exc
    result = ImportResult()
    known = set(Event.objects.filter(uid__in=[p.uid for p in parsed]).values_list("uid", flat=True))
    for item in parsed:
        if item.uid in known:
            result.duplicates.append(item.title)
            continue
        if item.ends_at and item.ends_at < item.starts_at:
            result.skipped.append(item.title)
            continue
        known.add(item.uid)
        event = Event(
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
        result.created.append(propose(event, by=by))
    return result
