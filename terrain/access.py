"""Who may open what: one helper every workspace view goes through, and the access log.

A researcher sees the seasons they belong to and nothing else: anything of another season is a
404, exactly as if it did not exist. Staff see every season.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from observatoire.publishing import State

from .models import (
    AccessLog,
    AudioExcerpt,
    Code,
    Consent,
    Excerpt,
    Finding,
    Interview,
    Interviewee,
    Memo,
    Season,
    Segment,
    Transcript,
    Visit,
)

# How each model reaches its season.
SEASON_LOOKUP = {
    Season: "pk",
    Visit: "season",
    Interview: "visit__season",
    Interviewee: "interview__visit__season",
    Consent: "interviewee__interview__visit__season",
    Transcript: "interview__visit__season",
    Segment: "transcript__interview__visit__season",
    Code: "season",
    Excerpt: "segment__transcript__interview__visit__season",
    AudioExcerpt: "interview__visit__season",
    Memo: None,  # reached through its target
    Finding: "season",
}


def is_staff(user) -> bool:
    return user.is_authenticated and (user.is_staff or user.is_superuser)


def season_view(view):
    """Log-in required; the URL's `season` becomes the Season, or 404 if the user is not in it."""

    @login_required
    @wraps(view)
    def wrapper(request, season, *args, **kwargs):
        season = get_object_or_404(Season.objects.for_user(request.user), pk=season)
        return view(request, season, *args, **kwargs)

    return wrapper


def in_season(season: Season, model, queryset=None, **filters):
    """The row of `model` matching `filters` inside `season`, or 404."""
    rows = queryset if queryset is not None else model._default_manager.all()
    return get_object_or_404(rows.filter(**{SEASON_LOOKUP[model]: season}), **filters)


def staff_only(user) -> None:
    if not is_staff(user):
        raise PermissionDenied


def interview_of(owner):
    """The interview a file (`medias`) belongs to, directly or through its transcript; else None."""
    if isinstance(owner, Transcript):
        return owner.interview
    if isinstance(owner, Interview):
        return owner
    return None


def log_access(request, action, target, *, interview=None, season=None) -> AccessLog:
    """Record that this user viewed or downloaded a recording, a transcript or an export."""
    return AccessLog.objects.create(
        user=request.user,
        action=action,
        target=target,
        interview=interview,
        season=season or (interview.visit.season if interview else None),
    )


# People met in fieldwork (initiatives.people): registered as held by the fieldwork in apps.py.
def people_held():
    """Interviewees who are not public actors: known only to the fieldwork that met them."""
    return Interviewee.objects.exclude(person__state=State.PUBLISHED).values("person_id")


def people_reachable(user, *, season):
    """From a season's fieldwork: the people interviewed in it, if this user may open it."""
    seasons = Season.objects.for_user(user).filter(pk=season.pk)
    return Interviewee.objects.filter(interview__visit__season__in=seasons).values("person_id")
