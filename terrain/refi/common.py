"""What the REFI-QDA export and import share: namespaces, GUIDs, dates, the text of a source.

Positions in a text source count Unicode code points from 0 (REFI-QDA 1.5, section 10.2), as
QualCoder and pyrefiqda do: a Python `str` index. An "é" typed as one character counts 1, the
decomposed "e" + U+0301 counts 2, an emoji 1, and a ZWJ family such as 👩‍👩‍👧 counts 5. Tools
that count UTF-16 units (NVivo) shift after every emoji; that is their reading, not the standard's.
"""

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..models import Transcript

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = "Observatoire des initiatives coopératives"
SCHEMAS = Path(__file__).resolve().parent.parent / "schemas" / "refi"
RGB = re.compile(r"^#(?:[A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})$")
# REFI-QDA's typeOfVariable, and the element that carries a value of each type.
VALUE_ELEMENTS = {
    "Text": "TextValue",
    "Boolean": "BooleanValue",
    "Integer": "IntegerValue",
    "Float": "FloatValue",
    "Date": "DateValue",
    "DateTime": "DateTimeValue",
}


def stamp(moment: datetime | None) -> str | None:
    """An xsd:dateTime in UTC, or None when the moment is unknown (the attribute is left out)."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def derived_guid(*parts) -> str:
    """A GUID that stays the same from one export to the next for the same row."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "terrain:" + ":".join(str(p) for p in parts)))


def user_guid(user) -> str:
    return derived_guid("user", user.pk)


def user_name(user) -> str:
    return user.get_full_name().strip() or user.get_username()


def clock(ms: int) -> str:
    seconds = ms // 1000
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


@dataclass
class Source:
    transcript: Transcript
    guid: str
    text: str
    offsets: dict  # segment pk -> where its text starts in `text`


def source_text(transcript: Transcript) -> Source:
    """One line per turn, `[hh:mm:ss] Speaker: text`; remembers where each segment's text starts."""
    parts, offsets, length = [], {}, 0
    for segment in transcript.segments.order_by("position"):
        prefix = f"[{clock(segment.start_ms)}] {segment.speaker}: " if segment.speaker else ""
        prefix = prefix or f"[{clock(segment.start_ms)}] "
        offsets[segment.pk] = length + len(prefix)
        line = f"{prefix}{segment.text}\n"
        parts.append(line)
        length += len(line)
    guid = str(transcript.interview.source_guid or derived_guid("transcript", transcript.pk))
    return Source(transcript, guid, "".join(parts), offsets)
