"""The upload form: a file and its kind; the content itself is judged by services.check_upload."""

from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))
    kind = forms.ChoiceField(label=_("Kind of file"))

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in kinds]
