"""Messages of jobs (steps, reasons of failure) kept as English msgids with their values.

A worker has no reader: it stores `gettext_noop` msgids and their values, and each page translates
them for the person who reads it, so an English page never shows a French "Terminé" written by a
worker running in French, and the reverse.
"""

from django.utils.translation import gettext


def translated(message: str, params: dict | None = None) -> str:
    """A stored msgid in the reader's language, its values put back in."""
    if not message:
        return ""
    text = gettext(message)
    if not params:
        return text
    try:
        return text % params
    except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder
        try:
            return message % params
        except (KeyError, TypeError, ValueError):
            return message
