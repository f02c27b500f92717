"""A private file handed to someone a view has already checked: always as an attachment.

A file a person uploaded (a consent scan, a publication's file) is never shown inline in the
site's origin: it is downloaded under the name it was given, with `nosniff` so that no browser
second-guesses the type, and kept out of shared caches.
"""

import mimetypes

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _


def attachment(field_file, content_type: str = "", cache: str = "private, no-store"):
    """A FileResponse for `field_file` (a private FieldFile), or 404 when the file is missing.

    `content_type` is the type the file was checked to have; without one, the type the download
    name suggests, and bytes when it suggests nothing.
    """
    if not field_file:
        raise Http404(_("No such file."))
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404(_("No such file.")) from exc
    name = getattr(field_file, "download_name", "") or field_file.name.rsplit("/", 1)[-1]
    content_type = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache
    return response
