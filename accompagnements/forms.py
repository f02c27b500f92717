"""Small forms of the staff pages; the services do the checking that matters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative, Person
from observatoire.widgets import DateInput, DateTimeInput, PickerSelect, PickerSelectMultiple
from territoires.fields import TerritoryField

from .models import Funding, SupportMission, Workshop


class CardsForm(forms.Form):
    text = forms.CharField(
        label=_("New cards, one per line"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20_000,
    )


class ClusterForm(forms.Form):
    title = forms.CharField(label=_("Cluster title"), max_length=200)


class StepForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2200)
    text = forms.CharField(label=_("Step"), max_length=500)


class VersionForm(forms.Form):
    """Size and sniffed type are judged by medias.services.check_upload, as for every upload."""

    file = forms.FileField(label=_("File"))
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MissionForm(forms.ModelForm):
    """A mission's description; its state is changed only by services.change_state."""

    territory = TerritoryField(label=_("Territory"), required=False)

    class Meta:
        model = SupportMission
        fields = [
            "title",
            "client_organisation",
            "client_pole",
            "audience",
            "consultants",
            "territory",
            "initiatives",
            "objectives",
            "start_date",
            "end_date",
        ]
        widgets = {
            "client_organisation": PickerSelect,
            "client_pole": PickerSelect,
            "consultants": PickerSelectMultiple,
            "initiatives": PickerSelectMultiple,
            "start_date": DateInput,
            "end_date": DateInput,
            "objectives": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Consultants are public actors or contacts, never people met only in fieldwork.
        self.fields["consultants"].queryset = Person.objects.pickable_for(user)
        self.fields["initiatives"].queryset = Initiative.objects.order_by("name")

    def clean(self):
        data = super().clean()
        if bool(data.get("client_organisation")) == bool(data.get("client_pole")):
            raise forms.ValidationError(_("Choose one client: an organisation or a PTCE."))
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("A mission cannot end before it starts."))
        return data


FundingFormSet = forms.inlineformset_factory(
    SupportMission,
    Funding,
    fields=["funder", "programme", "call_for_interest", "amount", "start_date", "end_date"]
    + ["status"],
    widgets={"funder": PickerSelect, "start_date": DateInput, "end_date": DateInput},
    extra=1,
    can_delete=True,
)


class WorkshopForm(forms.ModelForm):
    class Meta:
        model = Workshop
        fields = [
            "title",
            "date",
            "place",
            "online",
            "method",
            "participant_count",
            "facilitators",
            "summary",
            "target_year",
            "scenario",
        ]
        widgets = {
            "date": DateTimeInput,
            "facilitators": PickerSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "scenario": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = Person.objects.pickable_for(user)
