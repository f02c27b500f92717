"""Demo agenda: events of the region's actors in the coming weeks, a weekly series, a proposal.

Dates are relative to the day the demo is loaded, so the agenda always has something ahead of
it; a later `load_demo` moves them again. Idempotent: events are found by their UID.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from initiatives.models import Organisation
from territoires.models import Level, Territory

from . import recurrence, services
from .models import Event, Kind

# (uid, days from today, hour, hours long, kind, title, place, commune code, organiser slug,
#  themes, published)
EVENTS = [
    ("demo-cafe-cooperation", 6, 18, 2, Kind.MEETING, "Café de la coopération",
     "Maison des échanges", "62178", "cre-sol", ["coopération"], True),
    ("demo-atelier-diagnostic", 13, 9, 3, Kind.WORKSHOP,
     "Atelier : poser un diagnostic partagé avec les habitants", "Centre social Marcel-Pagnol",
     "62178", "cre-sol", ["diagnostic partagé"], True),
    ("demo-webinaire-ptce", 20, 11, 1, Kind.WEBINAR,
     "Webinaire : monter un PTCE, de l'AMI à la consolidation", "", None, "cre-sol",
     ["PTCE"], True),
    ("demo-formation-mediation", 34, 9, 7, Kind.TRAINING,
     "Formation : la médiation entre acteurs de mondes différents", "Maison de l'ESS",
     "59350", "cre-sol", ["médiation", "coopération"], True),
    ("demo-rencontre-achats", 48, 14, 3, Kind.GATHERING,
     "Rencontre nationale des achats mutualisés du médico-social", "Espace Tête d'Or",
     "69123", "adere-laura", ["achats mutualisés"], True),
    ("demo-proposition-repair", 27, 14, 4, Kind.WORKSHOP, "Repair café de l'éco-quartier",
     "Maison des échanges", "62178", "cre-sol", ["réemploi"], False),
]  # fmt: skip


def _commune(code):
    return Territory.objects.filter(level=Level.COMMUNE, code=code).first() if code else None


def load_demo_agenda() -> list[Event]:
    """Create or move the demo events; the unpublished one is a partner's proposal."""
    today = timezone.localdate()
    partner = get_user_model().objects.filter(username="partner").first()
    events = []
    for row in EVENTS:
        uid, days, hour, hours, kind, title, place, code, organiser, themes, published = row
        starts = timezone.make_aware(
            dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour))
        )
        event, created = Event.objects.update_or_create(
            uid=f"{uid}@observatoire.demo",
            defaults={
                "title": title,
                "starts_at": starts,
                "ends_at": starts + dt.timedelta(hours=hours),
                "kind": kind,
                "place": place,
                "online": not place,
                "territory": _commune(code),
                "organiser": Organisation.objects.filter(slug=organiser).first(),
                "description": "Événement de démonstration de l'agenda commun.",
            },
        )
        if created:
            event.themes.add(*themes)
            if published:
                services.publish(event)
            else:
                services.propose(event, by=partner)
        events.append(event)
    events.append(_weekly_drop_in(today))
    return events


def _weekly_drop_in(today) -> Event:
    """A series: ten Tuesday drop-ins from next week, the third one off (an EXDATE)."""
    tuesday = today + dt.timedelta(days=7 + (1 - today.weekday()) % 7)
    starts = timezone.make_aware(dt.datetime.combine(tuesday, dt.time(14)))
    off = recurrence.to_value(starts + dt.timedelta(weeks=2), all_day=False)
    event, created = Event.objects.update_or_create(
        uid="demo-permanence-ess@observatoire.demo",
        defaults={
            "title": "Permanence de l'ESS : conseils aux porteurs de projets coopératifs",
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(hours=3),
            "kind": Kind.MEETING,
            "place": "Maison des échanges",
            "territory": _commune("62178"),
            "organiser": Organisation.objects.filter(slug="cre-sol").first(),
            "description": "Chaque mardi après-midi, sans rendez-vous (sauf la troisième semaine).",
            "rrule": "FREQ=WEEKLY;COUNT=10",
            "exdates": [off],
        },
    )
    if created:
        event.themes.add("coopération")
        services.publish(event)
    return event
