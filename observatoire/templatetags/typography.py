"""`{{ sentence|elide }}`: "de" elided before a vowel in a composed title (see typography.py)."""

from django import template

from observatoire.typography import elide as _elide

register = template.Library()


@register.filter(is_safe=True)
def elide(text):
    return _elide(text)
