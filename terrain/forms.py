"""Workspace forms: short, phone-friendly, one concept each."""

from django import forms
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative, Person

from .models import Code, Consent, Finding, Interview, Visit


class DateInput(forms.DateInput):
    input_type = "date"


class VisitForm(forms.ModelForm):
    initiatives = forms.ModelMultipleChoiceField(
        Initiative.objects.order_by("name"), required=False, label=_("Initiatives met")
    )

    class Meta:
        model = Visit
        fields = ["date", "place", "initiatives", "notes"]
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}


class InterviewForm(forms.ModelForm):
    class Meta:
        model = Interview
        fields = ["title", "date", "language", "duration", "audio_url", "notes"]
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"duration": _("hh:mm:ss")}


class IntervieweeForm(forms.Form):
    """An existing person, or a new one by name; with their role."""

    person = forms.ModelChoiceField(
        Person.objects.order_by("last_name", "first_name"), required=False, label=_("Person")
    )
    first_name = forms.CharField(label=_("or a new person: first name"), required=False)
    last_name = forms.CharField(label=_("last name"), required=False)
    role = forms.CharField(label=_("Role"), required=False, max_length=200)
    speaker_label = forms.CharField(
        label=_("Speaker label in the transcript"), required=False, max_length=100
    )

    def clean(self):
        data = super().clean()
        if not data.get("person") and not data.get("last_name"):
            raise forms.ValidationError(_("Choose a person or give a new person's last name."))
        return data


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = [
            "recording_allowed",
            "quoting_allowed",
            "naming",
            "pseudonym",
            "publication_allowed",
            "valid_until",
            "signed_at",
            "signed_form",
        ]
        widgets = {"valid_until": DateInput(), "signed_at": DateInput()}


class PasteForm(forms.Form):
    pasted = forms.CharField(
        label=_("Paste the transcript"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One turn a line: [00:12:03] Speaker: text"),
    )
    file = forms.FileField(label=_("or a plain-text file"), required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > 5_000_000:
                raise forms.ValidationError(_("The file is larger than 5 MB."))
            try:
                data["pasted"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from exc
        if not (data.get("pasted") or "").strip():
            raise forms.ValidationError(_("Paste some text or choose a file."))
        return data


class CodeForm(forms.ModelForm):
    class Meta:
        model = Code
        fields = ["name", "parent", "colour", "definition"]
        widgets = {
            "colour": forms.TextInput(attrs={"type": "color"}),
            "definition": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, season, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = season.codes.all()


class FindingForm(forms.ModelForm):
    class Meta:
        model = Finding
        fields = [
            "title",
            "summary",
            "text",
            "initiatives",
            "themes",
            "sectoral_interaction",
            "territorial_coherence",
            "cross_world_alliances",
        ]
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should change"), widget=forms.Textarea(attrs={"rows": 3})
    )


class QdcImportForm(forms.Form):
    file = forms.FileField(label=_("Codebook (.qdc)"))


class QdpxImportForm(forms.Form):
    file = forms.FileField(label=_("REFI-QDA project (.qdpx)"))
