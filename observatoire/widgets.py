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


class PickerSelect(forms.Select):
    """One row among many, searchable by typing."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-picker": "", **(attrs or {})}, choices)


class PickerSelectMultiple(forms.SelectMultiple):
    """Several rows among many: type a few letters, choose, repeat; no Ctrl-click."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-picker": "", **(attrs or {})}, choices)
