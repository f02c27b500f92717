"""The reader's coded passages: a segment's text with its excerpts marked in the code colours."""

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()
COLOUR = re.compile(r"^#[0-9a-fA-F]{3,8}$")


def coded_pieces(text: str, excerpts=None, spans=None) -> list[tuple[str, list]]:
    """The text cut at every excerpt boundary: [(piece, [codes covering it, in order])].

    `spans` [(start, end, codes)] are the passages covering this text (the reader's
    `with_coding`); otherwise the `excerpts` of one segment."""
    if spans is None:
        spans = [(e.start, e.end, list(e.codes.all())) for e in excerpts]
    cuts = sorted(
        {0, len(text)} | {min(max(p, 0), len(text)) for s, e, _c in spans for p in (s, e)}
    )
    pieces = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        codes = {}
        for s, e, span_codes in spans:
            if s <= start and end <= e:
                for code in span_codes:
                    codes.setdefault(code.pk, code)
        pieces.append((text[start:end], list(codes.values())))
    return pieces


@register.simple_tag
def coded_text(segment):
    """Escaped segment text; coded passages in <mark>, named by their codes, not colour alone."""
    spans = getattr(segment, "coded", None)
    if spans == []:  # most turns of a transcript: no passage to mark
        return conditional_escape(segment.text)
    html = []
    excerpts = segment.excerpts.all() if spans is None else None
    for piece, codes in coded_pieces(segment.text, excerpts, spans):
        if not codes:
            html.append(conditional_escape(piece))
            continue
        names = ", ".join(code.name for code in codes)
        shown = [code.colour for code in codes if COLOUR.match(code.colour)][:3]
        colours = "; ".join(f"--code-{n}: {colour}" for n, colour in enumerate(shown, 1))
        html.append(
            format_html(
                '<mark class="coded" data-codes="{}" title="{}" style="{}">{}</mark>',
                ",".join(str(code.pk) for code in codes),
                _("Codes: %(names)s") % {"names": names},
                colours,
                piece,
            )
        )
    return mark_safe("".join(str(part) for part in html))
