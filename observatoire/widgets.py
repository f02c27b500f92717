"""The widgets every form of the project uses for dates and for choosing among many rows.

Dates: a browser's `<input type="date">` (and `datetime-local`) takes and gives its value in ISO
whatever the page's language. Django renders a date in the active language's first input format
(`07/11/2017` in French), which the browser rejects: the field looks empty and saving the form
unchanged erases the date. These widgets always render ISO; Django's date fields accept ISO in
every language, so nothing else changes.

Pickers: a select carrying `data-picker` is turned by static/js/pickers.js into a searchable
picker (tom-select); without JavaScript it stays an ordinary select and the form still works.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe

ISO_DATE = "%Y-%m-%d"
# The browser's datetime-local value: no seconds, no time zone (Django reads it in the current one).
ISO_DATETIME = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=ISO_DATE)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=ISO_DATETIME)


class ManyOptions:
    """A select whose options are written in Python, as Django's templates write them.

    Django renders each option through two template includes, about 50 µs an option: the map's
    filter of 841 PTCEs took 46 ms, most of the map page. The markup is the same (`flatatt` writes
    the attributes as Django's attrs.html does), every value and label escaped as there.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(format_html('<optgroup label="{}">', group))
            parts.extend(
                f'<option value="{escape(str(option["value"]))}"{flatatt(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>"
                for option in options
            )
            if group:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value and label is escaped above


class ManyOptionsSelectMultiple(ManyOptions, forms.SelectMultiple):
    pass


class PickerSelect(ManyOptions, forms.Select):
    """One row among many, searchable by typing."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-picker": "", **(attrs or {})}, choices)


class PickerSelectMultiple(ManyOptions, forms.SelectMultiple):
    """Several rows among many: type a few letters, choose, repeat; no Ctrl-click."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-picker": "", **(attrs or {})}, choices)
