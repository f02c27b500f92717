"""The matrix query: codes × attribute values (or cases), counting excerpts and interviews.

`MatrixFilterSet` (codes, interviews, cases, attribute values) narrows the season's excerpts for
the page, each cell's list of excerpts, the CSV and XLSX exports and the co-occurrence table
alike. `build_matrix` counts with a few GROUP BY queries, whatever the number of excerpts: an
excerpt belongs to the cases of its interview (as QualCoder ties cases to sources), so it counts
once in each column its interview's cases hold, and once in the code's total.
"""

import io
from dataclasses import dataclass, field

import django_filters
from django import forms
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from observatoire import csvsafe

from .models import Attribute, AttributeValue, Case, CaseKind, Code, Excerpt, Interview
from .models.agreement import superseded_original

INTERVIEW = "excerpt__segment__transcript__interview"
EXCERPTS, INTERVIEWS = "extraits", "entretiens"
PEOPLE, INITIATIVES = "personnes", "initiatives"
PEOPLE_KIND = CaseKind.INTERVIEWEE


def season_excerpts(season):
    """The season's excerpts as its analyses count them (a revealed double coding by its
    reference coding: ExcerptQuerySet.for_analysis)."""
    return Excerpt.objects.filter(
        segment__transcript__interview__visit__season=season
    ).for_analysis()


def _interviews_of_cases(cases):
    return Case.interviews.through.objects.filter(case__in=cases).values("interview_id")


