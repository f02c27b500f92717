"""What fieldwork erases for a person (a GDPR request): the shredder terrain registers.

The name becomes a placeholder and the research structure stays: interviewee rows, segments
and excerpts that still point at the same words, findings that no longer quote them. In what is
theirs (their interviews, the memos and findings of the seasons they were interviewed in) their
first name alone is erased too; elsewhere their full name, last name, phone and e-mail are (the
site-wide sweep does the same for every other column). Signed consent forms are deleted with the
erasure's commit. What remains is an `Erasure` row: that it was done, not what.
"""

import re

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from observatoire.shredders import PLACEHOLDER, BaseShredder

from ..models import (
    Consent,
    Erasure,
    Excerpt,
    Finding,
    Interview,
    Interviewee,
    Memo,
    Segment,
    Transcript,
    Visit,
)
from .consent import findings_of_interviews, refresh_public_quotes


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


def touching_excerpts(segment: Segment):
    """The excerpts whose passage covers some of this segment: starting or ending in it, or
    running over it from an earlier turn to a later one."""
    over = Q(
        end_segment__isnull=False,
        segment__transcript_id=segment.transcript_id,
        segment__position__lt=segment.position,
        end_segment__position__gt=segment.position,
    )
    return Excerpt.objects.filter(Q(segment=segment) | Q(end_segment=segment) | over)


def span_in(excerpt: Excerpt, segment: Segment, length: int) -> tuple[int, int]:
    """The characters [start, end) of this segment's text (`length` long) the excerpt covers."""
    if not excerpt.spans_segments:
        return excerpt.start, excerpt.end
    start = excerpt.start if excerpt.segment_id == segment.pk else 0
    end = excerpt.end if excerpt.end_segment_id == segment.pk else length
    return start, end


def move_span(excerpt: Excerpt, segment: Segment, start: int, end: int) -> None:
    """Set the excerpt's offsets that point into this segment (not saved)."""
    if not excerpt.spans_segments:
        excerpt.start, excerpt.end = start, max(end, start + 1)
        return
    if excerpt.segment_id == segment.pk:
        excerpt.start = start
    if excerpt.end_segment_id == segment.pk:
        excerpt.end = end


def rewrite_segment_text(segment: Segment, pattern: re.Pattern, replacement=PLACEHOLDER) -> None:
    """Replace `pattern` in the segment's text (not saved); its excerpts are moved and saved.

    Each excerpt keeps pointing at the same words and its text stays the slice it points at,
    including an excerpt that starts in an earlier turn or ends in a later one.
    """
    excerpts = list(touching_excerpts(segment).select_related("segment", "end_segment"))
    old = segment.text
    text, spans = replace_with_offsets(
        old, pattern, [span_in(x, segment, len(old)) for x in excerpts], replacement
    )
    for excerpt, (start, end) in zip(excerpts, spans, strict=True):
        move_span(excerpt, segment, start, end)
        excerpt.text = excerpt.text_of(texts={segment.pk: text})
    Excerpt.objects.bulk_update(excerpts, ["start", "end", "text"])
    segment.text = text


def _interview_ids(person) -> set[int]:
    return set(Interviewee.objects.filter(person=person).values_list("interview_id", flat=True))


def _season_ids(interview_ids) -> set[int]:
    return set(
        Interview.objects.filter(pk__in=interview_ids).values_list("visit__season", flat=True)
    )


def _segments(subject, interview_ids):
    """[(segment, loose)]: the turns of their interviews, and those elsewhere that name them."""
    found = (
        Q(transcript__interview_id__in=interview_ids)
        | Q(interviewee__person=subject.person)
        | subject.mentions("text")
        | subject.mentions("speaker")
    )
    result = []
    for segment in Segment.objects.filter(found).select_related("transcript", "interviewee"):
        loose = segment.transcript.interview_id in interview_ids
        own = segment.interviewee_id and segment.interviewee.person_id == subject.person.pk
        if own or subject.names(segment.text, loose) or subject.names(segment.speaker, loose):
            result.append((segment, loose))
    return result


def _in_seasons(seasons) -> Q:
    """Memos of these seasons, whatever they are attached to."""
    return (
        Q(season__in=seasons)
        | Q(interview__visit__season__in=seasons)
        | Q(code__season__in=seasons)
        | Q(excerpt__segment__transcript__interview__visit__season__in=seasons)
    )


# In their seasons, these columns are read with the first name too.
LOOSE_COLUMNS = {
    Interview: ["title", "notes"],
    Visit: ["place", "notes"],
    Memo: ["text"],
    Finding: ["title", "summary", "text"],
}


def _loose_rows(subject, interview_ids, seasons):
    """{model: {pk: {column: erased text}}} for the rows of their seasons that name them."""
    scopes = {
        Interview: Interview.objects.filter(pk__in=interview_ids),
        Visit: Visit.objects.filter(interviews__in=interview_ids).distinct(),
        Memo: Memo.objects.filter(_in_seasons(seasons)).distinct(),
        Finding: Finding.objects.filter(season__in=seasons),
    }
    changes = {}
    for model, columns in LOOSE_COLUMNS.items():
        found = Q(pk__in=[])
        for column in columns:
            found |= subject.mentions(column, loose=True)
        for row in scopes[model].filter(found).values("pk", *columns):
            erased = {c: subject.erase(row[c], loose=True) for c in columns}
            erased = {c: v for c, v in erased.items() if v != row[c]}
            if erased:
                changes.setdefault(model, {})[row["pk"]] = erased
    return changes


