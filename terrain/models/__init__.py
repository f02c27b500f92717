"""Fieldwork: seasons, visits, interviews, consent, transcripts, coding and findings."""

from .access import AccessLog, Erasure
from .coding import AudioExcerpt, Code, CodebookVersion, Excerpt, Memo
from .consent import Consent, Naming
from .fieldwork import Interview, Interviewee, Season, Visit
from .findings import Finding, FindingExcerpt, FindingState
from .refi import Case, CodeSet
from .transcripts import PseudonymChange, Segment, Transcript

__all__ = [
    "AccessLog",
    "AudioExcerpt",
    "Case",
    "Code",
    "CodeSet",
    "CodebookVersion",
    "Consent",
    "Erasure",
    "Excerpt",
    "Finding",
    "FindingExcerpt",
    "FindingState",
    "Interview",
    "Interviewee",
    "PseudonymChange",
    "Memo",
    "Naming",
    "Season",
    "Segment",
    "Transcript",
    "Visit",
]
