"""Staff forms of the directory: initiatives, organisations, people, roles, PTCEs and their members.

The forms only read and check what was typed; `changes()` hands the values to
`services.edit_entry` (through `save_entry`, the one write path of the directory), so the forms,
the import and the contributions save alike. Dates use the ISO widgets, rows among many the
tom-select pickers, territories the typed-territory field (name, code or postcode).
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField

from observatoire.widgets import DateInput, PickerSelect, PickerSelectMultiple
from territoires.fields import TerritoryField
from territoires.models import Level

from .identifiers import compact, validate_rna, validate_siren, validate_siret
from .models import (
    CallForInterest,
    Initiative,
    Organisation,
    Person,
    Pole,
    PoleMembership,
    Role,
)


class EntryForm(forms.ModelForm):
    """A directory row: its fields, and whether it is published (for the publishable ones)."""

    published = forms.BooleanField(
        label=_("Published"),
        required=False,
        help_text=_("Shown on the public pages, in the exports and in the API."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["published"].initial = bool(self.instance.pk and self.instance.is_published)

    def changes(self) -> dict:
        """Field name -> value, for services.save_entry (many-to-many ones included)."""
        return {
            name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data
        }


def identifier_field(label, validator, help_text=""):
    # Longer than the stored value: the separators people paste are removed after the check.
    return forms.CharField(
        label=label, max_length=30, required=False, validators=[validator], help_text=help_text
    )


class IdentifiersMixin:
    """SIREN, SIRET and RNA as people paste them ("552 100 554"): kept without separators."""

    def _identifier(self, name):
        return compact(self.cleaned_data.get(name, ""))

    def clean_siren(self):
        return self._identifier("siren")

    def clean_siret(self):
        return self._identifier("siret")

    def clean_rna(self):
        return self._identifier("rna")


class InitiativeForm(IdentifiersMixin, EntryForm):
    territory = TerritoryField(label=_("Territory"))
    themes = TagField(label=_("Themes"), required=False, help_text=_("Separated by commas."))
    poles = forms.ModelMultipleChoiceField(
        label=_("PTCEs"), queryset=Pole.objects.all(), required=False, widget=PickerSelectMultiple
    )
    siret = identifier_field(
        _("SIRET"), validate_siret, _("The establishment's 14 digits, if it has its own.")
    )

    class Meta:
        model = Initiative
        fields = [
            "name",
            "summary",
            "description",
            "stage",
            "start_date",
            "end_date",
            "territory",
            "address",
            "latitude",
            "longitude",
            "themes",
            "sectoral_interaction",
            "territorial_coherence",
            "cross_world_alliances",
            "poles",
            "website",
            "contact_email",
            "contact_phone",
            "siret",
        ]
        widgets = {
            "start_date": DateInput,
            "end_date": DateInput,
            "description": forms.Textarea(attrs={"rows": 6}),
            "latitude": forms.NumberInput(attrs={"step": "any", "data-pin": "latitude"}),
            "longitude": forms.NumberInput(attrs={"step": "any", "data-pin": "longitude"}),
        }
        help_texts = {
            "latitude": _("Filled from the commune when it is chosen; drag the pin to correct it."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].widget.attrs["data-pin-territory"] = ""
        if self.instance.pk:
            self.initial.setdefault("themes", [t.name for t in self.instance.themes.all()])

    def clean(self):
        data = super().clean()
        latitude, longitude = data.get("latitude"), data.get("longitude")
        territory = data.get("territory")
        if latitude is None and longitude is None and territory is not None:
            # No pin yet: the commune's centre, which the person moves later if need be.
            if territory.level == Level.COMMUNE and territory.latitude is not None:
                data["latitude"], data["longitude"] = territory.latitude, territory.longitude
        elif (latitude is None) != (longitude is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("An initiative cannot end before it starts."))
        return data


class OrganisationForm(IdentifiersMixin, EntryForm):
    territory = TerritoryField(label=_("Territory"), required=False)
    siren = identifier_field(
        _("SIREN"), validate_siren, _("9 digits, e.g. 552 100 554; spaces are removed.")
    )
    siret = identifier_field(
        _("SIRET (head office)"),
        validate_siret,
        _("14 digits: the SIREN and the head office's 5-digit number."),
    )
    rna = identifier_field(
        _("RNA number"), validate_rna, _("For an association: W followed by 9 digits or letters.")
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "acronym",
            "legal_form",
            "siren",
            "siret",
            "rna",
            "summary",
            "description",
            "website",
            "territory",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def clean(self):
        data = super().clean()
        siren, siret = data.get("siren"), data.get("siret")
        if siren and siret and not siret.startswith(siren):
            self.add_error(
                "siret", _("This SIRET does not belong to the SIREN above (its first 9 digits).")
            )
        return data


class PersonForm(EntryForm):
    class Meta:
        model = Person
        fields = ["first_name", "last_name", "public_bio", "email", "phone"]
        widgets = {"public_bio": forms.Textarea(attrs={"rows": 4})}


class PoleForm(EntryForm):
    territory = TerritoryField(label=_("Territory"))
    calls_for_interest = forms.ModelMultipleChoiceField(
        label=_("Calls for interest (AMI)"),
        queryset=CallForInterest.objects.all(),
        required=False,
        widget=PickerSelectMultiple,
    )

    class Meta:
        model = Pole
        fields = [
            "name",
            "summary",
            "description",
            "territory",
            "stage",
            "founded_year",
            "website",
            "calls_for_interest",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}


class RoleForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        required=False,
        widget=PickerSelect,
    )

    class Meta:
        model = Role
        fields = ["organisation", "person", "kind", "title", "start_date", "end_date"]
        widgets = {"person": PickerSelect, "start_date": DateInput, "end_date": DateInput}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only public actors (and no interviewee) may be given a public role.
        self.fields["person"].queryset = Person.objects.pickable_for(user)

    def clean(self):
        data = super().clean()
        if not data.get("organisation") and not data.get("person"):
            raise forms.ValidationError(_("Choose an organisation, a person, or both."))
        return data

    def changes(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self._meta.fields}


class MembershipForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all(), widget=PickerSelect
    )

    class Meta:
        model = PoleMembership
        fields = ["organisation", "role", "start_date", "end_date"]
        widgets = {"start_date": DateInput, "end_date": DateInput}

    def changes(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self._meta.fields}


MembershipFormSet = forms.inlineformset_factory(
    Pole, PoleMembership, form=MembershipForm, extra=2, can_delete=True
)


class CallForInterestForm(forms.ModelForm):
    class Meta:
        model = CallForInterest
        fields = ["name", "year", "issuer", "url"]

    def changes(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self._meta.fields}
