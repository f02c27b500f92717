"""What a signed-in person works on, by role: the menu they see, where they land after signing in,
and the refusal (403) of a workspace they have no part in.

One place decides it, so that a link is shown exactly where the page behind it answers:
* staff: the missions, the job board, the contributions to moderate, every season's fieldwork,
  the partners' portal;
* researchers (the group, or a member of some season): the fieldwork;
* partners (the group): the partners' portal.
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.urls import reverse

from .roles import PARTNER, RESEARCHER


@dataclass(frozen=True)
class Workspaces:
    staff: bool = False
    fieldwork: bool = False
    partner: bool = False

    @property
    def any(self) -> bool:
        return self.staff or self.fieldwork or self.partner


NONE = Workspaces()
EVERY = Workspaces(staff=True, fieldwork=True, partner=True)


def of_user(user) -> Workspaces:
    """Anonymous visitors and staff cost no query; anyone else one."""
    if user is None or not user.is_authenticated:
        return NONE
    if user.is_staff or user.is_superuser:
        return EVERY
    in_group = Group.objects.filter(user=OuterRef("pk"))
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values(
            partner=Exists(in_group.filter(name=PARTNER)),
            researcher=Exists(in_group.filter(name=RESEARCHER)),
            # A member of some season: the fieldwork app's `Season.researchers` (related name
            # "seasons"), reached from the user's side so that this module names no upper app.
            member=Exists(
                get_user_model().objects.filter(pk=OuterRef("pk"), seasons__isnull=False)
            ),
        )
        .first()
    )
    if row is None:
        return NONE
    return Workspaces(fieldwork=row["researcher"] or row["member"], partner=row["partner"])


def of_request(request) -> Workspaces:
    """Memoised on the request: the menu and the view ask the same question once."""
    if not hasattr(request, "_workspaces"):
        request._workspaces = of_user(getattr(request, "user", None))
    return request._workspaces


def landing_url(user) -> str:
    """Where a person lands after signing in: where their work is."""
    workspaces = of_user(user)
    if workspaces.staff:
        return reverse("accompagnements:board")
    if workspaces.fieldwork:
        return reverse("terrain:seasons")
    if workspaces.partner:
        return reverse("publications:portal")
    return reverse("home")


def workspace_required(name: str):
    """Sign-in first (an anonymous visitor gets the login page); then a signed-in person without
    a part in this workspace gets the site's 403 page, not a login form they could never pass."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not getattr(of_request(request), name):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


staff_required = workspace_required("staff")
fieldwork_required = workspace_required("fieldwork")
partner_required = workspace_required("partner")
