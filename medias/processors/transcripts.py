"""Transcripts: WebVTT, SRT, DOCX and plain text with speakers and time codes, parsed into segments.

A malformed line is reported with its number and the rest is kept; overlapping cues fail the file.
WebVTT cue text is read as the specification says: tags dropped, then character references
(`&amp;`, `&lt;`, `&#233;`) decoded; every voice span (`<v Anna>`) of a cue is a turn of its own,
the cue's time shared between them in proportion to their text. SRT's positioning and style
overrides (`{\\an8}`, `{\\i1}`) are dropped; SRT has no character references, its `&` stays.
Parsing is linear in the text: every pattern is matched against a line's first HEAD characters
only (a time code and a speaker's name are short), none nests a quantifier inside another, and
what follows the matched head is taken as it is. A 1 MB line costs what its length costs.
"""

import functools
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import Derived, Output, ProcessingError, Progress, no_progress

HEAD = 200  # characters of a line the patterns look at: time codes, a speaker, a voice tag
TIME = r"(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?"
SPACE = r"[ \t]{0,20}"  # bounded runs: a pattern never tries every split of a long blank run
CUE = re.compile(rf"^{SPACE}{TIME}{SPACE}-->{SPACE}{TIME}(?:[ \t]|$)")
# "[00:12:03] Speaker: text" and "Speaker (00:12:03): text": the head up to the text.
BRACKETED = re.compile(rf"^\[{SPACE}{TIME}{SPACE}\]{SPACE}([^:\[\]]{{1,80}}?){SPACE}:{SPACE}")
PARENTHESISED = re.compile(rf"^([^:()\[\]]{{1,80}}?){SPACE}\({SPACE}{TIME}{SPACE}\){SPACE}:{SPACE}")
CLOCK = re.compile(r"\d:\d")  # what a time code has that prose rarely has
VOICE = re.compile(r"^<v(?:\.[^\s>]{0,40})?[ \t]{1,20}([^>]{1,100})>")
SPEAKER_PREFIX = re.compile(rf"^([A-ZÀ-Ý][\w .'-]{{0,60}}?){SPACE}:[ \t]{{1,20}}")
TAGS = re.compile(r"<[^<>]{1,200}>")  # stops at the next "<": each character is looked at once
TAGS_KEPT = re.compile(f"({TAGS.pattern})")  # the same, kept by split() between the texts
VOICE_END = "</v>"
# SSA/ASS override blocks that SRT files carry: `{\an8}` (top centre), `{\pos(10,20)}`, `{\i1}`.
SRT_OVERRIDES = re.compile(r"\{\\[^{}]{0,200}\}")  # stops at the next brace, like TAGS
# A character reference, bounded: html.unescape alone raises on "&#" and a million digits.
REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});?")
MAX_TEXT_CHARS = 5_000_000


def looks_timed(line: str) -> bool:
    """Whether a line that no pattern read was meant as a time code: say so instead of merging it.

    "[... 12:03 ...]" or "Name (... 12:03 ...):" within the line's head, found with plain string
    searches (the regular expression this replaces was quadratic on "[111...").
    """
    head = line[:HEAD]
    if head.startswith("["):
        end = head.find("]")
        return end > 0 and bool(CLOCK.search(head, 1, end))
    opening = head.find("(")
    if not 0 < opening <= 80 or ":" in head[:opening]:
        return False
    closing = head.find(")", opening)
    return (
        closing > 0
        and bool(CLOCK.search(head, opening, closing))
        and head[closing + 1 :].lstrip().startswith(":")
    )


@dataclass
class Parsed:
    segments: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)  # {"line": n, "message": str}

    def error(self, line: int, message: str) -> None:
        self.errors.append({"line": line, "message": message})


def to_ms(hours, minutes, seconds, fraction) -> int:
    hours, minutes, seconds = int(hours or 0), int(minutes), int(seconds)
    if minutes > 59 or seconds > 59:
        raise ValueError("out of range")
    fraction_ms = int((fraction or "0").ljust(3, "0"))
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + fraction_ms