class MatrixFilterSet(django_filters.FilterSet):
    code = django_filters.ModelMultipleChoiceFilter(
        label=_("Codes"), queryset=Code.objects.none(), method="filter_codes"
    )
    entretien = django_filters.ModelMultipleChoiceFilter(
        label=_("Interviews"), queryset=Interview.objects.none(), method="filter_interviews"
    )
    cas = django_filters.ModelMultipleChoiceFilter(
        label=_("Cases"), queryset=Case.objects.none(), method="filter_cases"
    )
    attribut = django_filters.MultipleChoiceFilter(
        label=_("Attribute values"), choices=[], method="filter_attributes"
    )

    class Meta:
        model = Excerpt
        fields = []

    def __init__(self, data=None, queryset=None, *, season, **kwargs):
        if queryset is None:
            queryset = season_excerpts(season)
        super().__init__(data, queryset, **kwargs)
        self.season = season
        self.filters["code"].queryset = season.codes.order_by("position", "name")
        self.filters["entretien"].queryset = Interview.objects.filter(visit__season=season)
        self.filters["cas"].queryset = season.cases.select_related("person", "initiative")
        self.attributes = {a.pk: a for a in season.attributes.all()}
        values = (
            AttributeValue.objects.filter(attribute__season=season)
            .values_list("attribute_id", "value")
            .distinct()
        )
        # Interviewees and initiatives may each have an attribute of one name ("Département"):
        # such a name says whose it is. The colon is the language's (a no-break space in French).
        names = [a.name for a in self.attributes.values()]
        colon = pgettext("typography: after a label, before its value", ":")

        def named(attribute):
            if names.count(attribute.name) > 1:
                return f"{attribute.name} ({attribute.get_applies_to_display()})"
            return attribute.name

        choices = [
            (pk, value, named(self.attributes[pk]), self.attributes[pk].display(value))
            for pk, value in values
        ]
        choices.sort(key=lambda c: (c[2], str(c[0]), c[1]))
        self.filters["attribut"].extra["choices"] = [
            (f"{pk}:{value}", f"{name}{colon} {shown}") for pk, value, name, shown in choices
        ]

    def filter_codes(self, qs, name, value):
        if not value:
            return qs
        coded = Excerpt.codes.through.objects.filter(code__in=value)
        return qs.filter(pk__in=coded.values("excerpt_id"))

    def filter_interviews(self, qs, name, value):
        return qs.filter(segment__transcript__interview__in=value) if value else qs

    def filter_cases(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(segment__transcript__interview__in=_interviews_of_cases(value))

    def filter_attributes(self, qs, name, value):
        """Values of one attribute widen (or), different attributes narrow (and)."""
        wanted = {}
        for item in value:
            pk, _sep, text = item.partition(":")
            wanted.setdefault(int(pk), []).append(text)
        for pk, texts in wanted.items():
            interviews = Interview.objects.filter(
                cases__attribute_values__attribute=pk, cases__attribute_values__value__in=texts
            )
            qs = qs.filter(segment__transcript__interview__in=interviews.values("pk"))
        return qs

    def selected_codes(self):
        return self.form.cleaned_data.get("code") or None

    def narrowed(self):
        """The excerpts to count, or None for all those of the season's codes: the codes (rows)
        already bound them to the season, and a query without the subquery is faster."""
        data = self.form.cleaned_data
        if any(data.get(name) for name in ("entretien", "cas", "attribut")):
            return self.qs
        return None


class MatrixLayout(forms.Form):
    """What the columns are and what the cells count: not filters, the shape of the table."""

    colonnes = forms.ChoiceField(label=_("Columns"), required=False)
    compte = forms.ChoiceField(
        label=_("Count"),
        required=False,
        choices=[(EXCERPTS, _("excerpts")), (INTERVIEWS, _("interviews"))],
        widget=forms.RadioSelect,
    )

    def __init__(self, data=None, *, season, **kwargs):
        if data is not None and not data.get("compte"):
            # A query that does not say what to count counts excerpts: the form shows it checked.
            data = data.copy()
            data["compte"] = EXCERPTS
        super().__init__(data, **kwargs)
        self.season = season
        self.attributes = {str(a.pk): a for a in season.attributes.all()}
        self.fields["colonnes"].choices = [
            (_("Cases"), [(PEOPLE, _("interviewees")), (INITIATIVES, _("initiatives"))]),
            (
                _("Attributes of interviewees"),
                [(pk, a.name) for pk, a in self.attributes.items() if a.applies_to == PEOPLE_KIND],
            ),
            (
                _("Attributes of initiatives"),
                [(pk, a.name) for pk, a in self.attributes.items() if a.applies_to != PEOPLE_KIND],
            ),
        ]

    def columns(self):
        """An Attribute, or the kind of case whose cases are the columns."""
        chosen = self.cleaned_data.get("colonnes") or PEOPLE
        if chosen == PEOPLE:
            return CaseKind.INTERVIEWEE
        if chosen == INITIATIVES:
            return CaseKind.INITIATIVE
        return self.attributes[chosen]

    def count(self) -> str:
        return self.cleaned_data.get("compte") or EXCERPTS


@dataclass
class Column:
    key: str  # what a cell's link carries: the attribute's value, or the case's pk
    label: str


@dataclass
class Matrix:
    codes: list
    columns: list
    cells: dict = field(default_factory=dict)  # (code pk, column key) -> (excerpts, interviews)
    code_totals: dict = field(default_factory=dict)  # code pk -> (excerpts, interviews)
    column_totals: dict = field(default_factory=dict)  # column key -> (excerpts, interviews)
    total: tuple = (0, 0)

    def rows(self, measure: str):
        """[(code, [count per column], total)] for the measure (0 excerpts, 1 interviews)."""
        index = 1 if measure == INTERVIEWS else 0
        return [
            (
                code,
                [self.cells.get((code.pk, c.key), (0, 0))[index] for c in self.columns],
                self.code_totals.get(code.pk, (0, 0))[index],
            )
            for code in self.codes
        ]

    def footer(self, measure: str):
        index = 1 if measure == INTERVIEWS else 0
        return [self.column_totals.get(c.key, (0, 0))[index] for c in self.columns], self.total[
            index
        ]


def column_key_path(columns) -> str:
    if isinstance(columns, Attribute):
        return f"{INTERVIEW}__cases__attribute_values__value"
    return f"{INTERVIEW}__cases"


def _restrict_to_columns(rows, columns):
    """The excerpt-code rows joined to the column's case values (one join, reused by GROUP BY)."""
    if isinstance(columns, Attribute):
        return rows.filter(**{f"{INTERVIEW}__cases__attribute_values__attribute": columns})
    return rows.filter(**{f"{INTERVIEW}__cases__kind": columns})


def _counts():
    return {
        "excerpts": Count("excerpt_id", distinct=True),
        "interviews": Count(f"{INTERVIEW}_id", distinct=True),
    }


def matrix_columns(season, columns) -> list[Column]:
    if isinstance(columns, Attribute):
        values = set(columns.values.values_list("value", flat=True))
        ordered = sorted(values, key=columns.sort_key)
        return [Column(value, columns.display(value)) for value in ordered]
    cases = season.cases.filter(kind=columns).select_related("person", "initiative")
    labelled = sorted(((c.label, c.pk) for c in cases), key=lambda c: (c[0].casefold(), c[1]))
    return [Column(str(pk), label) for label, pk in labelled]


def build_matrix(season, excerpts, columns, codes=None) -> Matrix:
    """Counts of `excerpts` (a filtered queryset, or None for all) per code and column: four
    aggregate queries."""
    if codes is None:
        codes = season.codes.order_by("position", "name")
    codes = list(codes)
    matrix = Matrix(codes=codes, columns=matrix_columns(season, columns))
    rows = Excerpt.codes.through.objects.filter(code__in=[code.pk for code in codes])
    if excerpts is not None:
        rows = rows.filter(excerpt__in=excerpts)
    else:  # every excerpt of the season, a revealed double coding by its reference coding
        rows = rows.exclude(superseded_original("excerpt__"))
    joined = _restrict_to_columns(rows, columns)
    key = column_key_path(columns)
    for row in joined.values("code_id", key).annotate(**_counts()).order_by():
        matrix.cells[(row["code_id"], str(row[key]))] = (row["excerpts"], row["interviews"])
    for row in rows.values("code_id").annotate(**_counts()).order_by():
        matrix.code_totals[row["code_id"]] = (row["excerpts"], row["interviews"])
    for row in joined.values(key).annotate(**_counts()).order_by():
        matrix.column_totals[str(row[key])] = (row["excerpts"], row["interviews"])
    total = rows.aggregate(**_counts())
    matrix.total = (total["excerpts"], total["interviews"])
    return matrix


def cell_excerpts(excerpts, code, columns, key: str | None):
    """The excerpts behind one cell (or a code's total when `key` is None), in reading order."""
    excerpts = excerpts.filter(codes=code)
    if key is not None:
        if isinstance(columns, Attribute):
            interviews = Interview.objects.filter(
                cases__attribute_values__attribute=columns, cases__attribute_values__value=key
            )
        else:
            interviews = Interview.objects.filter(cases__kind=columns, cases__pk=int(key))
        excerpts = excerpts.filter(segment__transcript__interview__in=interviews.values("pk"))
    return excerpts.select_related("segment__transcript__interview__visit", "coder").order_by(
        "segment__transcript__interview__date",
        "segment__transcript__interview_id",
        "segment__position",
        "start",
        "pk",
    )


def table(matrix: Matrix, measure: str) -> list[list]:
    """The matrix as rows of cells, a header first: what the CSV and XLSX files hold."""
    header = [str(_("Code"))] + [c.label for c in matrix.columns] + [str(_("All cases"))]
    body = [[code.name, *counts, total] for code, counts, total in matrix.rows(measure)]
    footer_counts, total = matrix.footer(measure)
    return [header, *body, [str(_("All codes")), *footer_counts, total]]


def as_csv(matrix: Matrix, measure: str) -> str:
    """The table as CSV, a BOM first (as the site's other CSV downloads): a spreadsheet then
    reads the accents of codes and cases as UTF-8."""
    stream = io.StringIO()
    stream.write(csvsafe.BOM)
    csvsafe.writer(stream).writerows(table(matrix, measure))
    return stream.getvalue()


def as_xlsx(matrix: Matrix, measure: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(_("Matrix"))[:31])
    for values in table(matrix, measure):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # a name starting with "=" stays text, never a formula
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
