"""The reader's transcript: its rows, as terrain.transcript_rows writes them."""

from django import template

from ..transcript_rows import segment_rows

register = template.Library()


@register.simple_tag
def transcript_rows(segments, season, oob=False):
    """The rows of `segments` (each with `coded` and `listed`, transcript_rows.with_coding)."""
    return segment_rows(segments, season, oob=oob)
