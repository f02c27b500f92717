"""Whether the site's navigation shows the researchers' workspace to the person signed in."""

from django import template
from django.contrib.auth import get_user_model
from django.db.models import Q

from observatoire.roles import RESEARCHER

register = template.Library()


def works_in_the_field(user) -> bool:
    """Staff, and researchers: in the researcher group or a member of some season."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return (
        get_user_model()
        .objects.filter(pk=user.pk)
        .filter(Q(groups__name=RESEARCHER) | Q(seasons__isnull=False))
        .exists()
    )


@register.simple_tag(takes_context=True)
def fieldwork_in_nav(context) -> bool:
    """Once per request (memoised on it): anonymous visitors and staff cost no query."""
    request = context.get("request")
    user = context.get("user")
    if request is None or user is None:
        return False
    if not hasattr(request, "_fieldwork_in_nav"):
        request._fieldwork_in_nav = works_in_the_field(user)
    return request._fieldwork_in_nav
