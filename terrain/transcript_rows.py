"""The reader's transcript rows: one <li> a segment, written in Python rather than a template.

A three-hour interview has 3,000 turns; the template engine's cost per node (each variable
resolved, localised and escaped, each label translated again) made the reader four to five times
its floor. Here the labels are translated once a page, the edit URL reversed once, and each row is
a few string joins. The edit form itself is not in the row: htmx brings it when its <details>
opens (`segment_form`), which also keeps the page a third of the size.
"""

from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import Excerpt
from .templatetags.coding import coded_text


def with_coding(segments, user=None, shown=None):
    """The segments, each with `coded` [(start, end, codes)] for every excerpt covering some of
    it (including passages running over several turns) and `listed` (the excerpts starting in
    it), in two queries whatever the number of segments. Only the excerpts `user` may see
    (blind double coding), `shown` narrowing them to one coding (agreement.shown_coding)."""
    segments = list(segments)
    if not segments:
        return segments
    positions = {segment.pk: segment.position for segment in segments}
    rows = Excerpt.objects.visible_to(user)
    excerpts = (
        (shown(rows) if shown else rows)
        .filter(segment__transcript_id=segments[0].transcript_id)
        .select_related("coder")
        .prefetch_related("codes")
        .order_by("segment__position", "start", "pk")
    )
    by_position = {segment.position: segment for segment in segments}
    for segment in segments:
        segment.coded, segment.listed = [], []
    for excerpt in excerpts:
        first = positions.get(excerpt.segment_id)
        if first is None:
            continue
        last = positions.get(excerpt.end_segment_id, first)
        codes = list(excerpt.codes.all())
        by_position[first].listed.append(excerpt)
        for position in range(first, last + 1):
            segment = by_position.get(position)
            if segment is None:
                continue
            start = excerpt.start if position == first else 0
            end = excerpt.end if position == last else len(segment.text)
            segment.coded.append((start, end, codes))
    return segments


def _edit_url(season_pk):
    """segment pk -> its edit URL, from one reverse (the URL of segment 0 with the id put in)."""
    head, _zero, tail = reverse("terrain:segment-edit", args=[season_pk, 0]).rpartition("/0/")
    return lambda pk: f"{head}/{pk}/{tail}"


def _text(value) -> str:
    return escape(str(value), quote=True)


def _excerpt(excerpt) -> str:
    """An excerpt listed under the turn it starts in: its words, its codes, its coder."""
    spans = f' data-spans="{excerpt.end_segment_id}"' if excerpt.spans_segments else ""
    words = _text(excerpt.text.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")
    codes = "".join(
        f'<span class="code-tag" style="border-color: {_text(code.colour)}">{_text(code.name)}'
        "</span> "
        for code in excerpt.codes.all()
    )
    coder = excerpt.coder if excerpt.coder_id else excerpt.coder_name
    return (
        f'<li data-excerpt="{excerpt.pk}"{spans}>«&nbsp;{words}&nbsp;» — {codes}'
        f'<span class="meta">{_text(coder)}</span></li>'
    )


def segment_rows(segments, season, oob=False) -> SafeString:
    """The rows of `segments` as the reader shows them: each segment with `coded` and `listed`
    (with_coding); `oob` marks them for an htmx out-of-band swap."""
    pick = _("Select the segment at %(t)s")
    play = _("Play from %(t)s")
    edit = _text(_("Edit"))
    loading = _text(_("Loading the form…"))
    edit_url = _edit_url(season.pk)
    swap = ' data-hx-swap-oob="true"' if oob else ""
    rows = []
    for segment in segments:
        pk, start, clock = segment.pk, segment.start_ms, segment.clock
        listed = getattr(segment, "listed", ())
        excerpts = f'<ul class="excerpts">{"".join(map(_excerpt, listed))}</ul>' if listed else ""
        rows.append(
            f'<li class="segment" id="segment-{pk}" data-segment="{pk}" data-start="{start}" '
            f'data-end="{segment.end_ms}"{swap}>'
            f'<input type="checkbox" class="turn-pick" name="segments" value="{pk}" '
            f'form="speaker-form" aria-label="{_text(pick % {"t": clock})}"> '
            f'<button type="button" class="seek" data-seek="{start}" '
            f'aria-label="{_text(play % {"t": clock})}">{clock}</button> '
            f'<span class="speaker">{_text(segment.speaker)}</span>'
            f'<p class="segment-text" data-segment="{pk}" tabindex="-1">{coded_text(segment)}</p>'
            f"{excerpts}"
            f'<details class="segment-edit" data-hx-get="{edit_url(pk)}" '
            'data-hx-trigger="toggle once" data-hx-target="find .segment-form">'
            f'<summary>{edit}</summary><div class="segment-form"><p class="meta">{loading}</p>'
            "</div></details></li>\n"
        )
    return mark_safe("".join(rows))
