"""Cases and their attributes, and the matrix query (page, a cell's excerpts, CSV and XLSX)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import matrix as mx
from ..access import in_season, season_view
from ..cases import AttributeForm, CaseValuesForm
from ..models import AttributeValue, CaseKind, Code
from ..services import TerrainError
from ..services.cases import add_attribute, delete_attribute, refresh_cases, set_case_values


@season_view
def case_list(request, season):
    """The season's cases with their values; a form adds a researcher's attribute."""
    form = AttributeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            add_attribute(season, **form.cleaned_data)
        except TerrainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Attribute added."))
            return redirect("terrain:cases", season=season.pk)
    refresh_cases(season)
    attributes = list(season.attributes.all())
    values = {}
    for value in AttributeValue.objects.filter(case__season=season).order_by("value"):
        values.setdefault((value.case_id, value.attribute_id), []).append(value.value)
    groups = []
    for kind, label in (
        (CaseKind.INTERVIEWEE, _("Interviewees")),
        (CaseKind.INITIATIVE, _("Initiatives")),
    ):
        columns = [a for a in attributes if a.applies_to == kind]
        cases = season.cases.filter(kind=kind).select_related("person", "initiative")
        rows = [
            (
                case,
                [", ".join(a.display(v) for v in values.get((case.pk, a.pk), [])) for a in columns],
            )
            for case in sorted(cases, key=lambda c: c.label.casefold())
        ]
        groups.append({"kind": kind, "label": label, "columns": columns, "rows": rows})
    status = 400 if form.errors else 200
    return render(
        request,
        "terrain/cases/case_list.html",
        {
            "season": season,
            "groups": groups,
            "form": form,
            "own_attributes": [a for a in attributes if not a.is_known],
        },
        status=status,
    )


@season_view
def case_edit(request, season, pk):
    case = get_object_or_404(season.cases.select_related("person", "initiative"), pk=pk)
    form = CaseValuesForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            set_case_values(case, form.values())
        except TerrainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Values saved."))
            return redirect("terrain:cases", season=season.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "terrain/cases/case_form.html",
        {"season": season, "case": case, "form": form},
        status=status,
    )


@season_view
@require_POST
def attribute_delete(request, season, pk):
    attribute = get_object_or_404(season.attributes, pk=pk)
    try:
        delete_attribute(attribute)
    except TerrainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Attribute deleted, with its values."))
    return redirect("terrain:cases", season=season.pk)


def _read(request, season):
    """The filters and the layout of the query, or the response refusing them (400)."""
    refresh_cases(season)
    filterset = mx.MatrixFilterSet(request.GET, season=season)
    layout = mx.MatrixLayout(request.GET, season=season)
    valid = filterset.is_valid() & layout.is_valid()
    if not valid:
        return filterset, layout, None
    return filterset, layout, filterset.qs


def _refused(request, season, filterset, layout):
    return render(
        request,
        "terrain/cases/matrix.html",
        {"season": season, "filterset": filterset, "layout": layout, "matrix": None},
        status=400,
    )


@season_view
def matrix(request, season):
    filterset, layout, excerpts = _read(request, season)
    if excerpts is None:
        return _refused(request, season, filterset, layout)
    columns, measure = layout.columns(), layout.count()
    table = mx.build_matrix(season, filterset.narrowed(), columns, filterset.selected_codes())
    query = request.GET.copy()
    query.pop("page", None)
    cell = reverse("terrain:matrix-cell", args=[season.pk])

    def link(code, column=None):
        where = query.copy()
        where["ligne"] = code.pk
        if column is not None:
            where["colonne"] = column.key
        return f"{cell}?{where.urlencode()}"

    rows = [
        (
            code,
            [(n, link(code, c)) for n, c in zip(counts, table.columns, strict=True)],
            (total, link(code)),
        )
        for code, counts, total in table.rows(measure)
    ]
    return render(
        request,
        "terrain/cases/matrix.html",
        {
            "season": season,
            "filterset": filterset,
            "layout": layout,
            "matrix": table,
            "rows": rows,
            "footer": table.footer(measure),
            "measure": measure,
            # The columns are an attribute's values, or the cases of one kind (a CaseKind, whose
            # `name` is the enum member's: never shown).
            "columns_name": None if isinstance(columns, CaseKind) else columns.name,
            "columns_cases": columns if isinstance(columns, CaseKind) else None,
            "query": query.urlencode(),
        },
    )


@season_view
def matrix_cell(request, season):
    """The excerpts counted in one cell: the passage, the speaker, a link to the reader there."""
    filterset, layout, excerpts = _read(request, season)
    if excerpts is None:
        return _refused(request, season, filterset, layout)
    code = in_season(season, Code, pk=_int(request.GET.get("ligne")))
    columns = layout.columns()
    key = request.GET.get("colonne") or None
    label = _("all cases")
    if key is not None:
        found = {c.key: c for c in mx.matrix_columns(season, columns)}
        if key not in found:
            return HttpResponse(_("This column is not in the matrix."), status=400)
        label = found[key].label
    rows = mx.cell_excerpts(excerpts, code, columns, key)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("ligne", None)
    query.pop("colonne", None)
    return render(
        request,
        "terrain/cases/matrix_cell.html",
        {
            "season": season,
            "code": code,
            "column": label,
            "page": page,
            "back": reverse("terrain:matrix", args=[season.pk]) + "?" + query.urlencode(),
        },
    )


def _int(text):
    try:
        return int(text)
    except (TypeError, ValueError):
        return 0


@season_view
def matrix_export(request, season, format):
    filterset, layout, excerpts = _read(request, season)
    if excerpts is None:
        errors = [m for form in (filterset.form, layout) for ms in form.errors.values() for m in ms]
        return HttpResponse(" ".join(errors), status=400, content_type="text/plain; charset=utf-8")
    table = mx.build_matrix(
        season, filterset.narrowed(), layout.columns(), filterset.selected_codes()
    )
    name = f"matrice-saison-{season.pk}"
    if format == "csv":
        response = HttpResponse(
            mx.as_csv(table, layout.count()), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            mx.as_xlsx(table, layout.count()),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{format}"'
    return response
