"""The owners of files: what each app that attaches files to its objects says about them.

`medias` knows files, kinds, renditions, jobs and processors; it never imports the apps whose
objects own the files (an interview, an initiative, a workshop). Each of those apps registers its
models here in its `AppConfig.ready()`, much as Paperless-ngx's parser apps declare themselves to
the consumer: the name used in URLs (`/traitements/fichiers/<name>/<pk>/`), the kinds offered, who
may upload (`may_upload(user)`, the owners this user may upload to, as a queryset), who may read
(`can_read(user, media, derived)`), whether a reading is logged (`log_read`), what becomes of a
processed file (`on_processed`), the names already known around it (`known_names`, for the
pseudonym suggestions), and whether its recordings should get a draft transcript by speech
recognition, in which language (`draft_language`). `medias` finds the entry from the file's
owner model.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404

_BY_MODEL: dict[type, "Owner"] = {}
_BY_NAME: dict[str, "Owner"] = {}


@dataclass(frozen=True)
class Owner:
    model: type
    name: str | None  # the name in URLs; None: files are attached by code, not uploaded by URL
    kinds: tuple[str, ...] = ()
    label: Any = ""
    may_upload: Callable | None = None  # (user) -> queryset of the owners this user may upload to
    can_read: Callable | None = None  # (user, media, derived) -> bool; staff always may
    log_read: Callable | None = None  # (request, media, derived) -> None, at each reading
    on_processed: Callable | None = None  # (media, job, output) -> None, inside the transaction
    known_names: Callable | None = None  # (owner) -> [(name, "PER"|"ORG", pseudonym)]
    # (owner) -> the language to transcribe its recordings in for a draft transcript, or None
    draft_language: Callable | None = None


def register(model, *, name=None, kinds=(), label="", **callables) -> Owner:
    """Declare `model` as an owner of files (a second `ready()` replaces, never duplicates)."""
    entry = Owner(model=model, name=name, kinds=tuple(kinds), label=label, **callables)
    _BY_MODEL[model] = entry
    if name:
        _BY_NAME[name] = entry
    return entry


def for_owner(owner) -> Owner | None:
    """The entry of an owner object (None for a file of no registered owner)."""
    if owner is None:
        return None
    for klass in type(owner).__mro__:
        if klass in _BY_MODEL:
            return _BY_MODEL[klass]
    return None


def by_name(name: str) -> Owner:
    """The entry reached by a URL's owner name; 404 for a name no app registered."""
    entry = _BY_NAME.get(name)
    if entry is None or entry.may_upload is None:
        raise Http404
    return entry


def owner_name(owner) -> str:
    entry = for_owner(owner)
    if entry is None or not entry.name:
        raise KeyError(type(owner).__name__)
    return entry.name


def processed(media, job, output) -> None:
    """Hand a processed file's outputs to the owner's app (segments into a transcript...)."""
    entry = for_owner(media.owner)
    if entry is not None and entry.on_processed is not None:
        entry.on_processed(media, job, output)


def known_names(owner) -> list[tuple[str, str, str]]:
    entry = for_owner(owner)
    if entry is None or entry.known_names is None:
        return []
    return entry.known_names(owner)


def draft_language(owner) -> str | None:
    """The language of a draft transcript of this owner's recordings; None: no draft wanted."""
    entry = for_owner(owner)
    if entry is None or entry.draft_language is None:
        return None
    return entry.draft_language(owner)
