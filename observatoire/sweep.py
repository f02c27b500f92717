"""The site-wide shredders: every text column of every table, and the public cache.

The apps' own shredders know what is theirs and run first; the sweep then finds the person's
full name, last name, phone number or e-mail wherever else someone typed it (a memo, a workshop
participant, a publication's authors, an admin log line, a job's error, a file's metadata) and
replaces it. A slug gets a slug-safe word so that its page still has an address.
"""

from django.apps import apps
from django.db import connection, models
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import cache
from .shredders import BaseShredder

# Secrets and encoded blobs (nothing readable to replace), and the bookkeeping of Django itself.
SKIPPED_MODELS = {"sessions.session", "auth.permission", "contenttypes.contenttype"}
SLUG_PLACEHOLDER = "erased"


def _columns(model):
    """(text columns, JSON columns) of a model that can hold a name."""
    text, json = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.choices or field.name == "password":
            continue
        if isinstance(field, models.CharField | models.TextField):
            text.append(field)
        elif isinstance(field, models.JSONField):
            json.append(field)
    return text, json


def _swept_models(subject):
    handled = {label for shredder in subject.shredders for label in shredder.handles}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in SKIPPED_MODELS or label in handled or model._meta.proxy:
            continue
        yield model


def _rows(model, subject):
    """The model's rows, less the person's own (their app's shredder empties it)."""
    rows = model._base_manager.all()
    if model is type(subject.person):
        rows = rows.exclude(pk=subject.person.pk)
    return rows


def _text_hits(model, field, subject):
    rows = _rows(model, subject).filter(subject.mentions(field.name))
    return [(pk, value) for pk, value in rows.values_list("pk", field.name) if subject.names(value)]


def _json_hits(model, field, subject):
    manager = _rows(model, subject).exclude(**{f"{field.name}__isnull": True})
    if connection.vendor == "postgresql":
        as_text = f"_{field.name}_text"
        manager = manager.annotate(**{as_text: Cast(field.name, TextField())}).filter(
            subject.mentions(as_text)
        )
    # Elsewhere (SQLite keeps JSON with its accents escaped) every row is read and checked.
    hits = []
    for pk, value in manager.values_list("pk", field.name):
        erased = subject.erase_json(value)
        if erased != value:
            hits.append((pk, erased))
    return hits


def _replacement(model, field, pk, value, subject) -> str:
    if isinstance(field, models.SlugField):
        new = subject.erase(value, replacement=SLUG_PLACEHOLDER)
    else:
        new = subject.erase(value)
    new = new[: field.max_length] if field.max_length else new
    if field.unique and model._base_manager.filter(**{field.name: new}).exclude(pk=pk).exists():
        suffix = f"-{pk}"
        new = new[: (field.max_length or len(new) + len(suffix)) - len(suffix)] + suffix
    return new


class ColumnSweep(BaseShredder):
    identifier = "sweep"
    order = 80
    verbose_name = _("Everything else")
    description = _(
        "Their full name, last name, phone number and e-mail, wherever else they were typed "
        "(any text of any table), are replaced by a placeholder."
    )

    def _hits(self, subject):
        for model in _swept_models(subject):
            text, json = _columns(model)
            found = {}
            for field in text:
                for pk, value in _text_hits(model, field, subject):
                    found.setdefault(pk, {})[field] = value
            for field in json:
                for pk, erased in _json_hits(model, field, subject):
                    found.setdefault(pk, {})[field] = erased
            if found:
                yield model, found

    def preview(self, subject):
        return [_counted(model, len(found)) for model, found in self._hits(subject)]

    def shred(self, subject):
        lines = []
        for model, found in list(self._hits(subject)):
            stamp = _auto_now_field(model)
            for pk, fields in found.items():
                changes = {}
                for field, value in fields.items():
                    if isinstance(field, models.JSONField):
                        changes[field.name] = value  # already erased
                    else:
                        changes[field.name] = _replacement(model, field, pk, value, subject)
                if stamp:  # pages and PDFs keyed by their date of change see the change
                    changes[stamp] = timezone.now()
                model._base_manager.filter(pk=pk).update(**changes)
            lines.append(_counted(model, len(found)))
        return lines


def _auto_now_field(model) -> str | None:
    for field in model._meta.concrete_fields:
        if getattr(field, "auto_now", False):
            return field.name
    return None


def _counted(model, count: int) -> str:
    return ngettext("%(model)s: %(count)d row", "%(model)s: %(count)d rows", count) % {
        "model": model._meta.verbose_name_plural,
        "count": count,
    }


class PublicCacheShredder(BaseShredder):
    identifier = "public-cache"
    order = 95
    verbose_name = _("Cached public pages")
    description = _("Every cached public page is deleted, so none shows them again.")

    def preview(self, subject):
        return [_("The cached public pages will be deleted.")]

    def shred(self, subject):
        count = cache.forget_public()
        return [
            ngettext("%(count)d cached page deleted", "%(count)d cached pages deleted", count)
            % {"count": count}
        ]
