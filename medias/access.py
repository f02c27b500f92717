"""Who may upload to an owner and who may read a file, asked of the app that owns it.

Staff reach every file. Anyone else reaches what the owner's app allows through its entry in
`medias.owners` (the fieldwork: researchers of the interview's season; the directory: the public
renditions of published initiatives); a file of no registered owner is staff-only. Anything a
person may not reach is a 404, as in the workspace.
"""

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import get_object_or_404

from .owners import by_name, for_owner


def is_staff(user) -> bool:
    return user.is_authenticated and (user.is_staff or user.is_superuser)


def owner_for(user, name: str, pk):
    """The owner this user may upload to and watch, or 404 (outsiders learn nothing)."""
    return get_object_or_404(by_name(name).may_upload(user), pk=pk)


def may_read(user, media, derived=None) -> bool:
    """Whether `user` may read this file (`derived` is a rendition of it, or None: the original)."""
    if is_staff(user):
        return True
    entry = for_owner(media.owner)
    if entry is None or entry.can_read is None:
        return False
    return bool(entry.can_read(user, media, derived))


def log_reading(request, media, derived=None) -> None:
    """Tell the owner's app that a file was read, if it keeps a log of readings (the fieldwork
    logs its recordings and transcripts, once a listening: see `new_listening`)."""
    entry = for_owner(media.owner)
    if entry is not None and entry.log_read is not None:
        entry.log_read(request, media, derived)


# Renditions that tell nothing of what was said: fetching them is not a reading.
NOT_READINGS = {"waveform"}


def new_listening(request, resource: str) -> bool:
    """Whether this request starts a listening of `resource` (False while one goes on).

    A player asks for a recording in many range requests (a first probe, one per seek, more as it
    buffers), so a row per request would bury a log of readings. A listening is keyed on the
    person, their session (a new sign-in is a new listening), the file and the rendition, and lasts
    while its requests come less than MEDIA_LISTENING_IDLE_SECONDS apart: each request pushes the
    end back, so a long interview listened to in one go is one row, and coming back after a pause
    is another. The key lives in the shared cache (Redis in production, seen by every web worker);
    `add` is atomic, so the two or three requests a player sends at once still write one row.
    Should the cache lose the key, a listening is logged twice: the log errs on the side of saying
    more.
    """
    idle = settings.MEDIA_LISTENING_IDLE_SECONDS
    session = getattr(request, "session", None)
    marker = (session.session_key if session is not None else None) or "-"
    key = f"medias:listening:{request.user.pk}:{marker}:{resource}"
    if cache.add(key, 1, timeout=idle):
        return True
    cache.touch(key, timeout=idle)
    return False
