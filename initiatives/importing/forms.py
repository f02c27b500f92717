"""The import's forms: the file and its source, then which column is which field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import columns

IGNORE = ""


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (any encoding, separated by ; , or tabs), spreadsheet (.xlsx), GeoJSON, or a "
            "GoGoCarto JSON export."
        ),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=80,
        widget=forms.TextInput(attrs={"list": "import-sources"}),
        help_text=_(
            "Who the file comes from (a partner, a map). The next file of the same source reuses "
            "this file's column matching, and updates the entries it created."
        ),
    )
    publish = forms.BooleanField(
        label=_("Publish the new entries at once (otherwise they wait as drafts)"),
        required=False,
    )


class MappingForm(forms.Form):
    """One choice per column of the file, with a few of its values as help."""

    def __init__(self, *args, run, samples=None, **kwargs):
        kwargs.setdefault("label_suffix", "")  # the label is the column's name, as in the file
        super().__init__(*args, **kwargs)
        self.run = run
        options = [(IGNORE, _("— ignore this column —")), *columns.choices()]
        for index, name in enumerate(run.columns):
            values = (samples or {}).get(name) or []
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=name,
                choices=options,
                required=False,
                initial=run.mapping.get(name, IGNORE),
                help_text=_("For example: %(values)s") % {"values": " · ".join(values)}
                if values
                else _("Empty in the first rows."),
            )

    def mapping(self) -> dict:
        return {
            name: self.cleaned_data.get(f"column_{index}") or IGNORE
            for index, name in enumerate(self.run.columns)
        }
