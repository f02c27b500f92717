"""The directory's history (django-simple-history) read as a person reads it: versions, diffs, how.

Every save of a directory row writes a version (services.save_entry says who and how). This module
keeps an initiative's themes and PTCEs in its latest version (django-simple-history does not follow
taggit's themes), and turns versions into what the staff history page shows: who, when, how (a
form, an import run, a contribution, a merge, a restored version), and each field's before/after.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Subquery
from django.db.models.signals import m2m_changed
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.signals import pre_create_historical_record

from .duplicates import fold
from .models import Initiative, Pole

# Bookkeeping, not content: never shown as a change, never restored.
NOT_SHOWN = {"id", "search_vector", "created_at", "updated_at"}
NOT_RESTORED = NOT_SHOWN | {"slug", "state", "published_at", "source", "source_id"}
MANY = {"theme_names": gettext_lazy("themes"), "pole_ids": gettext_lazy("PTCEs")}
PAGE_SIZE = 20

# "how" prefixes -> (label with %(id)s, URL name taking the id, or None). The apps that write with a
# reason of their own (the import, contributions, claims) register where their record is shown.
REASONS = {
    "form": (gettext_lazy("edited in a form"), None),
    "import": (gettext_lazy("import no. %(id)s"), None),
    "contribution": (gettext_lazy("contribution no. %(id)s"), None),
    "claim": (gettext_lazy("edited by the claim holder (claim no. %(id)s)"), None),
    "merge": (gettext_lazy("merge no. %(id)s"), None),
    "restore": (gettext_lazy("restored version no. %(id)s"), None),
    "erasure": (gettext_lazy("person erased"), None),
}


def register_reason(prefix: str, label, url_name: str | None = None) -> None:
    """Say how a reason reads ("import no. %(id)s") and which page shows its record."""
    REASONS[prefix] = (label, url_name)


@dataclass
class How:
    text: str
    url: str | None = None


def how(reason: str | None) -> How:
    """A version's reason ("import:12") as a sentence, with a link where its record has a page."""
    if not reason:
        return How(_("unknown"))
    prefix, _sep, ident = reason.partition(":")
    if prefix not in REASONS:
        return How(reason)
    label, url_name = REASONS[prefix]
    text = str(label) % {"id": ident} if "%(id)s" in str(label) else str(label)
    url = None
    if prefix == "restore" and ident:
        url = f"#version-{ident}"
    elif url_name and ident:
        try:
            url = reverse(url_name, args=[ident])
        except NoReverseMatch:
            url = None
    return How(text, url)


# --- Keeping the themes and PTCEs of an initiative in its versions -----------------------------


def _themes(initiative):
    return sorted(initiative.themes.names(), key=fold)


def _poles(initiative):
    return sorted(initiative.poles.values_list("pk", flat=True))


SNAPSHOTS = {"theme_names": _themes, "pole_ids": _poles}


def snapshot(initiative, names=tuple(SNAPSHOTS)) -> dict:
    return {name: SNAPSHOTS[name](initiative) for name in names}


def _on_new_version(sender, instance, history_instance, **kwargs):
    if not isinstance(instance, Initiative):
        return
    if history_instance.history_type == "+":
        # A new row has no links yet (an import writes thousands: no queries spent on them).
        history_instance.theme_names, history_instance.pole_ids = [], []
        return
    for name, value in snapshot(instance).items():
        setattr(history_instance, name, value)


def _on_links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Themes or PTCEs set after the save: the version just written learns them."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if isinstance(instance, Initiative):
        changed = [instance]
    elif reverse and isinstance(instance, Pole) and pk_set:
        changed = list(Initiative.objects.filter(pk__in=pk_set))
    else:
        return
    names = ("pole_ids",) if sender is Initiative.poles.through else ("theme_names",)
    for initiative in changed:
        record_links(initiative, names)


def record_links(obj, names=tuple(SNAPSHOTS)) -> None:
    """Write an initiative's current themes and PTCEs into its latest version (one UPDATE)."""
    if not isinstance(obj, Initiative):
        return
    versions = Initiative.history.model.objects
    latest = versions.filter(id=obj.pk).order_by("-history_id").values("history_id")[:1]
    versions.filter(history_id=Subquery(latest)).update(**snapshot(obj, names))


