"""Where each role lands after signing in: where its work is, unless the sign-in asked for a page.

Django's LoginView sends to `?next=` when there is one (checked to stay on this site), otherwise to
LOGIN_REDIRECT_URL, which is this view: staff to the support missions, researchers to their
fieldwork, partners to their portal, anyone else to the home page.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect

from .roles import PARTNER, RESEARCHER


def landing_for(user) -> str:
    """The URL name of the page where this user's work is."""
    if user.is_staff or user.is_superuser:
        return "accompagnements:board"
    me = get_user_model().objects.filter(pk=user.pk)
    # A researcher is in the group, or simply a member of some season.
    if me.filter(Q(groups__name=RESEARCHER) | Q(seasons__isnull=False)).exists():
        return "terrain:seasons"
    if me.filter(groups__name=PARTNER).exists():
        return "publications:portal"
    return "home"


@login_required
def landing(request):
    return redirect(landing_for(request.user))