def _voices(text: str) -> list[tuple[str, str]]:
    """[(speaker, text)] in the order of the cue's voice spans; text outside any span is a turn
    without a speaker. A `<v>` that opens while another is open starts the next voice: in
    transcripts a new voice tag means a new speaker, whatever the nesting."""
    pieces = TAGS_KEPT.split(text)  # text, tag, text, tag, ..., text
    runs: list[tuple[str, str]] = []  # tuples of strings only: nothing for the GC to walk
    speaker, parts = "", [pieces[0]]
    for index in range(1, len(pieces), 2):
        tag = pieces[index]
        voice = VOICE.match(tag) if tag.startswith("<v") else None
        if voice or tag == VOICE_END:
            runs.append((speaker, "".join(parts)))
            speaker, parts = (voice.group(1).strip() if voice else ""), []
        parts.append(pieces[index + 1])
    runs.append((speaker, "".join(parts)))
    return runs


def _turns(lines: list[str], webvtt: bool) -> list[tuple[str, str]]:
    """The cue's speaker turns: its voices, or one turn with a `Speaker:` prefix or none."""
    text = " ".join(line.strip() for line in lines if line.strip())
    if not webvtt:
        text = SRT_OVERRIDES.sub("", text)
    decode = _decode if webvtt else str
    # Tags are dropped before references are decoded: `&lt;b&gt;` is the text "<b>", not a tag.
    turns = [
        (decode(speaker), decode(" ".join(content.split()))) for speaker, content in _voices(text)
    ]
    voiced = [turn for turn in turns[1:] if turn[1]] if len(turns) > 1 else []
    if turns[0][1] and voiced:
        voiced.insert(0, turns[0])
    if voiced:
        return _merge(voiced)
    if len(turns) > 1:  # voice tags without text: the first voice, as a turn without words
        return [(next((speaker for speaker, _t in turns if speaker), ""), "")]
    content = turns[0][1]
    if prefix := SPEAKER_PREFIX.match(content[:HEAD]):
        return [(prefix.group(1).strip(), content[prefix.end() :].strip())]
    return [("", content)]


def _decode(text: str) -> str:
    """WebVTT's character references, decoded as HTML decodes them (`&amp;`, `&#233;`)."""
    if "&" not in text:
        return text
    return REFERENCE.sub(lambda reference: _reference(reference.group()), text)


# A transcript repeats the same few references (`&amp;`, `&eacute;`): each decoded once.
_reference = functools.lru_cache(maxsize=1024)(html.unescape)


