"""`{% owner_files interview %}`: the upload form and the live list of an owner's files."""

from django import template

from ..selectors import owner_files_context

register = template.Library()


@register.inclusion_tag("medias/_owner_panel.html", takes_context=True)
def owner_files(context, owner):
    return owner_files_context(context["request"], owner)
