"""The codebook: tree with counts, excerpts of a code in context, co-occurrence, memos."""

import json
from collections import Counter
from itertools import combinations

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..access import in_season, season_view
from ..forms import CodeForm, QdcImportForm, QdpxImportForm
from ..matrix import MatrixFilterSet
from ..models import Code, Excerpt, Interview, Memo, Segment
from ..services.cases import refresh_cases


def code_tree(season, user=None):
    """[(code, depth)] in tree order, each code with `excerpt_count` (passages of transcripts,
    of what `user` may see, and of recordings), `index` among its siblings and `last` (whether
    it is the last one)."""
    visible = Q(excerpts__in=Excerpt.objects.visible_to(user))
    codes = list(
        season.codes.annotate(
            text_count=Count("excerpts", filter=visible, distinct=True),
            audio_count=Count("audio_excerpts", distinct=True),
        ).order_by("position", "name")
    )
    for code in codes:
        code.excerpt_count = code.text_count + code.audio_count
    children = {}
    for code in codes:
        children.setdefault(code.parent_id, []).append(code)
    rows = []

    def walk(parent_id, depth):
        siblings = children.get(parent_id, [])
        for index, code in enumerate(siblings):
            code.index, code.last = index, index == len(siblings) - 1
            rows.append((code, depth))
            walk(code.pk, depth + 1)

    walk(None, 0)
    return rows


@season_view
def codebook(request, season):
    form = CodeForm(request.POST or None, season=season)
    if request.method == "POST" and form.is_valid():
        code = form.save(commit=False)
        code.season = season
        last = season.codes.filter(parent=code.parent).order_by("-position").first()
        code.position = last.position + 1 if last else 0  # a new code comes last at its level
        code.save()
        messages.success(request, _("Code added."))
        return redirect("terrain:codebook", season=season.pk)
    return render(
        request,
        "terrain/codebook.html",
        {
            "season": season,
            "tree": code_tree(season, request.user),
            "form": form,
            "versions": season.codebook_versions.select_related("created_by")[:10],
            "import_form": QdcImportForm(),
            "project_form": QdpxImportForm(prefix="project"),
        },
    )


@season_view
def code_detail(request, season, pk):
    """Every excerpt of the code across the season's interviews, with the turns around it."""
    code = in_season(season, Code, pk=pk)
    excerpts = list(
        Excerpt.objects.visible_to(request.user)
        .filter(codes=code)
        .select_related("segment__transcript__interview__visit", "end_segment", "coder")
        .prefetch_related("codes")
        .order_by("segment__transcript", "segment__position", "start")
    )
    wanted = set()
    for excerpt in excerpts:
        last = excerpt.end_segment or excerpt.segment
        wanted |= {
            (excerpt.segment.transcript_id, excerpt.segment.position - 1),
            (excerpt.segment.transcript_id, last.position + 1),
        }
    around = {}
    if wanted:
        transcripts = {t for t, _p in wanted}
        for segment in Segment.objects.filter(transcript__in=transcripts):
            around[(segment.transcript_id, segment.position)] = segment
    for excerpt in excerpts:
        last = excerpt.end_segment or excerpt.segment
        transcript = excerpt.segment.transcript_id
        excerpt.before = around.get((transcript, excerpt.segment.position - 1))
        excerpt.after = around.get((transcript, last.position + 1))
        excerpt.lead = excerpt.segment.text[: excerpt.start]
        excerpt.tail = last.text[excerpt.end :]
    others = season.codes.exclude(pk=code.pk).order_by("name")
    return render(
        request,
        "terrain/code_detail.html",
        {
            "season": season,
            "code": code,
            "excerpts": excerpts,
            "others": others,
            "memos": code.memos.select_related("author"),
        },
    )


@season_view
@require_POST
def code_merge(request, season, pk):
    code = in_season(season, Code, pk=pk)
    target = in_season(season, Code, pk=request.POST.get("into") or 0)
    try:
        services.merge_codes(code, target)
    except services.TerrainError as exc:
        messages.error(request, str(exc))
        return redirect("terrain:code", season=season.pk, pk=code.pk)
    messages.success(request, _("Codes merged."))
    return redirect("terrain:code", season=season.pk, pk=target.pk)


@season_view
@require_POST
def code_move(request, season, pk):
    code = in_season(season, Code, pk=pk)
    parent_id = request.POST.get("parent")
    parent = in_season(season, Code, pk=parent_id) if parent_id else None
    try:
        services.move_code(code, parent)
    except services.TerrainError as exc:
        messages.error(request, str(exc))
    return redirect("terrain:codebook", season=season.pk)


