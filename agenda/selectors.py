"""Reads of the agenda: pages, feeds, and the events shown on profiles."""

from .models import Event

PROFILE_LIMIT = 5


def published_events():
    return (
        Event.objects.published()
        .select_related("territory", "organiser")
        .prefetch_related("themes")
        .order_by("starts_at", "pk")
    )


def events_for(obj, limit=PROFILE_LIMIT) -> list[Event]:
    """Upcoming published events of an initiative, a PTCE or a territory (and the places below)."""
    from initiatives.models import Initiative, Pole
    from territoires.models import Territory

    # One query: the profile block shows no themes, so none are prefetched.
    events = Event.objects.published().select_related("territory").upcoming()
    if isinstance(obj, Initiative):
        events = events.filter(initiatives=obj)
    elif isinstance(obj, Pole):
        events = events.filter(poles=obj)
    elif isinstance(obj, Territory):
        events = events.in_territory(obj)
    else:
        return []
    return list(events.distinct()[:limit])
