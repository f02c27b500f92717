"""Erasing a person everywhere (a GDPR request): the shredders each app registers, run as one.

Modelled on pretix's data shredders. This module knows no app: each app registers, in its
`AppConfig.ready()`, a shredder for what it holds about a person (`register(MyShredder())`).
A shredder says what it holds (`preview`) and erases it (`shred`), each as sentences for the
person who asked. `erase_person` runs every shredder, in their `order`, in one transaction and
returns what each removed; files are deleted once that transaction commits, so a failed erasure
leaves everything as it was. What a shredder cannot know from its own app (the files attached to
an interview) it learns from the others' `related()`: the objects that are about the person.
"""

import json
import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q

from .namematch import Finder

logger = logging.getLogger(__name__)
PLACEHOLDER = "[erased]"
_REGISTRY: dict = {}


class BaseShredder(ABC):
    """What one app erases for a person. Subclasses set the attributes and the two methods."""

    identifier = ""  # short and unique, e.g. "terrain"
    verbose_name = ""  # what it removes, in a few words: "Fieldwork", "Files and recordings"
    description = ""  # a sentence on what becomes of the data
    order = 50  # lower runs first: transcripts before files, files before the sweep of columns
    # Models whose text this shredder rewrites itself, left alone by the sweep of every column.
    handles: tuple[str, ...] = ()

    def related(self, subject) -> list[models.Model]:
        """Objects of this app that are about the person: whatever is attached to them goes too."""
        return []

    @abstractmethod
    def preview(self, subject) -> list[str]:
        """What it holds about the person, as sentences; changes nothing."""

    @abstractmethod
    def shred(self, subject) -> list[str]:
        """Erase it; return what was removed, as sentences."""


def register(shredder: BaseShredder) -> BaseShredder:
    """Add a shredder (once per identifier: a second `ready()` does not run it twice)."""
    if not shredder.identifier:
        raise ValueError("A shredder needs an identifier.")
    _REGISTRY[shredder.identifier] = shredder
    return shredder


def registered() -> list[BaseShredder]:
    return sorted(_REGISTRY.values(), key=lambda s: (s.order, s.identifier))


@dataclass
class Subject:
    """Who is erased and how they are found: what every shredder of one erasure shares.

    `strict` finds their full name (either order), their last name after a title or initial
    ("Mme Langlais", "O. Langlais"), their phone number and e-mail: safe to replace anywhere.
    `loose` finds their first name and last name alone too: for what is theirs (their
    interviews, the files and notes about them), where either alone designates them; elsewhere a
    last name alone is as likely a town's ("Saint-Martin") or another family's.
    """

    person: object
    by: object = None
    strict: Finder = None
    loose: Finder = None
    related: list = field(default_factory=list)
    shredders: list = field(default_factory=list)
    after_commit: list = field(default_factory=list)

    @classmethod
    def of(cls, person, by=None) -> "Subject":
        first, last = person.first_name.strip(), person.last_name.strip()
        if last == PLACEHOLDER:  # erased already: nothing of them is left to find
            first = last = ""
        full = [f"{first} {last}".strip(), f"{last} {first}".strip()] if first and last else []
        phone, email = getattr(person, "phone", ""), getattr(person, "email", "")
        return cls(
            person=person,
            by=by,
            strict=Finder(full, phone=phone, email=email, titled=(first, last)),
            loose=Finder([*full, first, last], phone=phone, email=email, titled=(first, last)),
        )

    def finder(self, loose: bool = False) -> Finder:
        return self.loose if loose else self.strict

    def mentions(self, field_name: str, loose: bool = False) -> Q:
        """Rows whose `field_name` may hold the person (a superset: check with `erase`)."""
        finder = self.finder(loose)
        if finder.empty:
            return Q(pk__in=[])
        return Q(**{f"{field_name}__regex": finder.database})

    def erase(self, text: str, loose: bool = False, replacement=PLACEHOLDER) -> str:
        return self.finder(loose).sub(text, replacement)

    def names(self, text: str, loose: bool = False) -> bool:
        return self.finder(loose).search(text)

    def erase_json(self, value, loose: bool = False):
        """The same JSON value with the person removed from every string in it (keys too)."""
        if isinstance(value, str):
            return self.erase(value, loose)
        if isinstance(value, list):
            return [self.erase_json(item, loose) for item in value]
        if isinstance(value, dict):
            return {self.erase(k, loose): self.erase_json(v, loose) for k, v in value.items()}
        return value

    def erase_bytes(self, content: bytes, mime_type: str, loose: bool = False) -> bytes | None:
        """A text or JSON file's content without the person; None for any other kind of file."""
        if mime_type == "application/json" or mime_type.endswith("+json"):
            value = json.loads(content.decode("utf-8"))
            return json.dumps(self.erase_json(value, loose), ensure_ascii=False).encode()
        if not mime_type.startswith("text/"):
            return None
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return self.erase(content.decode(encoding), loose).encode("utf-8")
            except UnicodeDecodeError:
                continue
        return None

    def owned_by_related(self, owner_type: str = "owner_type", owner_id: str = "owner_id") -> Q:
        """Rows of a generic relation (content type, id) that point at one of `related`."""
        found = Q(pk__in=[])
        by_model: dict = {}
        for obj in self.related:
            by_model.setdefault(type(obj), []).append(str(obj.pk))
        for model, ids in by_model.items():
            content_type = ContentType.objects.get_for_model(model)
            found |= Q(**{owner_type: content_type, f"{owner_id}__in": ids})
        return found

    def delete_file_on_commit(self, storage, name: str) -> None:
        """Delete a stored file once the erasure commits (never if it rolls back)."""
        if name:
            self.after_commit.append((storage, name))


@dataclass
class Section:
    """One shredder's part of a preview or a report."""

    identifier: str
    verbose_name: str
    description: str
    lines: list[str]


@dataclass
class Report:
    person_id: int
    sections: list[Section]

    def lines(self) -> list[str]:
        """The report as text lines (the command prints them)."""
        out = []
        for section in self.sections:
            out.append(f"{section.verbose_name}:")
            out += [f"  - {line}" for line in section.lines] or ["  -"]
        return out


def _subject(person, by=None) -> Subject:
    subject = Subject.of(person, by=by)
    subject.shredders = registered()
    for shredder in subject.shredders:
        subject.related += list(shredder.related(subject))
    return subject


def preview(person) -> Report:
    """What every shredder holds about the person; nothing is changed."""
    subject = _subject(person)
    sections = [
        Section(s.identifier, str(s.verbose_name), str(s.description), s.preview(subject))
        for s in subject.shredders
    ]
    return Report(person.pk, sections)


def erase_person(person, *, by=None) -> Report:
    """Erase a person everywhere, as one operation; returns what each shredder removed."""
    with transaction.atomic():
        person = type(person)._default_manager.select_for_update().get(pk=person.pk)
        subject = _subject(person, by=by)
        sections = []
        for shredder in subject.shredders:
            lines = shredder.shred(subject)
            sections.append(
                Section(shredder.identifier, str(shredder.verbose_name), "", list(lines))
            )
        files = list(subject.after_commit)
        transaction.on_commit(lambda: _delete_files(files))
    return Report(person.pk, sections)


def _delete_files(files) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except Exception:  # a file already gone, a storage that hiccups: the rows are erased
            logger.exception("Could not delete %s after an erasure", name)
