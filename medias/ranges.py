"""HTTP byte ranges (RFC 9110 §14) for files served by views: what lets a browser seek a recording.

`file_response(request, handle, size, ...)` answers `200` with the whole file, `206 Partial
Content` with the one range asked for, or `416 Range Not Satisfiable`; every answer says
`Accept-Ranges: bytes`. Any view that serves a private file after its own access check can use it
(recordings and renditions here; consent and publication files later).

Only single ranges are served. A multi-range request (`bytes=0-9,20-29`) gets the whole file with
200, which RFC 9110 allows (a server may ignore Range): browsers never send one for media, and a
multipart/byteranges body would only serve download tools that cope with a full answer anyway.
A header that is malformed or in another unit is ignored in the same way, as the RFC requires.
"""

import re

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

CHUNK = 64 * 1024
_SPEC = re.compile(r"^\s*(\d*)\s*-\s*(\d*)\s*$")


class Unsatisfiable(Exception):
    """The range is well formed but starts past the end of the file (or asks for nothing)."""


def parse(header: str | None, size: int) -> tuple[int, int] | None:
    """The (first, last) byte positions, inclusive, that `header` asks of a file of `size` bytes.

    None means "send the whole file": no header, a malformed one, another unit, several ranges.
    Raises Unsatisfiable when no byte of the file is inside the one range asked for.
    """
    if not header:
        return None
    unit, _, specs = header.partition("=")
    if unit.strip().lower() != "bytes" or not specs or "," in specs:
        return None
    match = _SPEC.match(specs)
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":  # bytes=-N: the last N bytes
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise Unsatisfiable
        return max(size - suffix, 0), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:  # an invalid range-spec: ignored, like a malformed header
        return None
    if start >= size:
        raise Unsatisfiable
    return start, min(end, size - 1)


class _Slice:
    """`length` bytes of `handle` from `start`, in chunks. The response closes it (and so the
    file) when it is done, when the client leaves, or when it is never read (a HEAD request)."""

    def __init__(self, handle, start: int, length: int):
        self.handle, self.start, self.length = handle, start, length

    def __iter__(self):
        self.handle.seek(self.start)
        remaining = self.length
        while remaining > 0:
            chunk = self.handle.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk

    def close(self):
        self.handle.close()


def file_response(
    request,
    handle,
    size: int,
    *,
    content_type: str,
    filename: str | None = None,
    as_attachment: bool = False,
    etag: str | None = None,
) -> HttpResponse:
    """Serve the open binary `handle` (`size` bytes long) whole or in the range asked for.

    `etag` (a quoted strong validator) is sent and compared with `If-Range`: a client resuming
    with a validator of another version of the file gets the whole new file, never a mix.
    """
    try:
        wanted = parse(request.headers.get("Range"), size)
    except Unsatisfiable:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        response["Accept-Ranges"] = "bytes"
        return response
    if_range = request.headers.get("If-Range")
    if wanted is not None and if_range is not None and (etag is None or if_range != etag):
        wanted = None
    start, end = wanted if wanted is not None else (0, size - 1)
    length = max(end - start + 1, 0)
    response = StreamingHttpResponse(
        _Slice(handle, start, length),
        status=206 if wanted is not None else 200,
        content_type=content_type,
    )
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    if wanted is not None:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    if etag:
        response["ETag"] = etag
    if filename or as_attachment:
        response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    return response
