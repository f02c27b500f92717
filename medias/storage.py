"""Where files live: a private storage no URL reaches, unguessable names, files kept in step
with the transaction that records them.

Every file the project keeps (media originals and renditions, signed consent forms, publication
files) is in the private storage and read through a view that checks who asks. Locally it is a
folder outside MEDIA_ROOT, readable by the server's user alone; in production it is the `medias`
storage of settings.STORAGES (a private prefix of an S3-compatible bucket).
"""

import logging
from pathlib import Path, PurePath
from uuid import uuid4

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject, empty

logger = logging.getLogger(__name__)


class PrivateFileSystemStorage(FileSystemStorage):
    """A local folder outside MEDIA_ROOT, read from settings at each use (tests move it).

    Files are written 0600 and folders 0700: a recording or a consent form is nobody else's
    business on a shared machine, whatever the umask.
    """

    @property
    def base_location(self):
        return str(settings.MEDIA_PRIVATE_ROOT)

    @property
    def location(self):
        return str(Path(self.base_location).resolve())

    @property
    def base_url(self):
        return None

    @property
    def file_permissions_mode(self):
        return 0o600

    @property
    def directory_permissions_mode(self):
        return 0o700


class PrivateStorage(LazyObject):
    """The private storage, resolved at first use and again whenever settings.STORAGES changes.

    A file field resolves its storage once, when its model is loaded; through this proxy it
    follows the configuration instead (tests swap the local folder for an S3-compatible server).
    """

    def _setup(self):
        if "medias" in settings.STORAGES:
            self._wrapped = storages["medias"]
        else:
            self._wrapped = PrivateFileSystemStorage()


_private = PrivateStorage()


@receiver(setting_changed)
def _storages_changed(setting, **kwargs):
    if setting == "STORAGES":
        _private._wrapped = empty


def private_storage():
    """The `medias` storage when one is configured (e.g. a private S3 prefix), else a local folder.

    Nothing in it is reachable by a URL: every read goes through a view that checks who asks
    (originals of interviews are never public).
    """
    return _private


@deconstructible
class UnguessablePath:
    """`upload_to` giving `<prefix>/<2 hex>/<32 hex>`: the name says nothing and cannot be guessed.

    The name the person gave the file is kept in a column of its own, for the download.
    """

    def __init__(self, prefix: str):
        self.prefix = prefix.strip("/")

    def __call__(self, instance, filename) -> str:
        return unguessable_name(self.prefix)

    def __eq__(self, other):
        return isinstance(other, UnguessablePath) and other.prefix == self.prefix


def unguessable_name(prefix: str, shard: bool = True) -> str:
    """`<prefix>/<2 hex>/<32 hex>` (the first two spread files over folders), or without them."""
    token = uuid4().hex
    return f"{prefix}/{token[:2]}/{token}" if shard else f"{prefix}/{token}"


def display_name(name: str) -> str:
    """The last part of a file name as a person gave it, without any folder (255 at most)."""
    return PurePath(name or "").name[:255]


def delete_quietly(storage, name: str) -> None:
    """Delete a stored file; a file already gone or a store that fails is logged, not raised."""
    if not name:
        return
    try:
        storage.delete(name)
    except Exception:  # the row is what matters; an orphan file is logged for the operator
        logger.warning("Could not delete stored file %s", name, exc_info=True)


def delete_on_commit(storage, name: str) -> None:
    """Delete a replaced file once the transaction that replaced it commits, not before: if it
    rolls back, the row still points to the old file and the file must still be there."""
    if name:
        transaction.on_commit(lambda: delete_quietly(storage, name))


class WrittenFiles:
    """Files written inside a transaction, deleted if it fails: no file outlives its row.

        with WrittenFiles() as written, transaction.atomic():
            row.file.save(...); written.add(row.file)

    Entered outside the atomic block, it also sees a failure of the commit itself. (A rollback
    of an enclosing transaction, later, is not seen: callers open the outermost block.)
    """

    def __init__(self):
        self.files: list[tuple[object, str]] = []

    def add(self, field_file) -> None:
        self.files.append((field_file.storage, field_file.name))

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self.discard()
        return False

    def discard(self) -> None:
        for storage, name in self.files:
            delete_quietly(storage, name)
        self.files = []


def move_file(source, name: str, target, new_name: str) -> str:
    """Copy a stored file to another storage (or name), then delete the old one; return the name
    it was stored under. Used by the data migrations that moved files into the private storage."""
    with source.open(name, "rb") as handle:
        stored = target.save(new_name, handle)
    source.delete(name)
    return stored


def sniffed_type(storage, name: str) -> str:
    """The MIME type of a stored file's first bytes (python-magic), as uploads are checked."""
    import magic

    with storage.open(name, "rb") as handle:
        head = handle.read(8192)
    return magic.from_buffer(head, mime=True) if head else "application/x-empty"
