"""The report draft as a download (PDF, ODT, DOCX), or saved as a new version of the report."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import report, services
from ..models import SupportMission
from . import staff_only

ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _download(content: bytes, content_type: str, mission, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    name = slugify(mission.title) or f"mission-{mission.pk}"
    response["Content-Disposition"] = f'attachment; filename="rapport-{name}.{extension}"'
    return response


@staff_only
def report_pdf(request, pk):
    mission = get_object_or_404(SupportMission, pk=pk)
    return _download(report.render_pdf(mission), "application/pdf", mission, "pdf")


@staff_only
def report_odt(request, pk):
    mission = get_object_or_404(SupportMission, pk=pk)
    return _download(report.render_odt(mission), ODT, mission, "odt")


@staff_only
def report_docx(request, pk):
    mission = get_object_or_404(SupportMission, pk=pk)
    return _download(report.render_docx(mission), DOCX, mission, "docx")


@staff_only
@require_POST
def save_report_version(request, pk):
    mission = get_object_or_404(SupportMission, pk=pk)
    try:
        version = services.save_report_draft(
            mission, fmt=request.POST.get("format", "odt"), by=request.user
        )
    except services.MissionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("The draft was saved as version %(number)s of “%(title)s”.")
            % {"number": version.number, "title": version.deliverable.title},
        )
    return redirect(mission.get_absolute_url() + "#deliverables")
