"""Reading a REFI-QDA archive safely: bounded entries, dates, tag names, coded selections."""

import shutil
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from ..services import TerrainError


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def moment_of(element) -> datetime | None:
    for attribute in ("creationDateTime", "modifiedDateTime"):
        try:
            moment = parse_datetime((element.get(attribute) or "").strip())
        except ValueError:
            moment = None
        if moment is not None:
            return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)
    return None


@dataclass
class Selection:
    guid: str | None
    start: int
    end: int
    user: str | None
    moment: datetime | None
    codes: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    description: str = ""


def read_entry(archive, info, limit: int) -> bytes:
    if info.file_size > limit:
        raise TerrainError(_("%(name)s is too large.") % {"name": info.filename})
    try:
        with archive.open(info) as stream:
            data = stream.read(limit + 1)
    except (zipfile.BadZipFile, RuntimeError, OSError, EOFError) as exc:
        raise TerrainError(_("%(name)s cannot be read.") % {"name": info.filename}) from exc
    if len(data) > limit:
        raise TerrainError(_("%(name)s is too large.") % {"name": info.filename})
    return data


def copy_entry(archive, info, target, limit: int) -> None:
    """Copy an entry into an open file in chunks (a recording is not read into memory)."""
    if info.file_size > limit:
        raise TerrainError(_("%(name)s is too large.") % {"name": info.filename})
    try:
        with archive.open(info) as stream:
            shutil.copyfileobj(stream, target, 2**20)
    except (zipfile.BadZipFile, RuntimeError, OSError, EOFError) as exc:
        raise TerrainError(_("%(name)s cannot be read.") % {"name": info.filename}) from exc
    target.flush()
