"""Every date input of every form renders ISO, the only value a browser's date picker accepts.

The browser tests (tests/browser/test_dates.py) save each dated record unchanged; this one makes
sure a form added later cannot bring back a localised date inside `<input type="date">`.
"""

import datetime as dt
import importlib
import inspect

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.utils import translation

from observatoire.widgets import ISO_DATE, ISO_DATETIME


def project_forms():
    """Every form class defined in a `forms` module of the project's own apps."""
    found = []
    for config in apps.get_app_configs():
        if not str(config.path).startswith(str(settings.BASE_DIR)):
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for _name, value in inspect.getmembers(module, inspect.isclass):
            # A formset made by a factory is built in django.forms: its form is what counts.
            if issubclass(value, forms.BaseFormSet) and hasattr(value, "form"):
                found.append(value.form)
            elif issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                found.append(value)
    return found


def test_the_forms_of_the_project_are_found():
    names = {form.__name__ for form in project_forms()}
    assert {"ConsentForm", "MissionForm", "FundingForm", "AssessmentForm", "ProposalForm"} <= names


@pytest.mark.parametrize("form", project_forms(), ids=lambda form: form.__name__)
def test_every_date_input_renders_iso_in_french(form):
    for name, field in form.base_fields.items():
        widget = field.widget
        kind = getattr(widget, "input_type", "")
        if kind not in ("date", "datetime-local"):
            continue
        expected = ISO_DATE if kind == "date" else ISO_DATETIME
        assert widget.format == expected, f"{form.__name__}.{name} renders a localised date"
        with translation.override("fr"):
            if kind == "date":
                assert widget.format_value(dt.date(2017, 11, 7)) == "2017-11-07"
            else:
                assert widget.format_value(dt.datetime(2017, 11, 7, 9, 30)) == "2017-11-07T09:30"
