"""Staff pages of the import: upload, match columns, dry run, import (the work: services.py)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from observatoire import csvsafe
from observatoire.workspaces import staff_required

from . import services
from .forms import MappingForm, UploadForm
from .models import ImportRun, ImportSource, RunState, Stage
from .readers import UnreadableFile


@staff_required
def imports(request):
    form, status = UploadForm(), 200
    if request.method == "POST":
        form, status = UploadForm(request.POST, request.FILES), 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                run = services.start(
                    data["file"],
                    source_name=data["source"],
                    user=request.user,
                    publish=data["publish"],
                )
            except UnreadableFile as exc:
                form.add_error("file", exc.message)
            else:
                return redirect(run)
    runs = Paginator(ImportRun.objects.select_related("source", "created_by"), 30)
    context = {
        "form": form,
        "runs": runs.get_page(request.GET.get("page")),
        "sources": ImportSource.objects.values_list("name", flat=True),
    }
    return render(request, "initiatives/importing/list.html", context, status=status)


@staff_required
def run_page(request, pk):
    run = get_object_or_404(ImportRun.objects.select_related("source"), pk=pk)
    status, form = 200, None
    if run.stage == Stage.MAPPING and not run.is_active:
        form = MappingForm(run=run, samples=services.samples(run))
    if request.method == "POST":
        form = MappingForm(request.POST, run=run, samples=services.samples(run))
        status = 400
        if form.is_valid():
            try:
                services.set_mapping(run, form.mapping())
                services.enqueue(run, Stage.PREVIEW)
            except services.ImportRefused as exc:
                form.add_error(None, exc.message)
            else:
                return redirect(run)
    return render(request, "initiatives/importing/run.html", _context(run, form), status=status)


@staff_required
def run_state(request, pk):
    """The htmx-polled part of the run's page: progress, then counts and refused rows."""
    run = get_object_or_404(ImportRun.objects.select_related("source"), pk=pk)
    return render(request, "initiatives/importing/_state.html", _context(run))


def _context(run, form=None) -> dict:
    shown = run.stage if run.stage != Stage.MAPPING else None
    issues = run.issues.filter(stage=shown).order_by("line", "pk")[:200] if shown else []
    return {
        "run": run,
        "form": form,
        "issues": issues,
        "counts": run.counts_of(shown) if shown else [],
        "Stage": Stage,
        "RunState": RunState,
    }


@staff_required
@require_POST
def run_action(request, pk, action):
    run = get_object_or_404(ImportRun, pk=pk)
    try:
        if action == "import":
            services.enqueue(run, Stage.COMMIT)
        elif action == "mapping":
            services.reopen_mapping(run)
        else:
            return redirect(run)
    except services.ImportRefused as exc:
        messages.error(request, exc.message)
    return redirect(run)


class _Echo:
    def write(self, value):
        return value


@staff_required
def issues_csv(request, pk, stage):
    run = get_object_or_404(ImportRun, pk=pk)
    if stage not in (Stage.PREVIEW, Stage.COMMIT):
        stage = Stage.PREVIEW
    writer = csvsafe.writer(_Echo(), lineterminator="\r\n")
    lines = (writer.writerow(row) for row in services.issues_csv(run, stage))
    # A BOM first: spreadsheets then read the accents of the refused rows as UTF-8.
    response = StreamingHttpResponse(_with_bom(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-{stage}-refused.csv"'
    return response


def _with_bom(lines):
    yield "\ufeff"
    yield from lines
