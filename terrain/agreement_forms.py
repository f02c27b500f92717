"""The form that puts interviews of a season in blind double coding."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .services.agreement import interviews_without


class CoderChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class DoubleCodingForm(forms.Form):
    whole_season = forms.BooleanField(
        label=_("Every interview of the season not yet in double coding"), required=False
    )
    interviews = forms.ModelMultipleChoiceField(
        label=_("Interviews"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    coders = CoderChoice(
        label=_("Coders (two or more)"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, season, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interviews"].queryset = interviews_without(season)
        self.fields["coders"].queryset = season.researchers.order_by("username")

    def clean(self):
        data = super().clean()
        if data.get("whole_season"):
            data["interviews"] = list(self.fields["interviews"].queryset)
        if not data.get("interviews"):
            raise forms.ValidationError(_("Choose at least one interview."))
        if len(data.get("coders") or []) < 2:
            raise forms.ValidationError(_("Double coding needs at least two coders."))
        return data
