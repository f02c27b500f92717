"""A territory picked by typing: a text input with a datalist filled from a small JSON endpoint.

A select over every territory of France (35,000 communes and more) is too heavy for a page;
the input shows "Name (code, level)", which the field reads back into the Territory, as it reads
a name, a code or a postcode typed without picking a suggestion (lookup.py).
"""

from django import forms
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .lookup import label as territory_label
from .lookup import resolve
from .models import Territory

__all__ = ["TerritoryField", "TerritoryInput", "territory_label"]


class TerritoryInput(forms.TextInput):
    """The text input and its (initially empty) datalist; territory-suggest.js fills it."""

    def __init__(self, attrs=None):
        super().__init__(
            {"autocomplete": "off", "data-suggest-url": reverse_lazy("territoires:suggest")}
            | (attrs or {})
        )

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        datalist = f"{attrs.get('id') or name}-suggestions"
        attrs["list"] = datalist
        html = super().render(name, value, attrs, renderer)
        return format_html('{}<datalist id="{}"></datalist>', html, datalist)


class TerritoryField(forms.Field):
    widget = TerritoryInput
    default_error_messages = {
        "unknown": _("Choose a territory from the suggestions, e.g. “Arras (62041, commune)”."),
        "ambiguous": _("“%(typed)s” may be several territories: %(candidates)s. Choose one."),
    }

    def __init__(self, *, queryset=None, **kwargs):
        kwargs.setdefault(
            "help_text", _("Type a few letters of its name, its code or a postcode, and pick one.")
        )
        super().__init__(**kwargs)
        self.queryset = queryset if queryset is not None else Territory.objects.all()

    def prepare_value(self, value):
        if isinstance(value, Territory):
            return territory_label(value)
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            territory = self.queryset.filter(pk=value).first()
            return territory_label(territory) if territory else ""
        return value

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        resolution = resolve(value, self.queryset)
        if resolution.territory is not None:
            return resolution.territory
        if resolution.candidates:
            raise forms.ValidationError(
                self.error_messages["ambiguous"],
                code="ambiguous",
                params={
                    "typed": value,
                    "candidates": "; ".join(territory_label(t) for t in resolution.candidates[:5]),
                },
            )
        raise forms.ValidationError(self.error_messages["unknown"], code="unknown")
