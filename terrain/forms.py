"""Workspace forms: short, phone-friendly, one concept each."""

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative, Person
from medias import conf as media_conf
from medias.services import UploadRefused, check_file
from medias.storage import delete_on_commit
from observatoire.widgets import DateInput, PickerSelect, PickerSelectMultiple

from . import audio_urls
from .models import Code, Consent, Finding, Interview, Visit


def initiatives_for(user):
    """The initiatives a researcher may link: those they may see (staff: drafts too)."""
    return Initiative.objects.visible_to(user).order_by("name")


class VisitForm(forms.ModelForm):
    initiatives = forms.ModelMultipleChoiceField(
        Initiative.objects.none(),
        required=False,
        label=_("Initiatives met"),
        widget=PickerSelectMultiple,
    )

    class Meta:
        model = Visit
        fields = ["date", "place", "initiatives", "notes"]
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiatives"].queryset = initiatives_for(user)


class InterviewForm(forms.ModelForm):
    class Meta:
        model = Interview
        fields = ["title", "date", "language", "duration", "audio_url", "notes"]
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"duration": _("hh:mm:ss")}

    def clean_audio_url(self):
        url = self.cleaned_data["audio_url"].strip()
        if url and not audio_urls.allowed(url):
            raise forms.ValidationError(
                _(
                    "Give an address on this site (starting with a single /) or on a recording "
                    "host the observatory trusts."
                )
            )
        return url


class IntervieweeForm(forms.Form):
    """An existing person, or a new one by name; with their role."""

    person = forms.ModelChoiceField(
        Person.objects.none(), required=False, label=_("Person"), widget=PickerSelect
    )
    first_name = forms.CharField(label=_("or a new person: first name"), required=False)
    last_name = forms.CharField(label=_("last name"), required=False)
    role = forms.CharField(label=_("Role"), required=False, max_length=200)
    speaker_label = forms.CharField(
        label=_("Speaker label in the transcript"), required=False, max_length=100
    )

    def __init__(self, *args, season, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The public actors and the people this season met; a submitted id outside is refused.
        self.fields["person"].queryset = Person.objects.pickable_for(
            user, "fieldwork", season=season
        )

    def clean(self):
        data = super().clean()
        if not data.get("person") and not data.get("last_name"):
            raise forms.ValidationError(_("Choose a person or give a new person's last name."))
        return data


class SignedFormChecks(forms.ModelForm):
    """A consent's signed form goes through the checks of every kept upload (sniffed content: a
    PDF or an image; a name that does not lie; a size limit), here and in the admin alike."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.previous_form = self.instance.signed_form.name if self.instance.pk else ""
        self.sniffed_type = None

    def clean_signed_form(self):
        upload = self.cleaned_data.get("signed_form")
        if isinstance(upload, UploadedFile):
            try:
                self.sniffed_type = check_file(
                    upload,
                    consent_form_types(),
                    settings.MEDIA_LIMITS["consent"],
                    _("a signed consent form (PDF or image)"),
                )
            except UploadRefused as exc:
                raise forms.ValidationError(exc.message, code="refused") from None
        return upload

    def save(self, commit=True):
        consent = super().save(commit=False)
        if self.sniffed_type is not None:
            consent.signed_form_type = self.sniffed_type
        elif not consent.signed_form:  # cleared
            consent.signed_form_name = consent.signed_form_type = ""
        if commit:
            consent.save()
            self.drop_replaced_form()
        return consent

    def drop_replaced_form(self) -> None:
        """Replaced or cleared: the old scan goes too, once the change is committed."""
        if self.previous_form and self.instance.signed_form.name != self.previous_form:
            delete_on_commit(self.instance.signed_form.storage, self.previous_form)


class ConsentForm(SignedFormChecks):
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


def consent_form_types() -> dict[str, set[str]]:
    """What a signed consent form may be: a PDF or a scan/photo (sniffed type -> extensions)."""
    return {"application/pdf": {".pdf"}, **media_conf.TYPES["image"]}


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
        widgets = {
            "text": forms.Textarea(attrs={"rows": 8}),
            "initiatives": PickerSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiatives"].queryset = initiatives_for(user)


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should change"), widget=forms.Textarea(attrs={"rows": 3})
    )


class QdcImportForm(forms.Form):
    file = forms.FileField(label=_("Codebook (.qdc)"))


class QdpxImportForm(forms.Form):
    file = forms.FileField(label=_("REFI-QDA project (.qdpx)"))