def _merge(turns: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Consecutive runs of one speaker (`<v Anna>a</v> <v Anna>b`) are one turn; joined once, at
    the end, so that a million runs cost what their text costs."""
    merged: list[tuple[str, str]] = []
    speaker, parts = turns[0][0], []
    for who, content in turns:
        if who != speaker:
            merged.append((speaker, " ".join(parts)))
            speaker, parts = who, []
        parts.append(content)
    merged.append((speaker, " ".join(parts)))
    return merged


def _shares(start: int, end: int, turns: list[tuple[str, str]]) -> list[tuple[int, int]]:
    """The cue's time cut between its turns in proportion to their text: one after the other,
    never overlapping, the last ending with the cue."""
    total = sum(max(len(content), 1) for _s, content in turns)
    bounds, done = [start], 0
    for _speaker, content in turns:
        done += max(len(content), 1)
        bounds.append(start + (end - start) * done // total)
    return list(zip(bounds, bounds[1:], strict=False))


def _blocks(lines: list[str]):
    """(first line number, [(number, line), ...]) for each run of non-blank lines."""
    block: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            block.append((number, line))
        elif block:
            yield block
            block = []
    if block:
        yield block


def parse_cues(text: str) -> Parsed:
    """WebVTT and SRT: blocks of an optional id, a `start --> end` line and text lines."""
    parsed = Parsed()
    text = text.lstrip("\ufeff")
    webvtt = text.startswith("WEBVTT")
    for block in _blocks(text.splitlines()):
        first = block[0][1]
        if first.startswith(("WEBVTT", "NOTE", "STYLE", "REGION")):
            continue
        timing = next((i for i, (_n, line) in enumerate(block[:2]) if "-->" in line), None)
        if timing is None:
            number, line = block[0]
            parsed.error(
                number, _("Not a cue (no start --> end line): %(line)s") % {"line": line[:80]}
            )
            continue
        number, line = block[timing]
        match = CUE.match(line[:HEAD])
        try:
            if not match:
                raise ValueError(line)
            start, end = to_ms(*match.groups()[:4]), to_ms(*match.groups()[4:])
        except ValueError:
            parsed.error(number, _("Impossible time line: %(line)s") % {"line": line[:80]})
            continue
        if end < start:
            parsed.error(number, _("The cue ends before it starts: %(line)s") % {"line": line[:80]})
            continue
        turns = _turns([body for _n, body in block[timing + 1 :]], webvtt)
        for (speaker, content), (begins, ends) in zip(
            turns, _shares(start, end, turns), strict=True
        ):
            parsed.segments.append(
                {"speaker": speaker, "start_ms": begins, "end_ms": ends, "text": content,
                 "line": number}
            )  # fmt: skip
    return parsed


def parse_lines(lines: list[str]) -> Parsed:
    """Plain text or DOCX paragraphs: `[00:12:03] Speaker: text` or `Speaker (00:12:03): text`.

    A line without a time code continues the turn before it.
    """
    parsed = Parsed()
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        head = line[:HEAD]
        if match := BRACKETED.match(head):
            time_groups, speaker = match.groups()[:4], match.group(5)
        elif match := PARENTHESISED.match(head):
            speaker, time_groups = match.group(1), match.groups()[1:5]
        else:
            if looks_timed(line):
                parsed.error(
                    number, _("Unreadable time code or speaker: %(line)s") % {"line": line[:80]}
                )
            elif parsed.segments:
                parsed.segments[-1]["text"] = f"{parsed.segments[-1]['text']} {line}".strip()
            else:
                parsed.error(
                    number, _("Text before the first time code: %(line)s") % {"line": line[:80]}
                )
            continue
        content = line[match.end() :]
        try:
            start = to_ms(*time_groups)
        except ValueError:
            parsed.error(number, _("Impossible time code: %(line)s") % {"line": line[:80]})
            continue
        parsed.segments.append(
            {
                "speaker": speaker.strip(),
                "start_ms": start,
                "end_ms": None,
                "text": content.strip(),
                "line": number,
            }
        )
    # A turn lasts until the next one starts; the last one is given its own start.
    for current, following in zip(parsed.segments, parsed.segments[1:], strict=False):
        current["end_ms"] = max(current["start_ms"], following["start_ms"])
    if parsed.segments:
        parsed.segments[-1]["end_ms"] = parsed.segments[-1]["start_ms"]
    return parsed


def parse_text(text: str) -> Parsed:
    """Choose the parser by the shape of the text: cues if it has `-->` time lines."""
    head = text.lstrip("\ufeff")[:2000]
    if head.startswith("WEBVTT") or any(CUE.match(line[:HEAD]) for line in head.splitlines()[:5]):
        return parse_cues(text)
    return parse_lines(text.splitlines())


def overlaps(segments: list[dict]) -> list[tuple[int, int]]:
    """Line numbers of cues that start before the previous one ended."""
    return [
        (before["line"], after["line"])
        for before, after in zip(segments, segments[1:], strict=False)
        if after["start_ms"] < before["end_ms"]
    ]


def read_text(path: Path) -> str:
    path = Path(path)
    if path.stat().st_size > MAX_TEXT_CHARS * 4:
        raise ProcessingError(gettext_noop("The transcript is too long to be read as one text."))
    raw = path.read_bytes()
    if raw.startswith(b"PK"):
        from .documents import docx_paragraphs

        return "\n".join(docx_paragraphs(path))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ProcessingError(gettext_noop("The transcript is neither UTF-8 nor Windows-1252 text."))


def process(path: Path, progress: Progress = no_progress, context: dict | None = None) -> Output:
    progress(10, gettext_noop("Reading the transcript"))
    text = read_text(path)
    progress(40, gettext_noop("Finding speakers and time codes"))
    parsed = parse_text(text)
    if clashes := overlaps(parsed.segments):
        listed = ", ".join(f"{a}/{b}" for a, b in clashes[:10])
        raise ProcessingError(
            gettext_noop(
                "%(count)s cues overlap the one before them (lines %(lines)s): fix their times."
            ),
            count=len(clashes),
            lines=listed,
        )
    if not parsed.segments:
        raise ProcessingError(
            gettext_noop("No time-coded speaker turn was found in this transcript.")
        )
    segments = [{k: v for k, v in s.items() if k != "line"} for s in parsed.segments]
    full_text = "\n".join(
        f"{s['speaker']}: {s['text']}" if s["speaker"] else s["text"] for s in segments
    )
    return Output(
        metadata={"segments": len(segments), "errors": parsed.errors[:200]},
        derived=[
            Derived(
                "segments", json.dumps(segments, ensure_ascii=False).encode(), "application/json"
            )
        ],
        text=full_text,
        records={"segments": segments, "errors": parsed.errors},
    )
