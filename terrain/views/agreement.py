"""Blind double coding: who codes which interview, their agreement, and settling disagreements."""

import io

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from observatoire import csvsafe

from ..access import in_season, log_access, season_view
from ..agreement_forms import DoubleCodingForm
from ..models import AccessLog, DoubleCoding, Interview, Settlement
from ..services import TerrainError
from ..services import agreement as services


def _double(season, pk) -> DoubleCoding:
    interview = in_season(season, Interview, pk=pk)
    return get_object_or_404(
        DoubleCoding.objects.select_related("interview__visit").prefetch_related("turns__coder"),
        interview=interview,
    )


def _page(double) -> str:
    return reverse(
        "terrain:agreement",
        kwargs={"season": double.interview.visit.season_id, "pk": double.interview_id},
    )


@season_view
def season_agreement(request, season):
    """The season's interviews in double coding, and the form that adds some."""
    form = DoubleCodingForm(request.POST or None, season=season)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                started = services.start_double_coding(
                    form.cleaned_data["interviews"], form.cleaned_data["coders"], by=request.user
                )
            except TerrainError as exc:
                form.add_error(None, str(exc))
            else:
                done = ngettext(
                    "%(n)d interview put in blind double coding.",
                    "%(n)d interviews put in blind double coding.",
                    len(started),
                )
                messages.success(request, done % {"n": len(started)})
                return redirect("terrain:agreements", season=season.pk)
        status = 400
    rows = []
    for double in services.double_codings(season):
        overall = None
        if not double.blind:
            figures = services.figures(double)
            overall = figures[-1] if figures else None
        rows.append((double, overall))
    return render(
        request,
        "terrain/agreement/season.html",
        {"season": season, "rows": rows, "form": form},
        status=status,
    )


@season_view
def interview_agreement(request, season, pk):
    """One interview in double coding: who has finished; once all have, the figures per code and
    the passages, each with who coded what and the team's decision."""
    return _agreement_page(request, season, _double(season, pk))


def _agreement_page(request, season, double, *, status=200):
    turns = list(double.turns.all())
    mine = next((t for t in turns if t.coder_id == request.user.pk), None)
    context = {"season": season, "double": double, "turns": turns, "mine": mine}
    if not double.blind:
        log_access(
            request, AccessLog.Action.VIEW, AccessLog.Target.TRANSCRIPT, interview=double.interview
        )
        passages = services.passages(double)
        for passage in passages:
            passage.by_coder = [
                (turn, [e for e in passage.excerpts if e.coder_id == turn.coder_id])
                for turn in turns
            ]
        context.update(
            figures=services.figures(double),
            passages=passages,
            open_count=sum(1 for p in passages if not p.settled),
            settlements=double.settlements.select_related("kept_coder", "settled_by"),
        )
    return render(request, "terrain/agreement/interview.html", context, status=status)


@season_view
@require_POST
def declare_done(request, season, pk):
    double = _double(season, pk)
    try:
        if request.POST.get("reopen"):
            services.reopen(double, request.user)
            messages.success(request, _("Your coding of this interview is open again."))
        else:
            double = services.declare_done(double, request.user)
            if double.blind:
                messages.success(request, _("Noted: the others' codings show once all are done."))
            else:
                messages.success(request, _("Every coder is done: the codings are compared."))
    except TerrainError as exc:
        messages.error(request, str(exc))
    if request.POST.get("from") == "reader":
        return redirect(double.interview.get_absolute_url())
    return redirect(_page(double))


@season_view
@require_POST
def settle(request, season, pk):
    double = _double(season, pk)
    choice = request.POST.get("choice", "")
    kept = None
    if choice.startswith("coder-"):
        coder_id = choice.removeprefix("coder-")
        kept = get_user_model().objects.filter(pk=coder_id).first() if coder_id.isdigit() else None
        choice = Settlement.Choice.CODER
    try:
        services.settle_passage(
            double, request.POST.get("passage", ""), choice, kept_coder=kept, by=request.user
        )
    except TerrainError as exc:
        # The page again, saying why, with a 400: nothing was settled.
        messages.error(request, str(exc))
        return _agreement_page(request, season, double, status=400)
    messages.success(request, _("Passage settled: the reference coding holds the decision."))
    return redirect(f"{_page(double)}#passages")


@season_view
def agreement_csv(request, season):
    """The figures of every interview whose coders have all finished: one row per code, then
    the interview's overall row. Headers and the overall row in the page's language; a BOM
    first, as the site's other CSV downloads, for spreadsheets to read it as UTF-8."""
    log_access(request, AccessLog.Action.DOWNLOAD, AccessLog.Target.EXPORT, season=season)
    stream = io.StringIO()
    stream.write(csvsafe.BOM)
    writer = csvsafe.writer(stream)
    writer.writerow(
        [
            _("Interview"),
            _("Interview ID"),
            _("Code"),
            _("Code GUID"),
            _("Coders"),
            _("Characters"),
            _("Percentage agreement"),
            _("Cohen’s kappa"),
            _("Krippendorff’s alpha"),
        ]
    )
    for double in services.double_codings(season).filter(revealed_at__isnull=False):
        coders = " | ".join(
            turn.coder.get_full_name() or turn.coder.get_username() for turn in double.turns.all()
        )
        for row in services.figures(double):
            writer.writerow(
                [
                    str(double.interview),
                    double.interview.pk,
                    row.code.name if row.code else _("Overall"),
                    str(row.code.guid) if row.code else "",
                    coders,
                    row.tally.units,
                    _number(row.percentage, 2),
                    _number(row.kappa, 4),
                    _number(row.alpha, 4),
                ]
            )
    response = HttpResponse(stream.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="agreement-season-{season.pk}.csv"'
    return response


def _number(value, digits):
    return "" if value is None else round(value, digits)
