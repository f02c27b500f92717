"""`{% panels "side" %}`: render the panels other apps contributed to this slot of the page.

The view put `observatoire.panels.collect(...)` in the context as `panels`; each panel's template
renders with the page's context, its data under its name (a spread panel: its names) and the
page's object as `subject`.
"""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, slot):
    collected = context.get("panels")
    if collected is None:
        return ""
    engine = context.template.engine
    parts = []
    for panel, value in collected.in_slot(slot):
        with context.push(collected.names_of(panel, value)):
            parts.append(engine.get_template(panel.templates[slot]).render(context))
    return mark_safe("".join(parts))
