"""`{% upcoming_events obj %}`: the agenda block of an initiative's or a territory's profile."""

from django import template

from ..selectors import events_for

register = template.Library()


@register.inclusion_tag("agenda/_upcoming.html")
def upcoming_events(obj):
    return {"events": events_for(obj), "subject": obj}
