"""The missions board, a mission's page, state changes, the dashboard and the funding CSV."""

from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from medias.selectors import public_images_of
from observatoire import csvsafe

from .. import selectors, services
from ..forms import VersionForm
from ..models import Deliverable, Funding, SupportMission
from . import staff_only

CENTS = Decimal("0.01")


@staff_only
def board(request):
    return render(request, "accompagnements/board.html", {"columns": selectors.board()})


@staff_only
def detail(request, pk):
    try:
        mission = selectors.mission_detail(pk)
    except SupportMission.DoesNotExist as exc:
        raise Http404 from exc
    workshops = list(mission.workshops.all())
    photos = public_images_of(workshops)  # one query for every workshop's processed photos
    for workshop in workshops:
        workshop.photos = photos.get(str(workshop.pk), [])
    return render(
        request,
        "accompagnements/mission_detail.html",
        {
            "mission": mission,
            "next_states": services.allowed_states(mission),
            "funding_total": sum((line.amount for line in mission.funding_lines.all()), 0),
        },
    )


@staff_only
@require_POST
def change_state(request, pk):
    mission = get_object_or_404(SupportMission, pk=pk)
    try:
        mission = services.change_state(mission, request.POST.get("state", ""), by=request.user)
    except services.MissionError as exc:
        if request.headers.get("HX-Request"):
            # htmx swaps only 2xx answers: the refusal is a 200 that shows the sentence in place.
            return render(
                request,
                "accompagnements/_state.html",
                {"mission": mission, "next_states": services.allowed_states(mission), "error": exc},
            )
        messages.error(request, str(exc))
        return redirect(mission)
    if request.headers.get("HX-Request"):
        return render(
            request,
            "accompagnements/_state.html",
            {"mission": mission, "next_states": services.allowed_states(mission)},
        )
    messages.success(request, str(mission.get_state_display()))
    return redirect(mission)


@staff_only
@require_POST
def add_version(request, pk, deliverable_pk):
    deliverable = get_object_or_404(Deliverable, pk=deliverable_pk, mission_id=pk)
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_version(
                deliverable,
                file=form.cleaned_data["file"],
                notes=form.cleaned_data["notes"],
                by=request.user,
            )
        except services.MissionError as exc:
            messages.error(request, str(exc))
    else:
        for error in form.errors.get("file", []):
            messages.error(request, error)
    return redirect(deliverable.mission.get_absolute_url() + "#deliverables")


@staff_only
def dashboard(request):
    data = selectors.dashboard()
    charts = [
        ("missions_per_state", _("Missions per state"), "bar"),
        ("funding_per_funder", _("Funding per funder (€)"), "bar"),
        ("funding_per_year", _("Funding per year (€)"), "bar"),
        ("workshops_per_method", _("Workshops per method"), "doughnut"),
    ]
    return render(
        request,
        "accompagnements/dashboard.html",
        {"data": data, "charts": [(*chart, data[chart[0]]) for chart in charts]},
    )


@staff_only
def funding_csv(request):
    """Funding lines for accounting: one row a line, amounts with a dot, UTF-8 with a BOM."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="financements-{stamp}.csv"'
    response.write("\ufeff")  # spreadsheet programs then read the accents right
    # Titles and names are typed by people: csvsafe keeps them from running as formulas.
    writer = csvsafe.writer(response)
    writer.writerow(
        ["mission", "client", "funder", "programme", "amount", "start", "end", "status"]
    )
    lines = Funding.objects.select_related(
        "mission__client_organisation", "mission__client_pole", "funder"
    ).order_by("start_date", "pk")
    for line in lines:
        writer.writerow(
            [
                line.mission.title,
                str(line.mission.client),
                line.funder.name,
                line.programme,
                line.amount.quantize(CENTS),  # a number, so a negative amount stays one
                line.start_date.isoformat() if line.start_date else "",
                line.end_date.isoformat() if line.end_date else "",
                line.status,
            ]
        )
    return response
