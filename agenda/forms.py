"""The proposal form of actors, and the upload of their .ics file."""

from django import forms
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField

from initiatives.models import Initiative, Organisation, Pole
from observatoire.widgets import DateTimeInput, PickerSelect, PickerSelectMultiple
from territoires.fields import TerritoryField

from .models import Event

MAX_ICS = 2 * 1024 * 1024


class ProposalForm(forms.ModelForm):
    themes = TagField(label=_("Themes"), required=False, help_text=_("Separated by commas."))
    initiatives = forms.ModelMultipleChoiceField(
        label=_("Initiatives"),
        queryset=Initiative.objects.published(),
        required=False,
        widget=PickerSelectMultiple,
    )
    poles = forms.ModelMultipleChoiceField(
        label=_("PTCEs"),
        queryset=Pole.objects.published(),
        required=False,
        widget=PickerSelectMultiple,
    )
    organiser = forms.ModelChoiceField(
        label=_("Organiser"),
        queryset=Organisation.objects.published(),
        required=False,
        widget=PickerSelect,
    )
    territory = TerritoryField(label=_("Territory"), required=False)

    class Meta:
        model = Event
        fields = [
            "title",
            "description",
            "kind",
            "starts_at",
            "ends_at",
            "all_day",
            "place",
            "online",
            "url",
            "territory",
            "organiser",
        ]
        widgets = {"starts_at": DateTimeInput, "ends_at": DateTimeInput}

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end < start:
            self.add_error("ends_at", _("An event cannot end before it starts."))
        return data


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for refusal (sent to the proposer)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class IcsUploadForm(forms.Form):
    file = forms.FileField(label=_("Calendar file (.ics)"))
    organiser = forms.ModelChoiceField(
        label=_("Organiser"),
        queryset=Organisation.objects.published(),
        required=False,
        widget=PickerSelect,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ICS:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload
