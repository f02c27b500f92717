"""`{% facet_options facet %}`: a facet's checkboxes, written in Python rather than by the loop.

The PTCE facet lists every published PTCE (841 at national scale): as template loops, the
checkboxes took most of a cold directory's render (cProfile: 43,000 template nodes a page).
The markup is the loop's, value for value (`html.escape` is what Django's `escape` calls).
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

from observatoire.vocabulary import term

register = template.Library()


@register.simple_tag
def facet_options(facet):
    name = escape(facet.name)
    items = []
    for value in facet.values:
        key = f"f-{name}-{escape(str(value.value))}"
        checked = " checked" if value.selected else ""
        items.append(
            f'      <li>\n        <input type="checkbox" id="{key}" name="{name}" '
            f'value="{escape(str(value.value))}"{checked}>\n'
            f'        <label for="{key}">{escape(capfirst(term(str(value.label))))} '
            f'<span class="count">{value.count}</span></label>\n      </li>\n'
        )
    return mark_safe("".join(items))  # noqa: S308 - every value above is escaped
