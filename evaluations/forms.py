"""The assessment form: a date, notes, and for each criterion of the grid a level and evidence."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observatoire.vocabulary import term
from observatoire.widgets import DateInput

from .models import Grid


class GridField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return term(obj.name)  # the shared grid in the reader's language


class GridChoiceForm(forms.Form):
    grid = GridField(label=_("Grid"), queryset=Grid.objects.all())


def level_field(criterion) -> str:
    return f"level_{criterion.pk}"


def evidence_field(criterion) -> str:
    return f"evidence_{criterion.pk}"


class AssessmentForm(forms.Form):
    """Built from the grid's dimensions (criteria and levels prefetched by the selector)."""

    date = forms.DateField(label=_("Date of the assessment"), widget=DateInput)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, dimensions, assessment=None, **kwargs):
        initial = kwargs.pop("initial", {}) or {}
        if assessment is not None:
            initial |= {"date": assessment.date, "notes": assessment.notes}
            for score in assessment.scores.all():
                initial[f"level_{score.criterion_id}"] = str(score.level_id)
                initial[f"evidence_{score.criterion_id}"] = score.evidence
        else:
            initial.setdefault("date", timezone.localdate())
        super().__init__(*args, initial=initial, **kwargs)
        self.dimensions = dimensions
        self.criteria = [c for dimension in dimensions for c in dimension.criteria.all()]
        for criterion in self.criteria:
            self.fields[level_field(criterion)] = forms.TypedChoiceField(
                label=criterion.name,
                choices=[("", _("Not assessed yet"))]
                + [(str(level.pk), str(level)) for level in criterion.levels.all()],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[evidence_field(criterion)] = forms.CharField(
                label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def scores(self) -> dict[int, tuple[int | None, str]]:
        data = self.cleaned_data
        return {
            c.pk: (data.get(level_field(c)), data.get(evidence_field(c), "").strip())
            for c in self.criteria
        }

    def sections(self):
        """For the template: dimension -> criteria with their bound fields and levels."""
        return [
            {
                "dimension": dimension,
                "criteria": [
                    {
                        "criterion": criterion,
                        "level": self[level_field(criterion)],
                        "evidence": self[evidence_field(criterion)],
                        "levels": list(criterion.levels.all()),
                    }
                    for criterion in dimension.criteria.all()
                ],
            }
            for dimension in self.dimensions
        ]
