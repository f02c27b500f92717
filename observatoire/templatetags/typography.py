"""French typography in templates: `{{ sentence|elide }}` elides "de" before a vowel in a composed
title; `{% colon %}` and `{% semicolon %}` are the punctuation between a label and its value and
between the items of a list, with the non-breaking space French puts before them."""

from django import template
from django.utils.translation import pgettext

from observatoire.typography import elide as _elide

register = template.Library()


@register.filter(is_safe=True)
def elide(text):
    return _elide(text)


@register.simple_tag
def colon():
    """After a label, before its value: "State: open", "État : ouverte"."""
    return pgettext("typography: after a label, before its value", ":")


@register.simple_tag
def semicolon():
    """Between the items of a list: "a; b", "a ; b"."""
    return pgettext("typography: between the items of a list", ";")
