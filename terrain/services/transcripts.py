"""Transcripts: segments imported (from a parser or a paste), edited, kept aligned with excerpts."""

import re

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Excerpt, Segment, Transcript
from .erasure import move_span, span_in, touching_excerpts
from .errors import TerrainError

# "[00:12:03] Speaker: text", "[12:03] Speaker: text", "00:12:03 Speaker: text"
LINE = re.compile(
    r"^\s*\[?(?:(?P<h>\d{1,2}):)?(?P<m>\d{1,2}):(?P<s>\d{2})(?:[.,](?P<ms>\d{1,3}))?\]?\s*"
    r"(?:(?P<speaker>[^:\n]{1,100}?)\s*:\s+)?(?P<text>.*)$"
)


def parse_pasted_transcript(pasted: str) -> list[dict]:
    """Lines like `[00:12:03] Speaker: text` as segment dicts; untimed lines continue the turn."""
    turns: list[dict] = []
    for raw in pasted.splitlines():
        line = raw.strip()
        if not line:
            continue
        match = LINE.match(line)
        if match:
            start = (
                int(match["h"] or 0) * 3_600_000
                + int(match["m"]) * 60_000
                + int(match["s"]) * 1000
                + int((match["ms"] or "0").ljust(3, "0"))
            )
            speaker = (match["speaker"] or (turns[-1]["speaker"] if turns else "")).strip()
            turns.append({"speaker": speaker, "start_ms": start, "end_ms": start, "text": ""})
            line = match["text"].strip()
            if not line:
                continue
        elif not turns:
            turns.append({"speaker": "", "start_ms": 0, "end_ms": 0, "text": ""})
        last = turns[-1]
        last["text"] = f"{last['text']} {line}".strip() if last["text"] else line
    for turn, following in zip(turns, turns[1:], strict=False):
        turn["end_ms"] = max(turn["start_ms"], following["start_ms"])
    return [turn for turn in turns if turn["text"]]


def _clean(segments: list[dict]) -> list[tuple[str, int, int, str]]:
    rows = []
    for index, item in enumerate(segments, start=1):
        try:
            start, end = int(item.get("start_ms") or 0), int(item.get("end_ms") or 0)
        except (TypeError, ValueError) as exc:
            raise TerrainError(
                _("Segment %(n)d has times that are not numbers.") % {"n": index}
            ) from exc
        if start < 0 or end < start:
            raise TerrainError(_("Segment %(n)d ends before it starts.") % {"n": index})
        text = str(item.get("text") or "").strip()
        if text:
            rows.append((str(item.get("speaker") or "").strip()[:100], start, end, text))
    return rows


@transaction.atomic
def import_segments(transcript: Transcript, segments: list[dict]) -> list[Segment]:
    """Replace the transcript's segments with these (dicts: speaker, start_ms, end_ms, text).

    Idempotent: the same list twice leaves the same rows. A transcript that is already coded
    keeps its segments (the excerpts point into them) unless the list is the same.
    """
    transcript = Transcript.objects.select_for_update().get(pk=transcript.pk)
    rows = _clean(segments)
    existing = list(transcript.segments.order_by("position"))
    if [(s.speaker, s.start_ms, s.end_ms, s.text) for s in existing] == rows:
        return existing
    if Excerpt.objects.filter(segment__transcript=transcript).exists():
        raise TerrainError(
            _(
                "This transcript is already coded; its segments can be edited one by one, "
                "not replaced."
            )
        )
    transcript.segments.all().delete()
    people = list(transcript.interview.people.select_related("person"))
    created = Segment.objects.bulk_create(
        Segment(
            transcript=transcript,
            position=position,
            speaker=speaker,
            interviewee=_match_speaker(speaker, people),
            start_ms=start,
            end_ms=end,
            text=text,
        )
        for position, (speaker, start, end, text) in enumerate(rows)
    )
    transcript.save(update_fields=["updated_at"])
    return created


def _match_speaker(label: str, people):
    wanted = label.strip().casefold()
    if not wanted:
        return None
    for interviewee in people:
        if wanted in interviewee.labels():
            return interviewee
    return None


@transaction.atomic
def edit_segment(segment: Segment, *, text=None, speaker=None, start_ms=None, end_ms=None):
    """Change a segment; its excerpts follow their text (or are clipped to what remains)."""
    if start_ms is not None:
        segment.start_ms = int(start_ms)
    if end_ms is not None:
        segment.end_ms = int(end_ms)
    if segment.end_ms < segment.start_ms:
        raise TerrainError(_("A segment cannot end before it starts."))
    if speaker is not None:
        segment.speaker = speaker.strip()[:100]
        people = list(segment.transcript.interview.people.select_related("person"))
        segment.interviewee = _match_speaker(segment.speaker, people)
    if text is not None and text.strip() != segment.text:
        text = text.strip()
        if not text:
            raise TerrainError(_("A segment needs some text."))
        old = segment.text
        for excerpt in touching_excerpts(segment).select_related("segment", "end_segment"):
            start, end = _follow(old, text, *span_in(excerpt, segment, len(old)))
            move_span(excerpt, segment, start, end)
            excerpt.text = excerpt.text_of(texts={segment.pk: text})
            excerpt.save(update_fields=["start", "end", "text"])
        segment.text = text
    segment.save()
    return segment


def _follow(old: str, new: str, start: int, end: int) -> tuple[int, int]:
    """Where the words [start, end) of `old` are in `new`: the same words nearest to where they
    were; a passage running to the end (or from the start) of the turn keeps doing so when the
    turn still ends (or starts) with its words. Words that are gone: clipped to what remains."""
    piece = old[start:end]
    if start == 0 and end == len(old):
        return 0, len(new)
    if end == len(old) and start > 0 and new.endswith(piece):
        return len(new) - len(piece), len(new)
    if start == 0 and new.startswith(piece):
        return 0, len(piece)
    found = _nearest(new, piece, start)
    if found is None:
        start = min(start, len(new) - 1)
        return start, max(start + 1, min(end, len(new)))
    return found, found + len(piece)


def _nearest(text: str, piece: str, near: int) -> int | None:
    positions = [m.start() for m in re.finditer(re.escape(piece), text)] if piece else []
    return min(positions, key=lambda p: abs(p - near)) if positions else None
