"""REFI-QDA: a season exported as a `.qdpx` project or `.qdc` codebook, and imported back."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ..access import log_access, season_view
from ..forms import QdcImportForm, QdpxImportForm
from ..models import AccessLog
from ..refi import export_qdc, export_qdpx, import_qdc, import_qdpx
from ..refi.codebook import MAX_XML_BYTES
from ..services import TerrainError
from ..services.cases import refresh_cases


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@season_view
def export(request, season):
    log_access(request, AccessLog.Action.DOWNLOAD, AccessLog.Target.EXPORT, season=season)
    refresh_cases(season)  # the initiatives' cases and attributes as the fieldwork is now
    return _download(
        export_qdpx(season, request.user), "application/zip", f"season-{season.pk}.qdpx"
    )


@season_view
def export_codebook(request, season):
    try:
        content = export_qdc(season)
    except TerrainError as exc:
        messages.error(request, str(exc))
        return redirect("terrain:codebook", season=season.pk)
    log_access(request, AccessLog.Action.DOWNLOAD, AccessLog.Target.EXPORT, season=season)
    return _download(content, "application/xml", f"season-{season.pk}.qdc")


def _import_page(request, season, form, action, status=200):
    context = {
        "season": season,
        "form": form,
        "action": reverse(action, args=[season.pk]),
        "project": action == "terrain:project-import",
    }
    return render(request, "terrain/refi_import.html", context, status=status)


def _imported(request, season, form, action, run):
    """Run an import on the uploaded file: its summary page, or the form again with the error."""
    if form.is_valid():
        try:
            summary = run(form.cleaned_data["file"])
        except TerrainError as exc:
            form.add_error("file", str(exc))
        else:
            return render(
                request, "terrain/refi_summary.html", {"season": season, "summary": summary}
            )
    return _import_page(request, season, form, action, status=400)


@season_view
@require_POST
def codebook_import(request, season):
    form = QdcImportForm(request.POST, request.FILES)
    return _imported(
        request,
        season,
        form,
        "terrain:codebook-import",
        lambda upload: import_qdc(season, upload.read(MAX_XML_BYTES + 1)),
    )


@season_view
def project_import(request, season):
    if request.method != "POST":
        return _import_page(
            request, season, QdpxImportForm(prefix="project"), "terrain:project-import"
        )
    form = QdpxImportForm(request.POST, request.FILES, prefix="project")
    return _imported(
        request,
        season,
        form,
        "terrain:project-import",
        lambda upload: import_qdpx(season, upload, user=request.user),
    )
