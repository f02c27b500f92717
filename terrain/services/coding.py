"""Coding: excerpts with their codes; the codebook's codes merged and moved."""

from django.db import transaction
from django.utils.translation import gettext as _

from medias.selectors import latest_rendition

from ..models import AudioExcerpt, Code, Excerpt, Interview, Memo, Segment
from .agreement import refuse_if_locked
from .errors import TerrainError


def _check_codes(codes, season_id) -> list:
    codes = list(codes)
    if not codes:
        raise TerrainError(_("Choose at least one code."))
    if any(code.season_id != season_id for code in codes):
        raise TerrainError(_("A code of another season cannot be applied here."))
    if any(not code.is_codable for code in codes):
        raise TerrainError(_("A category groups codes: a passage is coded with one of its codes."))
    return codes


@transaction.atomic
def code_excerpt(
    segment: Segment, start: int, end: int, codes, *, coder, memo="", end_segment=None
) -> Excerpt:
    """Apply codes to characters [start, end) of a segment, or, with `end_segment`, to the
    passage from `start` in `segment` to `end` in that later segment of the same transcript.
    A coder's same passage is one excerpt."""
    start, end = int(start), int(end)
    if end_segment is not None and end_segment.pk == segment.pk:
        end_segment = None
    if end_segment is None:
        if not 0 <= start < end <= len(segment.text):
            raise TerrainError(_("The selected passage is not inside the segment."))
    else:
        if (
            end_segment.transcript_id != segment.transcript_id
            or end_segment.position < segment.position
        ):
            raise TerrainError(_("The selected passage must run forward in one transcript."))
        if not (0 <= start <= len(segment.text) and 0 <= end <= len(end_segment.text)):
            raise TerrainError(_("The selected passage is not inside the segments."))
        if start == len(segment.text) or end == 0:
            # A selection that starts at a turn's very end or ends at one's very start: trim it.
            return _trimmed(segment, start, end, end_segment, codes, coder=coder, memo=memo)
    codes = _check_codes(codes, segment.transcript.interview.visit.season_id)
    refuse_if_locked(segment.transcript.interview_id, coder)
    excerpt = Excerpt(segment=segment, end_segment=end_segment, start=start, end=end)
    excerpt.text = excerpt.text_of()
    excerpt, _created = Excerpt.objects.get_or_create(
        segment=segment,
        end_segment=end_segment,
        start=start,
        end=end,
        coder=coder,
        defaults={"text": excerpt.text},
    )
    excerpt.codes.add(*codes)
    if memo.strip():
        Memo.objects.create(excerpt=excerpt, text=memo.strip(), author=coder)
    return excerpt


def _trimmed(segment, start, end, end_segment, codes, *, coder, memo):
    turns = list(
        segment.transcript.segments.filter(
            position__gte=segment.position, position__lte=end_segment.position
        ).order_by("position")
    )
    if start == len(segment.text):
        turns.pop(0)
        start = 0
    if end == 0 and turns:
        turns.pop()
        end = len(turns[-1].text) if turns else 0
    if not turns:
        raise TerrainError(_("The selected passage is empty."))
    last = turns[-1] if len(turns) > 1 else None
    return code_excerpt(turns[0], start, end, codes, coder=coder, memo=memo, end_segment=last)


@transaction.atomic
def create_code(season, name: str, parent: Code | None = None) -> tuple[Code, bool]:
    """(the code named so in the season's codebook, whether it is new); a new code goes last."""
    name = " ".join(str(name or "").split())
    if not name:
        raise TerrainError(_("A code needs a name."))
    max_length = Code._meta.get_field("name").max_length
    if len(name) > max_length:
        raise TerrainError(_("A code's name has at most %(n)d characters.") % {"n": max_length})
    existing = season.codes.filter(name__iexact=name, is_codable=True).first()
    if existing is not None:
        return existing, False
    last = season.codes.filter(parent=parent).order_by("-position").first()
    code = Code.objects.create(
        season=season, name=name, parent=parent, position=(last.position + 1) if last else 0
    )
    return code, True


# The waveform and the clocks are read to a tenth of a second; a range may end up to one second
# past the measured length (rounding of the rendition's duration), not beyond.
RECORDING_END_SLACK_MS = 1000


def recording_length_ms(interview: Interview) -> int | None:
    """The length of the interview's playable recording as its processing measured it, or None
    (no uploaded recording processed yet, or only an audio URL)."""
    rendition = latest_rendition(interview, "rendition-audio")
    if rendition is None:
        return None
    seconds = (rendition.media.metadata.get("audio_video") or {}).get("duration")
    return round(seconds * 1000) if seconds else None


@transaction.atomic
def code_recording(interview: Interview, start_ms: int, end_ms: int, codes, *, coder):
    """Apply codes to a time range of the interview's recording (marked on its waveform)."""
    start_ms, end_ms = int(start_ms), int(end_ms)
    if not 0 <= start_ms < end_ms:
        raise TerrainError(_("The selected time range is empty or reversed."))
    length_ms = recording_length_ms(interview)
    if length_ms is not None and end_ms > length_ms + RECORDING_END_SLACK_MS:
        raise TerrainError(
            _("The time range ends after the end of the recording (%(length)s).")
            % {"length": AudioExcerpt.clock(length_ms)}
        )
    codes = _check_codes(codes, interview.visit.season_id)
    excerpt, _created = AudioExcerpt.objects.get_or_create(
        interview=interview, start_ms=start_ms, end_ms=end_ms, coder=coder
    )
    excerpt.codes.add(*codes)
    return excerpt


