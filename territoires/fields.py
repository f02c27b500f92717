"""A territory picked by typing: a text input with a datalist filled from a small JSON endpoint.

A select over every territory of France (35,000 communes and more) is too heavy for a page;
the input shows "Name (code, level)", which the field reads back into the Territory.
"""

import re

from django import forms
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Level, Territory

_LABEL = re.compile(r"\((?P<code>[^,()]*), (?P<level>[^()]+)\)\s*$")


def territory_label(territory: Territory) -> str:
    level = Level(territory.level).label
    return f"{territory.name} ({territory.code}, {level})"


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
    }

    def __init__(self, *, queryset=None, **kwargs):
        kwargs.setdefault("help_text", _("Type a few letters of its name and pick a suggestion."))
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
        match = _LABEL.search(value)
        if match:
            levels = {str(label): level for level, label in Level.choices}
            found = self.queryset.filter(
                code=match["code"].strip(),
                level=levels.get(match["level"].strip(), ""),
                name=value[: match.start()].strip(),
            )
        else:
            found = self.queryset.filter(name__iexact=value)
        candidates = list(found[:2])
        if len(candidates) != 1:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown")
        return candidates[0]
