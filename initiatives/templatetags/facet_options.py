"""`{% facet_options facet %}`: a facet's checkboxes, written in Python rather than by the loop.

The PTCE facet lists every published PTCE (841 at national scale): as template loops, the
checkboxes took most of a cold directory's render (cProfile: 43,000 template nodes a page).
The markup is the loop's, value for value (`html.escape` is what Django's `escape` calls,
`label[:1].upper()` what `capfirst` does).
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from observatoire.vocabulary import STORED_LANGUAGE, term

register = template.Library()


def _same(label: str) -> str:
    return label


@register.simple_tag
def facet_options(facet):
    name = escape(facet.name)
    # `term` leaves French (the stored language) as it is: asked once, not once per PTCE.
    said = _same if (get_language() or STORED_LANGUAGE).startswith(STORED_LANGUAGE) else term
    items = []
    for value in facet.values:
        label = said(str(value.label))
        key = f"f-{name}-{escape(str(value.value))}"
        checked = " checked" if value.selected else ""
        items.append(
            f'      <li>\n        <input type="checkbox" id="{key}" name="{name}" '
            f'value="{escape(str(value.value))}"{checked}>\n'
            f'        <label for="{key}">{escape(label[:1].upper() + label[1:])} '
            f'<span class="count">{value.count}</span></label>\n      </li>\n'
        )
    return mark_safe("".join(items))  # noqa: S308 - every value above is escaped
