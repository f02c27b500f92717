"""The report draft as a download: PDF (WeasyPrint) or ODT (odfpy)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify

from .. import report
from ..models import SupportMission
from . import staff_only

ODT = "application/vnd.oasis.opendocument.text"


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
