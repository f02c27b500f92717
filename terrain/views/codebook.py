"""The codebook: tree with counts, excerpts of a code in context, co-occurrence, memos."""

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
    """[(code, depth)] in tree order, each code with `excerpt_count` (of what `user` may see)."""
    visible = Q(excerpts__in=Excerpt.objects.visible_to(user))
    codes = list(
        season.codes.annotate(excerpt_count=Count("excerpts", filter=visible)).order_by(
            "position", "name"
        )
    )
    children = {}
    for code in codes:
        children.setdefault(code.parent_id, []).append(code)
    rows = []

    def walk(parent_id, depth):
        for code in children.get(parent_id, []):
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
        .select_related("segment__transcript__interview__visit", "coder")
        .prefetch_related("codes")
        .order_by("segment__transcript", "segment__position", "start")
    )
    wanted = set()
    for excerpt in excerpts:
        position = excerpt.segment.position
        wanted |= {
            (excerpt.segment.transcript_id, position - 1),
            (excerpt.segment.transcript_id, position + 1),
        }
    around = {}
    if wanted:
        transcripts = {t for t, _p in wanted}
        for segment in Segment.objects.filter(transcript__in=transcripts):
            around[(segment.transcript_id, segment.position)] = segment
    for excerpt in excerpts:
        key = excerpt.segment.transcript_id, excerpt.segment.position
        excerpt.before = around.get((key[0], key[1] - 1))
        excerpt.after = around.get((key[0], key[1] + 1))
        text = excerpt.segment.text
        excerpt.lead, excerpt.tail = text[: excerpt.start], text[excerpt.end :]
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


def cooccurrence(season, excerpts=None, user=None):
    """Codes that meet on one excerpt or on overlapping excerpts of a turn: {(a, b): count}.

    `excerpts` narrows it (the matrix's FilterSet: a set of cases, attribute values...); a blind
    coder counts only what they may see.
    """
    if excerpts is None:
        excerpts = Excerpt.objects.filter(segment__transcript__interview__visit__season=season)
    excerpts = excerpts.filter(pk__in=Excerpt.objects.visible_to(user).values("pk"))
    spans = {}
    for excerpt in excerpts.prefetch_related("codes"):
        spans.setdefault(excerpt.segment_id, []).append(
            (excerpt.start, excerpt.end, {c.pk for c in excerpt.codes.all()})
        )
    counts = Counter()
    for items in spans.values():
        pairs = set()
        for i, (start, end, codes) in enumerate(items):
            for other_start, other_end, other_codes in items[i:]:
                if other_start < end and start < other_end:
                    for a in codes:
                        for b in other_codes:
                            if a != b:
                                pairs.add(tuple(sorted((a, b))))
            pairs |= {tuple(sorted(p)) for p in combinations(codes, 2)}
        counts.update(pairs)
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
