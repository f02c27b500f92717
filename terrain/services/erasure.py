"""Erasing a person (a GDPR request), shredder style: one eraser per kind of data, run together.

Each eraser removes the person's name and data from what it knows of and leaves the research
structure in place with a placeholder. Other apps add theirs with `register_eraser` (e.g. medias:
photos, thumbnails, recordings). What remains is an `Erasure` row: that it was done, not what.
"""

import re
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction
from django.db.models import Q

from ..models import Consent, Erasure, Excerpt, Interviewee, Segment
from ..quotes import name_variants
from .consent import findings_of_interview, refresh_public_quotes

PLACEHOLDER = "[erased]"
# Never rewritten by the sweep: secrets, encoded blobs, and the erasure records themselves.
SKIPPED_MODELS = {"sessions.session", "auth.permission", "contenttypes.contenttype"}


@dataclass
class Erasing:
    """What the erasers share: who, and the patterns their name is found by."""

    person: object
    strict: re.Pattern  # full name and last name: safe to replace anywhere in the database
    loose: re.Pattern  # first name too: for the transcripts of their own interviews
    variants: list[str] = field(default_factory=list)
    interview_ids: set[int] = field(default_factory=set)


def _pattern(names: list[str]) -> re.Pattern:
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def replace_with_offsets(text: str, pattern: re.Pattern, spans, replacement=PLACEHOLDER):
    """Replace matches in `text` and move the (start, end) spans so they keep their words.

    `replacement` is a string, or a function of the match as for `re.sub` (pseudonyms).
    """
    edits, pieces, last = [], [], 0
    for match in pattern.finditer(text):
        new = replacement(match) if callable(replacement) else replacement
        pieces += [text[last : match.start()], new]
        edits.append((match.start(), match.end(), len(new)))
        last = match.end()
    pieces.append(text[last:])

    def move(offset: int, is_end: bool) -> int:
        shift = 0
        for start, end, length in edits:
            if end <= offset:
                shift += length - (end - start)
            elif start < offset:  # inside a replaced name: snap to its placeholder's edge
                return start + shift + (length if is_end else 0)
        return offset + shift

    return "".join(pieces), [(move(s, False), move(e, True)) for s, e in spans]


def rewrite_segment_text(segment: Segment, pattern: re.Pattern, replacement=PLACEHOLDER) -> None:
    """Replace `pattern` in the segment's text (not saved); its excerpts are moved and saved.

    Each excerpt keeps pointing at the same words and its text stays the slice it points at.
    """
    excerpts = list(segment.excerpts.all())
    text, spans = replace_with_offsets(
        segment.text, pattern, [(x.start, x.end) for x in excerpts], replacement
    )
    for excerpt, (start, end) in zip(excerpts, spans, strict=True):
        excerpt.start, excerpt.end = start, max(end, start + 1)
        excerpt.text = text[excerpt.start : excerpt.end]
    Excerpt.objects.bulk_update(excerpts, ["start", "end", "text"])
    segment.text = text


def erase_segments(ctx: Erasing) -> None:
    """Transcripts: the name becomes a placeholder, excerpts keep pointing at the same words."""
    own = Q(transcript__interview_id__in=ctx.interview_ids)
    mentions = Q()
    for name in ctx.variants:
        mentions |= Q(text__icontains=name) | Q(speaker__icontains=name)
    segments = Segment.objects.filter(own | mentions | Q(interviewee__person=ctx.person))
    for segment in segments.prefetch_related("excerpts"):
        pattern = ctx.loose if segment.transcript.interview_id in ctx.interview_ids else ctx.strict
        rewrite_segment_text(segment, pattern)
        if segment.interviewee_id and segment.interviewee.person_id == ctx.person.pk:
            segment.speaker = PLACEHOLDER
        else:
            segment.speaker = pattern.sub(PLACEHOLDER, segment.speaker)
        segment.save(update_fields=["text", "speaker"])


def erase_consents(ctx: Erasing) -> None:
    """Consent forms (files included) and the interviewee rows: withdrawn and emptied."""
    from django.utils import timezone

    for consent in Consent.objects.filter(interviewee__person=ctx.person):
        if consent.signed_form:
            consent.signed_form.delete(save=False)
        consent.signed_form = ""
        consent.signed_form_name = consent.signed_form_type = ""  # the name may be theirs
        consent.pseudonym = ""
        consent.withdrawn_at = consent.withdrawn_at or timezone.now()
        consent.save()
    Interviewee.objects.filter(person=ctx.person).update(role="", speaker_label=PLACEHOLDER)


def erase_person_row(ctx: Erasing) -> None:
    """The person stays as a placeholder so that roles and interviews keep their shape."""
    from observatoire.publishing import State

    person = ctx.person
    person.first_name = ""
    person.last_name = PLACEHOLDER
    person.slug = f"erased-{person.pk}"
    person.public_bio = person.email = person.phone = ""
    person.state = State.WITHDRAWN
    person.save()
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(person), object_id=str(person.pk)
    ).update(object_repr=PLACEHOLDER, change_message="")


def sweep_text_columns(ctx: Erasing) -> None:
    """Every other text column of every model: full and last names become placeholders."""
    for model in apps.get_models():
        if model._meta.label_lower in SKIPPED_MODELS or model in (Segment, Erasure):
            continue
        columns = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
            and not f.primary_key
            and not f.choices
            and f.name != "password"
        ]
        for column in columns:
            found = Q()
            for name in ctx.variants:
                found |= Q(**{f"{column}__icontains": name})
            for pk, value in model._default_manager.filter(found).values_list("pk", column):
                model._default_manager.filter(pk=pk).update(
                    **{column: ctx.strict.sub(PLACEHOLDER, value)}
                )


def refresh_findings(ctx: Erasing) -> None:
    """The findings that quoted the person: their public text follows the erased transcript."""
    for interview_id in ctx.interview_ids:
        refresh_public_quotes(findings_of_interview(interview_id))


# In order: transcripts before the sweep (they move offsets), the person row last but one.
ERASERS = [erase_segments, erase_consents, sweep_text_columns, erase_person_row, refresh_findings]


def register_eraser(eraser, *, before=None) -> None:
    """Add an eraser `eraser(ctx: Erasing) -> None` (before another one, or before the last)."""
    if eraser in ERASERS:
        return
    index = ERASERS.index(before) if before in ERASERS else len(ERASERS) - 1
    ERASERS.insert(index, eraser)


@transaction.atomic
def erase_person(person, *, by=None) -> Erasure:
    """Remove a person's name and data everywhere; returns the record that it was done."""
    first, last = person.first_name.strip(), person.last_name.strip()
    strict_names = [n for n in {f"{first} {last}".strip(), f"{last} {first}".strip(), last} if n]
    ctx = Erasing(
        person=person,
        strict=_pattern(strict_names or [str(person.pk)]),
        loose=_pattern(name_variants(person) or [str(person.pk)]),
        variants=strict_names,
        interview_ids=set(
            Interviewee.objects.filter(person=person).values_list("interview_id", flat=True)
        ),
    )
    for eraser in list(ERASERS):
        eraser(ctx)
    return Erasure.objects.create(
        person_id=person.pk, erased_by=by, erasers=[e.__name__ for e in ERASERS]
    )
