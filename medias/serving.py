"""Handing a private file over, once a view has checked who asks: the MEDIA_SERVE setting.

- "direct": Python streams the file, with byte ranges (medias/ranges.py). The embedded default
  and the tests, where no proxy stands in front.
- "x-accel": an empty response whose `X-Accel-Redirect` names the file under the proxy's internal
  location (MEDIA_ACCEL_LOCATION); nginx serves the bytes, ranges included. For a local folder the
  location aliases it; for the object store it is proxied to the store with a presigned URL that
  lives a minute, since nginx uses it at once (deploy/nginx.conf). Every range request still comes
  through the view, so a researcher removed from a season stops hearing at the next request.
- "signed-url": a redirect to a short-lived presigned URL of the object store. No proxy needed,
  but the store must be reachable by browsers, and the player keeps the URL it was sent to:
  after MEDIA_SIGNED_URL_SECONDS a paused player needs the page reloaded.
"""

from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header

from . import ranges

MODES = ("direct", "x-accel", "signed-url")
ACCEL_URL_SECONDS = 60


def mode() -> str:
    return settings.MEDIA_SERVE


def _store_parameters(content_type, disposition) -> dict:
    """What the object store must answer with, signed into the URL (its own guess would be
    application/octet-stream: stored names have no extension)."""
    parameters = {"ResponseContentType": content_type, "ResponseCacheControl": "private, no-store"}
    if disposition:
        parameters["ResponseContentDisposition"] = disposition
    return parameters


def deliver(
    request,
    stored,
    *,
    content_type: str,
    filename: str | None = None,
    as_attachment: bool = False,
    etag: str | None = None,
):
    """The response that gives the client `stored` (a FieldFile), as MEDIA_SERVE says."""
    disposition = (
        content_disposition_header(as_attachment, filename) if filename or as_attachment else None
    )
    storage = stored.storage
    if mode() == "signed-url":
        url = storage.url(
            stored.name,
            parameters=_store_parameters(content_type, disposition),
            expire=settings.MEDIA_SIGNED_URL_SECONDS,
        )
        return HttpResponseRedirect(url)
    if mode() == "x-accel":
        if isinstance(storage, FileSystemStorage):
            target = quote(stored.name)
        else:
            signed = urlsplit(
                storage.url(
                    stored.name,
                    parameters=_store_parameters(content_type, disposition),
                    expire=ACCEL_URL_SECONDS,
                )
            )
            target = f"{signed.path.lstrip('/')}?{signed.query}"
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_LOCATION + target
        if disposition:
            response["Content-Disposition"] = disposition
        return response
    try:
        handle = storage.open(stored.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    return ranges.file_response(
        request,
        handle,
        handle.size,
        content_type=content_type,
        filename=filename,
        as_attachment=as_attachment,
        etag=etag,
    )
