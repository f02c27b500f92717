"""The forms of cases: a new attribute of the season, and the values of one case (typed fields)."""

from django import forms

from observatoire.widgets import DateInput

from .models import Attribute, AttributeKind, AttributeValue, CaseKind


class AttributeForm(forms.ModelForm):
    class Meta:
        model = Attribute
        fields = ["name", "applies_to", "kind", "choices"]
        widgets = {"choices": forms.Textarea(attrs={"rows": 3})}


def _field(attribute: Attribute) -> forms.Field:
    label, common = attribute.name, {"required": False}
    if attribute.kind == AttributeKind.NUMBER:
        return forms.DecimalField(label=label, max_digits=20, decimal_places=6, **common)
    if attribute.kind == AttributeKind.DATE:
        return forms.DateField(label=label, widget=DateInput(), **common)
    if attribute.kind == AttributeKind.CHOICE:
        choices = [("", "—")] + [(c, c) for c in attribute.choice_list()]
        return forms.ChoiceField(label=label, choices=choices, **common)
    return forms.CharField(label=label, max_length=200, **common)


class CaseValuesForm(forms.Form):
    """One field per researcher's attribute of the case's kind, typed; empty means no value."""

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        applies_to = case.kind if case.kind != CaseKind.IMPORTED else None
        self.attributes = {
            f"a{a.pk}": a
            for a in case.season.attributes.filter(applies_to=applies_to, source="").order_by(
                "position", "name"
            )
        }
        stored = {
            v.attribute_id: v.value
            for v in AttributeValue.objects.filter(
                case=case, attribute__in=[a.pk for a in self.attributes.values()]
            )
        }
        for name, attribute in self.attributes.items():
            self.fields[name] = _field(attribute)
            if attribute.pk in stored:
                self.initial[name] = stored[attribute.pk]

    def values(self) -> dict:
        """{attribute: typed value or None}, for `services.cases.set_case_values`."""
        return {a: self.cleaned_data.get(name) for name, a in self.attributes.items()}