@season_view
@require_POST
def code_arrange(request, season, pk):
    """One move in the codebook: a keyboard step (`shift`: up, down, indent, outdent) or a drop
    (`parent` and `index`). htmx gets the tree back and the move to announce; else a redirect."""
    code = in_season(season, Code, pk=pk)
    shift = request.POST.get("shift")
    try:
        if shift:
            services.shift_code(code, shift)
        else:
            parent_id = request.POST.get("parent")
            parent = in_season(season, Code, pk=parent_id) if parent_id else None
            services.place_code(code, parent, int(request.POST.get("index", 0)))
    except (services.TerrainError, ValueError) as exc:
        said, ok = (
            str(exc) if isinstance(exc, services.TerrainError) else _("Check the form."),
            False,
        )
    else:
        said, ok = _moved(season, code), True
    if not request.headers.get("HX-Request"):
        (messages.success if ok else messages.error)(request, said)
        return redirect("terrain:codebook", season=season.pk)
    response = render(
        request,
        "terrain/_code_tree.html",
        {"season": season, "tree": code_tree(season, request.user)},
    )
    response["HX-Trigger"] = json.dumps(
        {"codebook-moved": {"message": said, "code": code.pk, "shift": shift or "", "ok": ok}}
    )
    return response


def _moved(season, code) -> str:
    """Where the code is now, in words, for the screen reader's announcement."""
    code = Code.objects.select_related("parent").get(pk=code.pk)
    siblings = season.codes.filter(parent=code.parent_id).order_by("position", "name")
    place = list(siblings.values_list("pk", flat=True)).index(code.pk) + 1
    if code.parent is None:
        return _("%(code)s: position %(n)d of %(total)d at the top level.") % {
            "code": code.name,
            "n": place,
            "total": siblings.count(),
        }
    return _("%(code)s: position %(n)d of %(total)d under %(parent)s.") % {
        "code": code.name,
        "n": place,
        "total": siblings.count(),
        "parent": code.parent.name,
    }


@season_view
@require_POST
def codebook_publish(request, season):
    """Publish a version of the codebook (a new number only if it changed since the last)."""
    version, new = services.publish_codebook_version(
        season, by=request.user, note=request.POST.get("note", "")
    )
    if new:
        messages.success(request, _("Codebook version %(n)d published.") % {"n": version.number})
    else:
        messages.info(
            request,
            _("The codebook has not changed since version %(n)d.") % {"n": version.number},
        )
    return redirect("terrain:codebook", season=season.pk)


def cooccurrence(season, excerpts=None, user=None):
    """Codes that meet on one excerpt or on overlapping excerpts of a transcript:
    {(a, b): count}. A passage is compared by (turn position, offset) at both ends, so passages
    running over several turns overlap as they read.

    `excerpts` narrows it (the matrix's FilterSet: a set of cases, attribute values...); a blind
    coder counts only what they may see.
    """
    if excerpts is None:
        excerpts = Excerpt.objects.filter(
            segment__transcript__interview__visit__season=season
        ).for_analysis()
    excerpts = excerpts.filter(pk__in=Excerpt.objects.visible_to(user).values("pk"))
    excerpts = excerpts.select_related("segment", "end_segment")
    spans = {}
    for excerpt in excerpts.prefetch_related("codes"):
        last = excerpt.end_segment or excerpt.segment
        spans.setdefault(excerpt.segment.transcript_id, []).append(
            (
                (excerpt.segment.position, excerpt.start),
                (last.position, excerpt.end),
                {c.pk for c in excerpt.codes.all()},
            )
        )
    # Each pair counts once per turn where its passages meet (the turn where the overlap starts).
    counts = Counter()
    for items in spans.values():
        pairs = set()
        for i, (start, end, codes) in enumerate(items):
            for other_start, other_end, other_codes in items[i:]:
                if other_start < end and start < other_end:
                    turn = max(start, other_start)[0]
                    for a in codes:
                        for b in other_codes:
                            if a != b:
                                pairs.add((turn, *sorted((a, b))))
            pairs |= {(start[0], *sorted(p)) for p in combinations(codes, 2)}
        counts.update((a, b) for _turn, a, b in pairs)
    return counts


@season_view
def cooccurrence_table(request, season):
    refresh_cases(season)
    filterset = MatrixFilterSet(request.GET, season=season)
    if not filterset.is_valid():
        return render(
            request,
            "terrain/cooccurrence.html",
            {"season": season, "filterset": filterset, "rows": None},
            status=400,
        )
    codes = list(season.codes.order_by("name"))
    counts = cooccurrence(season, filterset.qs, request.user)
    rows = [
        (
            code,
            [
                counts.get(tuple(sorted((code.pk, other.pk))), 0) if other != code else None
                for other in codes
            ],
        )
        for code in codes
    ]
    return render(
        request,
        "terrain/cooccurrence.html",
        {"season": season, "codes": codes, "rows": rows, "filterset": filterset},
    )


@season_view
@require_POST
def memo_create(request, season):
    text = (request.POST.get("text") or "").strip()
    target = request.POST.get("target", "season")
    next_url = request.POST.get("next") or season.get_absolute_url()
    # Only an address on this site (a browser reads "/\host" as "//host"): Django's own check.
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = season.get_absolute_url()
    if not text:
        messages.error(request, _("A memo needs some text."))
        return redirect(next_url)
    memo = Memo(text=text, author=request.user)
    pk = request.POST.get("pk") or 0
    if target == "interview":
        memo.interview = in_season(season, Interview, pk=pk)
    elif target == "code":
        memo.code = in_season(season, Code, pk=pk)
    elif target == "excerpt":
        memo.excerpt = in_season(season, Excerpt, pk=pk)
    else:
        memo.season = season
    memo.save()
    messages.success(request, _("Memo saved."))
    return redirect(next_url)
