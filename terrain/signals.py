"""Signals terrain sends for what changes without a row's own save (a queryset update).

`public_quotes_changed(sender=Finding, finding_ids=[...])`: what the public may read of these
findings' quotes changed (a consent withdrawn or lapsed, a pseudonym applied or undone); the
apps that keep a copy of public quotes (publications' change feed) listen.
"""

from django.dispatch import Signal

public_quotes_changed = Signal()
