"""Coding: excerpts with their codes; the codebook's codes merged and moved."""

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Code, Excerpt, Memo, Segment
from .agreement import refuse_if_locked
from .errors import TerrainError


@transaction.atomic
def code_excerpt(segment: Segment, start: int, end: int, codes, *, coder, memo="") -> Excerpt:
    """Apply codes to characters [start, end) of a segment; a coder's same span is one excerpt."""
    start, end = int(start), int(end)
    if not 0 <= start < end <= len(segment.text):
        raise TerrainError(_("The selected passage is not inside the segment."))
    codes = list(codes)
    season_id = segment.transcript.interview.visit.season_id
    if not codes:
        raise TerrainError(_("Choose at least one code."))
    if any(code.season_id != season_id for code in codes):
        raise TerrainError(_("A code of another season cannot be applied here."))
    if any(not code.is_codable for code in codes):
        raise TerrainError(_("A category groups codes: a passage is coded with one of its codes."))
    refuse_if_locked(segment.transcript.interview_id, coder)
    excerpt, _created = Excerpt.objects.get_or_create(
        segment=segment,
        start=start,
        end=end,
        coder=coder,
        defaults={"text": segment.text[start:end]},
    )
    excerpt.codes.add(*codes)
    if memo.strip():
        Memo.objects.create(excerpt=excerpt, text=memo.strip(), author=coder)
    return excerpt


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
    for excerpt in source.excerpts.all():
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


def _is_descendant(candidate: Code, ancestor: Code) -> bool:
    node, seen = candidate, set()
    while node is not None and node.pk not in seen:
        if node.parent_id == ancestor.pk:
            return True
        seen.add(node.pk)
        node = node.parent
    return False
