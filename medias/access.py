"""Who may upload to an owner and who may read a file: the fieldwork's rules, reused, not rewritten.

A researcher reaches an interview's files only through a season they belong to (terrain's
`Season.objects.for_user` and `SEASON_LOOKUP`); anything else is a 404, as in the workspace.
Staff reach everything. The public reaches only the public renditions of published initiatives.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from accompagnements.models import Deliverable, Workshop
from initiatives.models import Initiative
from terrain.access import SEASON_LOOKUP, is_staff, log_access
from terrain.models import AccessLog, Interview, Season

from .known_names import interview_of
from .models import Kind

# The owners a file may be uploaded to, by the name used in URLs: model, kinds offered, label.
OWNERS = {
    "interview": (
        Interview,
        [Kind.AUDIO, Kind.VIDEO, Kind.TRANSCRIPT, Kind.DOCUMENT, Kind.IMAGE],
        _("interview"),
    ),
    "initiative": (Initiative, [Kind.IMAGE, Kind.DOCUMENT, Kind.VIDEO], _("initiative")),
    # Missions are staff-only: photos of the boards and recordings of a workshop, report versions.
    "workshop": (Workshop, [Kind.IMAGE, Kind.AUDIO, Kind.VIDEO, Kind.DOCUMENT], _("workshop")),
    "deliverable": (Deliverable, [Kind.DOCUMENT], _("deliverable")),
}
STAFF_OWNERS = {"initiative", "workshop", "deliverable"}
# The kinds of an interview's files whose every reading goes to terrain's access log.
LOGGED = {
    Kind.AUDIO: AccessLog.Target.RECORDING,
    Kind.VIDEO: AccessLog.Target.RECORDING,
    Kind.TRANSCRIPT: AccessLog.Target.TRANSCRIPT,
}


def owner_name(owner) -> str:
    for name, (model, _kinds, _label) in OWNERS.items():
        if isinstance(owner, model):
            return name
    raise KeyError(type(owner).__name__)


def interviews_for(user):
    """The interviews of the seasons this user may open (all for staff, none for the public)."""
    seasons = Season.objects.for_user(user)
    return Interview.objects.select_related("visit__season").filter(
        **{f"{SEASON_LOOKUP[Interview]}__in": seasons}
    )


def owner_for(user, name: str, pk):
    """The owner this user may upload to and watch, or 404 (outsiders learn nothing)."""
    if name == "interview":
        return get_object_or_404(interviews_for(user), pk=pk)
    if name in STAFF_OWNERS and is_staff(user):
        return get_object_or_404(OWNERS[name][0], pk=pk)
    raise Http404


def may_read(user, media, derived=None) -> bool:
    """Whether `user` may read this file (`derived` is a rendition of it, or None: the original)."""
    if is_staff(user):
        return True
    owner = media.owner
    interview = interview_of(owner)
    if interview is not None:
        # Researchers of the season; never the public, whatever the rendition.
        return interviews_for(user).filter(pk=interview.pk).exists()
    if isinstance(owner, Initiative):
        return (
            derived is not None
            and derived.public
            and Initiative.objects.published().filter(pk=owner.pk).exists()
        )
    return False


# Renditions that tell nothing of what was said: fetching them is not a reading.
NOT_READINGS = {"waveform"}


def log_reading(request, media, derived=None) -> None:
    """Record in terrain's access log that a recording or a transcript was read, once a listening.

    A player asks for a recording in many range requests (a first probe, one per seek, more as it
    buffers), so a row per request would bury the log. A listening is keyed on the person, their
    session (a new sign-in is a new listening), the file and the rendition, and lasts while its
    requests come less than MEDIA_LISTENING_IDLE_SECONDS apart: each request pushes the end back,
    so a long interview listened to in one go is one row, and coming back after a pause is another.
    The key lives in the shared cache (Redis in production, seen by every web worker); `add` is
    atomic, so the two or three requests a player sends at once still write one row. Should the
    cache lose the key, a listening is logged twice: the log errs on the side of saying more.
    """
    interview = interview_of(media.owner)
    target = LOGGED.get(media.kind)
    if interview is None or target is None:
        return
    if derived is not None and derived.name in NOT_READINGS:
        return
    if not new_listening(request, f"{media.pk}:{derived.name if derived else ''}"):
        return
    action = AccessLog.Action.VIEW if derived is not None else AccessLog.Action.DOWNLOAD
    log_access(request, action, target, interview=interview)


def new_listening(request, resource: str) -> bool:
    """Whether this request starts a listening of `resource` (False while one goes on)."""
    idle = settings.MEDIA_LISTENING_IDLE_SECONDS
    session = getattr(request, "session", None)
    marker = (session.session_key if session is not None else None) or "-"
    key = f"medias:listening:{request.user.pk}:{marker}:{resource}"
    if cache.add(key, 1, timeout=idle):
        return True
    cache.touch(key, timeout=idle)
    return False