def connect() -> None:
    pre_create_historical_record.connect(
        _on_new_version, sender=Initiative.history.model, dispatch_uid="initiative-snapshot"
    )
    for through in (Initiative.themes.through, Initiative.poles.through):
        m2m_changed.connect(_on_links_changed, sender=through, dispatch_uid=f"links-{through}")


# --- Reading versions --------------------------------------------------------------------------


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Version:
    record: object
    how: How
    changes: list = field(default_factory=list)
    created: bool = False
    deleted: bool = False

    @property
    def id(self):
        return self.record.history_id


def shown_fields(record) -> list:
    return [f for f in record.tracked_fields if f.name not in NOT_SHOWN]


def _labels(records):
    """Names of the rows the versions' foreign keys and PTCE ids point at, read once per model."""
    wanted: dict = {}
    for record in records:
        for f in shown_fields(record):
            if f.is_relation and getattr(record, f.attname) is not None:
                wanted.setdefault(f.related_model, set()).add(getattr(record, f.attname))
        for pk in getattr(record, "pole_ids", None) or []:
            wanted.setdefault(Pole, set()).add(pk)
    return {model: model._base_manager.in_bulk(ids) for model, ids in wanted.items()}


def _shown(record, f, labels) -> str:
    value = getattr(record, f.attname)
    if value in (None, ""):
        return "—"
    if f.is_relation:
        row = labels.get(f.related_model, {}).get(value)
        return str(row) if row is not None else _("deleted (%(id)s)") % {"id": value}
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        # As the page's own dates read: in the site's time zone and language, not ISO in UTC.
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


def _many_shown(name, value, labels) -> str:
    if not value:
        return "—"
    if name == "pole_ids":
        poles = labels.get(Pole, {})
        return ", ".join(str(poles.get(pk, pk)) for pk in value)
    return ", ".join(value)


def diff(new, old, labels) -> list[Change]:
    """What changed from `old` to `new`, field by field (from nothing when `old` is None)."""
    changes = []
    for f in shown_fields(new):
        after, before = getattr(new, f.attname), getattr(old, f.attname) if old else None
        if after != before and not (old is None and after in (None, "", False)):
            old_text = _shown(old, f, labels) if old else "—"
            changes.append(Change(str(f.verbose_name), old_text, _shown(new, f, labels)))
    for name, label in MANY.items():
        after, before = getattr(new, name, None), getattr(old, name, None) if old else None
        if after is None or (before is None and old is not None):
            continue  # not known in one of the two versions: nothing can be said
        if after != before and not (old is None and not after):
            changes.append(
                Change(
                    str(label),
                    _many_shown(name, before, labels),
                    _many_shown(name, after, labels),
                )
            )
    return changes


def versions(obj, page_number=1):
    """A page of the row's versions, newest first, each with its diff against the one before."""
    from django.core.paginator import Paginator

    records = obj.history.select_related("history_user").order_by("-history_date", "-history_id")
    page = Paginator(records, PAGE_SIZE).get_page(page_number)
    rows = list(page.object_list)
    # The version before the page's oldest, for its diff.
    before = records.filter(history_id__lt=rows[-1].history_id).first() if rows else None
    labels = _labels([*rows, *([before] if before else [])])
    out = []
    for index, record in enumerate(rows):
        previous = rows[index + 1] if index + 1 < len(rows) else before
        out.append(
            Version(
                record,
                how(record.history_change_reason),
                diff(record, previous, labels),
                created=record.history_type == "+",
                deleted=record.history_type == "-",
            )
        )
    page.versions = out
    return page


def version_of(obj, history_id):
    return obj.history.get(history_id=history_id)


def restorable(version) -> dict:
    """The changes that bring a row back to `version` (for services.save_entry)."""
    changes = {
        f.attname: getattr(version, f.attname)
        for f in version.tracked_fields
        if f.name not in NOT_RESTORED
    }
    if getattr(version, "theme_names", None) is not None:
        changes["themes"] = version.theme_names
    if getattr(version, "pole_ids", None) is not None:
        changes["poles"] = list(Pole.objects.filter(pk__in=version.pole_ids))
    return changes
