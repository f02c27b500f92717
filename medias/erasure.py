"""What the media store erases for a person (a GDPR request): the shredder medias registers.

Which files are about the person is said by the other apps (`Subject.related`: the fieldwork
says "their interviews and transcripts"); this app knows none of them. Those files, and any file
whose name or extracted text names the person elsewhere, are:
- rewritten when they are text (a VTT or plain transcript, its segments JSON): the name leaves
  the file, its extracted text, its metadata and its renditions, under a new checksum;
- deleted otherwise (a recording is their voice; a DOCX or PDF cannot be redacted reliably), with
  their renditions, waveform and thumbnails.
Name suggestions naming them are deleted; file names naming them are replaced. Stored files are
deleted when the erasure commits (through the storage's API, whatever the storage).
"""

import hashlib

from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from observatoire.shredders import BaseShredder

from .models import ACTIVE_STATES, JobState, Kind, MediaFile, PseudonymSuggestion
from .storage import unguessable_name

# Kinds whose original is text and can be rewritten without the person.
REWRITTEN_KINDS = {Kind.TRANSCRIPT}


def _scope(subject):
    """[(media, loose)]: files of what is about the person (first name too), files naming them."""
    owned = list(MediaFile.objects.filter(subject.owned_by_related()))
    owned_ids = {media.pk for media in owned}
    naming = MediaFile.objects.filter(
        subject.mentions("original_name") | subject.mentions("text")
    ).exclude(pk__in=owned_ids)
    named = [m for m in naming if subject.names(m.original_name) or subject.names(m.text)]
    return [(media, True) for media in owned] + [(media, False) for media in named]


def _suggestions(subject, scope):
    """Suggestions naming them: in their files by first name too, elsewhere by full name."""
    loose_ids = [media.pk for media, loose in scope if loose]
    candidates = PseudonymSuggestion.objects.filter(
        (Q(media__in=loose_ids) & subject.mentions("name", loose=True))
        | subject.mentions("name")
        | subject.mentions("pseudonym")
    )
    return [
        s
        for s in candidates
        if subject.names(s.name, s.media_id in loose_ids) or subject.names(s.pseudonym)
    ]


def _delete(subject, media) -> None:
    for derived in media.derived.all():
        if derived.file:
            subject.delete_file_on_commit(derived.file.storage, derived.file.name)
    if media.original:
        subject.delete_file_on_commit(media.original.storage, media.original.name)
    media.delete()  # its renditions, jobs and suggestions go with it


def _rewrite(subject, media, loose: bool) -> None:
    """The file, its text, metadata, name and text renditions without the person."""
    # A job still at work read the old file: it must not write its outputs back after this.
    media.jobs.filter(state__in=ACTIVE_STATES).update(
        state=JobState.CANCELLED, finished_at=timezone.now(), lease_until=None
    )
    with media.original.open("rb") as handle:
        content = handle.read()
    erased = subject.erase_bytes(content, "text/plain", loose)
    if erased is not None and erased != content:
        subject.delete_file_on_commit(media.original.storage, media.original.name)
        media.checksum = hashlib.sha256(erased).hexdigest()
        media.size = len(erased)
        media.original.save(media.checksum, ContentFile(erased), save=False)
    media.original_name = subject.erase(media.original_name, loose)
    media.text = subject.erase(media.text, loose)
    media.metadata = subject.erase_json(media.metadata, loose)
    media.save()
    for derived in media.derived.all():
        if not derived.file:
            continue
        with derived.file.open("rb") as handle:
            content = handle.read()
        erased = subject.erase_bytes(content, derived.mime_type, loose)
        subject.delete_file_on_commit(derived.file.storage, derived.file.name)
        if erased is None:  # a picture of a text file: nothing to keep
            derived.delete()
            continue
        derived.file.save(
            unguessable_name(f"medias/{media.pk}", shard=False), ContentFile(erased), save=False
        )
        derived.size = len(erased)
        derived.metadata = subject.erase_json(derived.metadata, loose)
        derived.save()
    # A job's reason is an English msgid with its values, and a detail for staff: both may name.
    for job in media.jobs.exclude(error_message="", error_detail=""):
        job.error_message = subject.erase(job.error_message, loose)
        job.error_params = subject.erase_json(job.error_params, loose)
        job.error_detail = subject.erase(job.error_detail, loose)
        job.save(update_fields=["error_message", "error_params", "error_detail"])


class MediaShredder(BaseShredder):
    identifier = "medias"
    order = 20
    verbose_name = _("Files and recordings")
    description = _(
        "Recordings of their interviews are deleted with their renditions and waveform; "
        "transcript files are rewritten without their name; other files of their interviews, "
        "and files whose name or text names them, are deleted; name suggestions naming them "
        "are deleted."
    )
    handles = ("medias.pseudonymsuggestion",)

    def _counts(self, subject):
        scope = _scope(subject)
        recordings = [m for m, _loose in scope if m.kind in (Kind.AUDIO, Kind.VIDEO)]
        rewritten = [m for m, _loose in scope if m.kind in REWRITTEN_KINDS]
        others = [m for m, _loose in scope if m not in recordings and m.kind not in REWRITTEN_KINDS]
        return scope, recordings, rewritten, others

    def preview(self, subject):
        scope, recordings, rewritten, others = self._counts(subject)
        suggestions = len(_suggestions(subject, scope))
        return _lines(recordings, rewritten, others, suggestions, future=True)

    def shred(self, subject):
        scope, recordings, rewritten, others = self._counts(subject)
        suggestions = _suggestions(subject, scope)
        PseudonymSuggestion.objects.filter(pk__in=[s.pk for s in suggestions]).delete()
        for media, loose in scope:
            if media.kind in REWRITTEN_KINDS:
                _rewrite(subject, media, loose)
            else:
                _delete(subject, media)
        return _lines(recordings, rewritten, others, len(suggestions), future=False)


def _lines(recordings, rewritten, others, suggestions: int, future: bool) -> list[str]:
    if future:
        texts = [
            ngettext(
                "%(count)d recording (deleted, with its renditions and waveform)",
                "%(count)d recordings (deleted, with their renditions and waveform)",
                len(recordings),
            ),
            ngettext(
                "%(count)d transcript file (rewritten without their name)",
                "%(count)d transcript files (rewritten without their name)",
                len(rewritten),
            ),
            ngettext(
                "%(count)d other file (deleted)", "%(count)d other files (deleted)", len(others)
            ),
            ngettext(
                "%(count)d name suggestion (deleted)",
                "%(count)d name suggestions (deleted)",
                suggestions,
            ),
        ]
    else:
        texts = [
            ngettext(
                "%(count)d recording deleted, with its renditions and waveform",
                "%(count)d recordings deleted, with their renditions and waveform",
                len(recordings),
            ),
            ngettext(
                "%(count)d transcript file rewritten",
                "%(count)d transcript files rewritten",
                len(rewritten),
            ),
            ngettext("%(count)d other file deleted", "%(count)d other files deleted", len(others)),
            ngettext(
                "%(count)d name suggestion deleted",
                "%(count)d name suggestions deleted",
                suggestions,
            ),
        ]
    counts = [len(recordings), len(rewritten), len(others), suggestions]
    lines = [text % {"count": count} for text, count in zip(texts, counts, strict=True)]
    if future:  # which files, by name, before they go (never repeated in the report)
        names = [m.original_name for m in recordings + rewritten + others]
        lines += [", ".join(names)] if names else []
    return lines