@transaction.atomic
def uncode_recording(excerpt: AudioExcerpt, code: Code) -> None:
    excerpt.codes.remove(code)
    if not excerpt.codes.exists():
        excerpt.delete()


@transaction.atomic
def uncode_excerpt(excerpt: Excerpt, code: Code) -> None:
    """Remove a code from an excerpt; an excerpt left without codes and findings goes away."""
    refuse_if_locked(excerpt.segment.transcript.interview_id, excerpt.coder)
    excerpt.codes.remove(code)
    if not excerpt.codes.exists() and not excerpt.findings.exists():
        excerpt.memos.all().delete()
        excerpt.delete()


@transaction.atomic
def merge_codes(source: Code, into: Code) -> Code:
    """Move everything of `source` (excerpts, memos, children) into `into`, then delete it."""
    if source.pk == into.pk:
        raise TerrainError(_("A code cannot be merged into itself."))
    if source.season_id != into.season_id:
        raise TerrainError(_("Codes of different seasons cannot be merged."))
    if _is_descendant(into, source):
        raise TerrainError(_("A code cannot be merged into one of its own sub-codes."))
    # Re-pointed, not copied: an excerpt coded with both keeps one coding.
    for excerpt in source.excerpts.all():
        excerpt.codes.add(into)
    for excerpt in source.audio_excerpts.all():
        excerpt.codes.add(into)
    Memo.objects.filter(code=source).update(code=into)
    Code.objects.filter(parent=source).update(parent=into)
    if not into.definition and source.definition:
        into.definition = source.definition
        into.save(update_fields=["definition"])
    source.delete()
    return into


@transaction.atomic
def move_code(code: Code, parent: Code | None, position: int | None = None) -> Code:
    """Put a code under another (or at the top when `parent` is None)."""
    if parent is not None:
        if parent.season_id != code.season_id:
            raise TerrainError(_("A code cannot move to another season's codebook."))
        if parent.pk == code.pk or _is_descendant(parent, code):
            raise TerrainError(_("A code cannot move under itself or one of its sub-codes."))
    code.parent = parent
    if position is not None:
        code.position = position
    code.save(update_fields=["parent", "position"])
    return code


def _siblings(season_id, parent_id, without=None) -> list[Code]:
    rows = Code.objects.filter(season_id=season_id, parent_id=parent_id).order_by(
        "position", "name"
    )
    return [code for code in rows if without is None or code.pk != without.pk]


@transaction.atomic
def place_code(code: Code, parent: Code | None, index: int) -> Code:
    """Put a code under `parent` (None: at the top) at `index` among its siblings; the
    siblings are numbered again 0, 1, 2… so that the order is what the person sees."""
    code = Code.objects.select_for_update().get(pk=code.pk)
    if parent is not None:
        if parent.season_id != code.season_id:
            raise TerrainError(_("A code cannot move to another season's codebook."))
        if parent.pk == code.pk or _is_descendant(parent, code):
            raise TerrainError(_("A code cannot move under itself or one of its sub-codes."))
    siblings = _siblings(code.season_id, parent.pk if parent else None, without=code)
    index = max(0, min(int(index), len(siblings)))
    siblings.insert(index, code)
    code.parent = parent
    for position, sibling in enumerate(siblings):
        sibling.position = position
        if sibling.pk == code.pk:
            sibling.parent = parent
    Code.objects.bulk_update(siblings, ["position", "parent"])
    return code


SHIFTS = ("up", "down", "indent", "outdent")


def shift_code(code: Code, shift: str) -> Code:
    """One keyboard step in the codebook: up or down among its siblings, indent (under the
    sibling above, last) or outdent (beside its parent, just after it)."""
    siblings = _siblings(code.season_id, code.parent_id)
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == code.pk)
    if shift == "up":
        if index == 0:
            raise TerrainError(_("This code is already first at its level."))
        return place_code(code, code.parent, index - 1)
    if shift == "down":
        if index == len(siblings) - 1:
            raise TerrainError(_("This code is already last at its level."))
        return place_code(code, code.parent, index + 1)
    if shift == "indent":
        if index == 0:
            raise TerrainError(_("There is no code above at this level to put it under."))
        above = siblings[index - 1]
        return place_code(code, above, len(_siblings(code.season_id, above.pk)))
    if shift == "outdent":
        if code.parent is None:
            raise TerrainError(_("This code is already at the top level."))
        parent = code.parent
        around = _siblings(code.season_id, parent.parent_id)
        at = next(i for i, sibling in enumerate(around) if sibling.pk == parent.pk)
        return place_code(code, parent.parent, at + 1)
    raise TerrainError(_("Unknown move."))


def _is_descendant(candidate: Code, ancestor: Code) -> bool:
    node, seen = candidate, set()
    while node is not None and node.pk not in seen:
        if node.parent_id == ancestor.pk:
            return True
        seen.add(node.pk)
        node = node.parent
    return False
