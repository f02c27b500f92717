"""The public's forms (a new initiative, a correction, a claim) and the moderators' forms."""

import copy

from django import forms
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative
from territoires.fields import TerritoryField

from . import fields as proposable
from .models import Claim, Contribution

HONEYPOT = "homepage"


class SenderMixin(forms.Form):
    """Who sends it, and the field only robots fill (hidden from people by CSS and aria)."""

    sender_name = forms.CharField(label=_("Your name"), max_length=120, required=False)
    sender_email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send you a link to confirm; it is never published."),
    )
    sender_message = forms.CharField(
        label=_("A word for the team (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())

    def sender(self) -> dict:
        return {
            "name": self.cleaned_data["sender_name"],
            "email": self.cleaned_data["sender_email"],
            "message": self.cleaned_data["sender_message"],
        }


class InitiativeFieldsForm(forms.ModelForm):
    """The proposable fields, checked by the model's own validators (SIRET, URL, e-mail)."""

    territory = TerritoryField(label=_("Commune or territory"))

    class Meta:
        model = Initiative
        fields = list(proposable.FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def clean(self):
        data = super().clean()
        for name, value in data.items():
            if isinstance(value, str):
                data[name] = value.replace("\r\n", "\n")
        return data

    def proposed(self) -> dict:
        return {
            name: proposable.to_json(name, self.cleaned_data.get(name))
            for name in proposable.FIELDS
        }


SENDER_FIELDS = ["sender_name", "sender_email", "sender_message", "homepage"]


class NewInitiativeForm(InitiativeFieldsForm, SenderMixin):
    # Ticked by the person once shown the published entries theirs may duplicate.
    different = forms.BooleanField(
        label=_("It is another initiative: send my proposal"), required=False
    )

    field_order = [*proposable.FIELDS, *SENDER_FIELDS]

    def __init__(self, *args, **kwargs):
        # No instance passed: the model form makes its own and starts empty. An Initiative()
        # handed in would lend the form its unsaved db_default expressions as initial values.
        super().__init__(*args, **kwargs)
        self.fields["summary"].required = True


class HolderEditForm(InitiativeFieldsForm):
    """Prefilled with the profile; only what the person changes counts (the claim holder's form)."""

    def __init__(self, *args, initiative, **kwargs):
        self.current = proposable.of_entry(initiative)
        initial = {name: getattr(initiative, name) for name in proposable.FIELDS}
        # A copy: the model form writes the typed values onto its instance to validate them.
        entry = Initiative.objects.get(pk=initiative.pk)
        super().__init__(*args, instance=entry, initial=initial, **kwargs)

    def changes(self) -> dict:
        proposed = self.proposed()
        return {k: v for k, v in proposed.items() if v != self.current.get(k)}

    def clean(self):
        data = super().clean()
        if not self.errors and not self.changes():
            raise forms.ValidationError(_("You changed nothing: correct at least one field."))
        return data


class CorrectionForm(HolderEditForm, SenderMixin):
    """Anyone's correction of a published profile."""

    field_order = [*proposable.FIELDS, *SENDER_FIELDS]


class ClaimForm(SenderMixin):
    role = forms.CharField(
        label=_("Your role in the initiative"),
        max_length=200,
        help_text=_("For instance: co-founder, coordinator, member of the board."),
    )

    field_order = ["sender_name", "sender_email", "role", "sender_message", "homepage"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sender_name"].required = True


class ReviewForm(forms.Form):
    """One line per proposed field: a box to accept it, and its value, which staff may edit."""

    def __init__(self, *args, contribution: Contribution, **kwargs):
        super().__init__(*args, **kwargs)
        self.contribution = contribution
        base = InitiativeFieldsForm.base_fields
        self.names = [name for name in proposable.FIELDS if name in contribution.proposed]
        for name in self.names:
            value = contribution.proposed[name]
            self.fields[f"accept_{name}"] = forms.BooleanField(
                label=_("Accept “%(field)s”") % {"field": proposable.label(name)},
                required=False,
                initial=True,
            )
            self.fields[name] = copy.deepcopy(base[name])
            self.fields[name].required = False
            self.initial[name] = value
        if contribution.kind == "new":
            self.fields["publish"] = forms.BooleanField(
                label=_("Publish the new initiative at once"), required=False, initial=True
            )

    def accepted(self) -> dict:
        """The ticked fields with their (possibly edited) values, as save_entry takes them."""
        values = {
            name: self.cleaned_data.get(name)
            for name in self.names
            if self.cleaned_data.get(f"accept_{name}")
        }
        return {
            name: value.replace("\r\n", "\n") if isinstance(value, str) else value
            for name, value in values.items()
        }

    def clean(self):
        data = super().clean()
        if not self.errors and not self.accepted():
            raise forms.ValidationError(
                _("Tick at least one field to accept, or refuse the proposal.")
            )
        return data

    def rows(self):
        """For the template: each field with its box, its input and the diff's two sides."""
        current = (
            proposable.of_entry(self.contribution.initiative)
            if self.contribution.initiative_id
            else {}
        )
        original = self.contribution.original or {}
        for name in self.names:
            proposed = self.contribution.proposed[name]
            yield {
                "name": name,
                "label": proposable.label(name),
                "accept": self[f"accept_{name}"],
                "field": self[name],
                "old": proposable.shown(name, current.get(name, "")),
                "new": proposable.shown(name, proposed),
                "moved": name in original and original[name] != current.get(name, ""),
                "then": proposable.shown(name, original.get(name, "")),
            }


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for refusal (sent to the sender)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ClaimDecisionForm(forms.ModelForm):
    class Meta:
        model = Claim
        fields = ["publish_directly"]


class BulkSpamForm(forms.Form):
    contributions = forms.ModelMultipleChoiceField(
        queryset=Contribution.objects.to_moderate(), required=False
    )
    claims = forms.ModelMultipleChoiceField(queryset=Claim.objects.to_moderate(), required=False)

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("contributions") or data.get("claims")):
            raise forms.ValidationError(_("Select at least one proposal."))
        return data
