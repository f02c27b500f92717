"""Processors: pure functions from an input file to outputs, one module per kind, no Celery here.

Each module exposes `process(path, progress, context) -> Output`. `progress(percent, step)` reports
how far it got (and is where a job learns it was cancelled); a file that cannot be processed
raises ProcessingError with a sentence a person can read.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

Progress = Callable[[int, str], None]


def no_progress(percent: int, step: str) -> None:
    """The progress callback for callers that do not watch (tests, the benchmark)."""


class ProcessingError(Exception):
    """A file we cannot process; the message says why, for the job board."""


@dataclass
class Derived:
    """One output file: `content` is bytes or the path of a temporary file to store."""

    name: str
    content: bytes | Path
    mime_type: str
    public: bool = False
    metadata: dict = field(default_factory=dict)


@dataclass
class Output:
    metadata: dict = field(default_factory=dict)
    derived: list[Derived] = field(default_factory=list)
    text: str | None = None
    # What a processor hands to the domain: transcript segments, pseudonym suggestions, ...
    records: dict = field(default_factory=dict)


def processor_module(name: str):
    """The module of a processor by its name (images, audio_video, documents, ...)."""
    from importlib import import_module

    if name not in NAMES:
        raise KeyError(name)
    return import_module(f"medias.processors.{name}")


NAMES = ("images", "audio_video", "documents", "transcripts", "pseudonyms")
