"""A transcript as subtitle files: WebVTT (what OHMS and the players read) and SRT.

Written from the stored segments, so after pseudonymisation, one cue per segment in their order.
WebVTT carries the speaker as a voice span (`<v Anna>…</v>`) and escapes `&`, `<`, `>` as
character references, as its specification requires. SRT has neither voices nor references: the
speaker is written as a `Anna: ` prefix, the convention subtitle editors read and show, and the
text is left as typed.

A segment without a duration (the last turn of a plain-text transcript ends where it starts)
would be an invisible cue: it lasts until the next segment starts, or, for the last one, about as
long as its text takes to say (15 characters a second, at least a second).
"""

from collections.abc import Iterable

CHARACTERS_PER_SECOND = 15
SHORTEST_MS = 1000


def _times(segments: list) -> list[tuple[int, int]]:
    times = []
    for index, segment in enumerate(segments):
        start, end = segment.start_ms, segment.end_ms
        if end <= start:
            following = segments[index + 1].start_ms if index + 1 < len(segments) else None
            spoken = max(SHORTEST_MS, len(segment.text) * 1000 // CHARACTERS_PER_SECOND)
            end = following if following is not None and following > start else start + spoken
        times.append((start, end))
    return times


def _clock(ms: int, separator: str) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def _lines(text: str) -> str:
    """The text without blank lines: a blank line would end the cue in both formats."""
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _escape(text: str) -> str:
    # `>` too: `-->` may not appear in WebVTT cue text.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def webvtt(segments: Iterable) -> str:
    segments = [s for s in segments if _lines(s.text)]
    cues = ["WEBVTT\n"]
    for number, (segment, (start, end)) in enumerate(
        zip(segments, _times(segments), strict=True), start=1
    ):
        text = _escape(_lines(segment.text))
        speaker = _escape(" ".join(segment.speaker.split()))
        if speaker:
            text = f"<v {speaker}>{text}</v>"
        cues.append(f"{number}\n{_clock(start, '.')} --> {_clock(end, '.')}\n{text}\n")
    return "\n".join(cues)


def srt(segments: Iterable) -> str:
    segments = [s for s in segments if _lines(s.text)]
    cues = []
    for number, (segment, (start, end)) in enumerate(
        zip(segments, _times(segments), strict=True), start=1
    ):
        text = _lines(segment.text)
        speaker = " ".join(segment.speaker.split())
        if speaker:
            text = f"{speaker}: {text}"
        cues.append(f"{number}\n{_clock(start, ',')} --> {_clock(end, ',')}\n{text}\n")
    return "\n".join(cues)
