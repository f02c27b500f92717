"""Where media files live: a private storage for originals and renditions, read through views."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """A local folder outside MEDIA_ROOT, read from settings at each use (tests move it)."""

    @property
    def base_location(self):
        return str(settings.MEDIA_PRIVATE_ROOT)

    @property
    def location(self):
        return str(Path(self.base_location).resolve())

    @property
    def base_url(self):
        return None


def private_storage():
    """The `medias` storage when one is configured (e.g. a private S3 bucket), else a local folder.

    Nothing in it is reachable by a URL: every read goes through a view that checks who asks
    (originals of interviews are never public).
    """
    if "medias" in settings.STORAGES:
        return storages["medias"]
    return PrivateFileSystemStorage()
