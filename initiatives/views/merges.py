"""Merging two directory entries (staff), and the old address of a merged entry (everyone)."""

from django.http import Http404, HttpResponsePermanentRedirect

from ..merging import survivor_url


def moved(model, slug):
    """A profile's missing slug: 301 to the survivor when it was merged away, else 404."""
    url = survivor_url(model, slug)
    if url is None:
        raise Http404
    return HttpResponsePermanentRedirect(url)