class FieldworkShredder(BaseShredder):
    identifier = "terrain"
    order = 10
    verbose_name = _("Fieldwork")
    description = _(
        "Their name leaves the transcripts (excerpts keep pointing at the same words), the "
        "interviews, memos and findings of their seasons; their consents are withdrawn and "
        "signed forms deleted; the interviewee rows stay, without name or role."
    )
    # Excerpts are slices of the segments, rewritten with them (offsets moved).
    handles = ("terrain.segment", "terrain.excerpt", "terrain.erasure")

    def related(self, subject):
        interviews = list(Interview.objects.filter(pk__in=_interview_ids(subject.person)))
        return interviews + list(Transcript.objects.filter(interview__in=interviews))

    def preview(self, subject):
        interview_ids = _interview_ids(subject.person)
        seasons = _season_ids(interview_ids)
        consents = Consent.objects.filter(interviewee__person=subject.person)
        loose = _loose_rows(subject, interview_ids, seasons)
        quoting = findings_of_interviews(interview_ids).count()
        interviews, turns = len(interview_ids), len(_segments(subject, interview_ids))
        memos, forms = len(loose.get(Memo, {})), consents.exclude(signed_form="").count()
        findings = max(quoting, len(loose.get(Finding, {})))
        return [
            ngettext("%(count)d interview", "%(count)d interviews", interviews)
            % {"count": interviews},
            ngettext(
                "%(count)d transcript turn naming them",
                "%(count)d transcript turns naming them",
                turns,
            )
            % {"count": turns},
            ngettext(
                "%(count)d consent (signed forms: %(forms)d)",
                "%(count)d consents (signed forms: %(forms)d)",
                consents.count(),
            )
            % {"count": consents.count(), "forms": forms},
            ngettext("%(count)d memo naming them", "%(count)d memos naming them", memos)
            % {"count": memos},
            ngettext(
                "%(count)d finding quoting or naming them",
                "%(count)d findings quoting or naming them",
                findings,
            )
            % {"count": findings},
        ]

    def shred(self, subject):
        person = subject.person
        interview_ids = _interview_ids(person)
        seasons = _season_ids(interview_ids)
        segments = _segments(subject, interview_ids)
        for segment, loose in segments:
            rewrite_segment_text(segment, subject.finder(loose).pattern)
            if segment.interviewee_id and segment.interviewee.person_id == person.pk:
                segment.speaker = PLACEHOLDER
            else:
                segment.speaker = subject.erase(segment.speaker, loose)
            segment.save(update_fields=["text", "speaker"])
        forms = 0
        consents = list(Consent.objects.filter(interviewee__person=person))
        for consent in consents:
            if consent.signed_form:
                subject.delete_file_on_commit(consent.signed_form.storage, consent.signed_form.name)
                forms += 1
            consent.signed_form = ""
            consent.signed_form_name = consent.signed_form_type = ""  # the name may be theirs
            consent.pseudonym = ""
            consent.withdrawn_at = consent.withdrawn_at or timezone.now()
            consent.save()
        Interviewee.objects.filter(person=person).update(role="", speaker_label=PLACEHOLDER)
        # A link to a recording of their interviews leads to their voice, whatever its name.
        links = (
            Interview.objects.filter(pk__in=interview_ids)
            .exclude(audio_url="")
            .update(audio_url="")
        )
        rows = _loose_rows(subject, interview_ids, seasons)
        for model, found in rows.items():
            stamp = {"updated_at": timezone.now()} if model is Finding else {}
            for pk, erased in found.items():
                model.objects.filter(pk=pk).update(**erased, **stamp)
        quoting = list(findings_of_interviews(interview_ids))
        refresh_public_quotes(quoting)
        Finding.objects.filter(pk__in=[f.pk for f in quoting]).update(updated_at=timezone.now())
        Erasure.objects.create(
            person_id=person.pk,
            erased_by=subject.by,
            erasers=[shredder.identifier for shredder in subject.shredders],
        )
        memos = len(rows.get(Memo, {}))
        findings = len({f.pk for f in quoting} | set(rows.get(Finding, {})))
        return [
            ngettext("%(count)d interview", "%(count)d interviews", len(interview_ids))
            % {"count": len(interview_ids)},
            ngettext(
                "%(count)d transcript turn rewritten",
                "%(count)d transcript turns rewritten",
                len(segments),
            )
            % {"count": len(segments)},
            ngettext(
                "%(count)d consent withdrawn (signed forms deleted: %(forms)d)",
                "%(count)d consents withdrawn (signed forms deleted: %(forms)d)",
                len(consents),
            )
            % {"count": len(consents), "forms": forms},
            ngettext("%(count)d memo rewritten", "%(count)d memos rewritten", memos)
            % {"count": memos},
            ngettext(
                "%(count)d link to a recording removed",
                "%(count)d links to recordings removed",
                links,
            )
            % {"count": links},
            ngettext("%(count)d finding rewritten", "%(count)d findings rewritten", findings)
            % {"count": findings},
        ]
