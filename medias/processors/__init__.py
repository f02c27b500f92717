"""Processors: pure functions from an input file to outputs, one module per kind, no Celery here.

Each module exposes `process(path, progress, context) -> Output`. `progress(percent, step)` reports
how far it got (a heartbeat of the job, where it learns it was cancelled); `step` is an English
msgid marked with gettext_noop, its values keyword arguments, translated for each reader. A
file that cannot be processed raises ProcessingError with a sentence a person can read.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..messages import translated

Progress = Callable[..., None]  # progress(percent, step, **values)


def no_progress(percent: int, step: str, **values) -> None:
    """The progress callback for callers that do not watch (tests, the benchmark)."""


class ProcessingError(Exception):
    """A file we cannot process.

    `message` is an English sentence for the person, marked with gettext_noop and translated
    when shown; its values are keyword arguments. `detail` is the technical cause (an
    exception's text, which may name paths): for the log and the staff, never other readers.
    `discard` asks the pipeline to delete the stored original: a file refused for what it holds
    (active content) is not kept, as the message tells the person.
    """

    def __init__(self, message: str, *, detail: str = "", discard: bool = False, **params):
        self.message, self.params = str(message), params
        self.detail, self.discard = str(detail), discard
        super().__init__(self.message)

    def __str__(self) -> str:
        text = translated(self.message, self.params)
        return f"{text} ({self.detail})" if self.detail else text


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


NAMES = ("images", "audio_video", "speech", "documents", "transcripts", "pseudonyms")
