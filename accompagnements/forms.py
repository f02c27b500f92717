"""Small forms of the staff pages; the services do the checking that matters."""

from django import forms
from django.utils.translation import gettext_lazy as _


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
