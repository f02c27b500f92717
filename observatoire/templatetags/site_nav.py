"""`{% workspaces as work %}`: the role menus of the site's header (observatoire/workspaces.py)."""

from django import template

from observatoire.workspaces import NONE, of_request

register = template.Library()


@register.simple_tag(takes_context=True)
def workspaces(context):
    request = context.get("request")
    if request is None:  # the 500 page renders without a request (and must not need the database)
        return NONE
    return of_request(request)
