"""An imported plain text cut into transcript turns, and coded spans mapped onto those turns.

REFI-QDA selections are [start, end) code point ranges over the whole text; here a passage is
coded from an offset in one turn (a segment) to an offset in the same or a later turn. Each
non-blank line becomes a turn; a leading `[hh:mm:ss] Speaker:` (what our own export writes) gives
the turn its time and speaker, unless a selection starts inside that prefix (then the whole line
is the turn's text, so that no coded character is lost). A selection that spans several lines
becomes one excerpt over those turns.
"""

from dataclasses import dataclass

from ..services.transcripts import LINE


@dataclass
class Turn:
    offset: int  # where the turn's text starts in the whole text
    speaker: str
    start_ms: int
    text: str

    def as_segment(self, end_ms: int) -> dict:
        return {
            "speaker": self.speaker,
            "start_ms": self.start_ms,
            "end_ms": max(end_ms, self.start_ms),
            "text": self.text,
        }


def _time(match) -> int:
    return (
        int(match["h"] or 0) * 3_600_000
        + int(match["m"]) * 60_000
        + int(match["s"]) * 1000
        + int((match["ms"] or "0").ljust(3, "0"))
    )


def split_turns(text: str, starts=(), sync_points=()) -> list[Turn]:
    """The turns of `text`; `starts` are selection starts, `sync_points` (position, ms) pairs."""
    starts = sorted(starts)
    sync = sorted(sync_points)
    turns, offset, clock = [], 0, 0
    for raw in text.splitlines(keepends=True):
        line = raw.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        body_at, speaker = 0, ""
        match = LINE.match(line)
        if match:
            body_at = match.start("text")
            protected = any(offset <= s < offset + body_at for s in starts)
            if protected:
                body_at = 0
            else:
                speaker, clock = (match["speaker"] or "").strip()[:100], _time(match)
        body = line[body_at:]
        stripped = body.strip()
        if stripped:
            lead = len(body) - len(body.lstrip())
            at = offset + body_at + lead
            moment = clock
            for position, ms in sync:
                if position <= at:
                    moment = ms
            turns.append(Turn(at, speaker, moment, stripped))
        offset += len(raw)
    return turns


def segment_dicts(turns: list[Turn]) -> list[dict]:
    ends = [turn.start_ms for turn in turns[1:]] + [turns[-1].start_ms if turns else 0]
    return [turn.as_segment(end) for turn, end in zip(turns, ends, strict=True)]


def pieces(start: int, end: int, turns: list[Turn], segments: list) -> list[tuple]:
    """[(segment, start, end)] in the segments' own offsets for the [start, end) selection."""
    found = []
    for turn, segment in zip(turns, segments, strict=True):
        lo, hi = max(start, turn.offset), min(end, turn.offset + len(turn.text))
        if lo < hi:
            found.append((segment, lo - turn.offset, hi - turn.offset))
    return found
