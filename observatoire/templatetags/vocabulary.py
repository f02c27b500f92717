"""`{{ theme.name|term }}`: a word of the shared vocabulary in the reader's language."""

from django import template

from observatoire.vocabulary import term as _term

register = template.Library()


@register.filter
def term(stored):
    return _term(stored)
