"""Fieldwork: seasons, visits, interviews, consent, transcripts, coding and findings."""

from .access import AccessLog, Erasure
from .agreement import DoubleCoder, DoubleCoding, Settlement
from .cases import Attribute, AttributeKind, AttributeValue, Known
from .coding import AudioExcerpt, Code, CodebookVersion, Excerpt, Memo
from .consent import Consent, Naming
from .fieldwork import Interview, Interviewee, Season, Visit
from .findings import Finding, FindingExcerpt, FindingState
from .refi import Case, CaseKind, CodeSet
from .transcripts import PseudonymChange, Segment, Transcript

__all__ = [
    "AccessLog",
    "Attribute",
    "AttributeKind",
    "AttributeValue",
    "AudioExcerpt",
    "Case",
    "CaseKind",
    "Code",
    "CodeSet",
    "CodebookVersion",
    "Consent",
    "DoubleCoder",
    "DoubleCoding",
    "Erasure",
    "Excerpt",
    "Finding",
    "FindingExcerpt",
    "FindingState",
    "Interview",
    "Interviewee",
    "Known",
    "PseudonymChange",
    "Memo",
    "Naming",
    "Season",
    "Settlement",
    "Segment",
    "Transcript",
    "Visit",
]
