"""Recording the change feed (`/api/v1/changes/`): one hook for every way a public row changes.

Each save, delete or many-to-many change of a row an API object shows records a `Change` for the
objects whose representation it may alter (an initiative withdrawn changes the publications,
findings and events listing it, and its territory's count). What changes without a signal is
recorded by the operation itself: a withdrawn consent (its interview's findings lose the quotes)
and an erasure (every published object again, and a tombstone for the person). Recording too
much costs a partner one extra fetch; recording too little would leave a withdrawn quote in
their copy, so the rules below err on the side of more.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils.translation import gettext_lazy, ngettext
from taggit.models import TaggedItem

from agenda.models import Event
from initiatives.models import Initiative, Organisation, Person, Pole
from observatoire.shredders import BaseShredder
from terrain.models import Consent, Excerpt, Finding, FindingExcerpt, Interviewee
from terrain.services.consent import findings_of_interviews
from terrain.signals import public_quotes_changed
from territoires.models import Territory

from .models import Change, Publication

# The API's kinds (its routes' names) and their models.
KINDS = {
    "initiative": Initiative,
    "organisation": Organisation,
    "ptce": Pole,
    "territory": Territory,
    "publication": Publication,
    "finding": Finding,
    "event": Event,
}
KIND_OF = {model: kind for kind, model in KINDS.items()}
# Not an API object, but erased people get a tombstone: partners drop whatever they hold on them.
PERSON = "person"


def record(pairs) -> int:
    """Record `(kind, id)` pairs (duplicates and null ids dropped); returns how many."""
    rows = {(kind, int(pk)) for kind, pk in pairs if pk is not None}
    Change.objects.bulk_create(Change(kind=kind, object_id=pk) for kind, pk in sorted(rows))
    return len(rows)


def _ids(queryset):
    return list(queryset.values_list("pk", flat=True))


def affected(obj) -> list[tuple[str, int]]:
    """The API objects whose representation a change of `obj` may alter."""
    pairs = []
    if isinstance(obj, tuple(KIND_OF)):
        pairs.append((KIND_OF[type(obj)], obj.pk))
    if isinstance(obj, Initiative):
        # Its territory's count (and the one it left), the lists that name it by slug.
        pairs += [("territory", obj.territory_id), ("territory", getattr(obj, "_feed_was", None))]
        pairs += [("publication", pk) for pk in _ids(Publication.objects.filter(initiatives=obj))]
        pairs += [("finding", pk) for pk in _ids(obj.findings.all())]
        pairs += [("event", pk) for pk in _ids(obj.events.all())]
    elif isinstance(obj, Pole):
        pairs += [("initiative", pk) for pk in _ids(obj.initiatives.all())]
    elif isinstance(obj, Organisation):
        pairs += [("event", pk) for pk in _ids(obj.events.all())]
    elif isinstance(obj, FindingExcerpt):
        pairs.append(("finding", obj.finding_id))
    elif isinstance(obj, Excerpt) and obj.pk is not None:
        backed = FindingExcerpt.objects.filter(excerpt_id=obj.pk).values_list("finding_id")
        pairs += [("finding", pk) for (pk,) in backed]
    elif isinstance(obj, Consent):
        interview = Interviewee.objects.filter(pk=obj.interviewee_id).values("interview_id")
        pairs += [("finding", pk) for pk in _ids(findings_of_interviews(interview))]
    elif isinstance(obj, TaggedItem) and obj.content_type.model_class() in KIND_OF:
        pairs.append((KIND_OF[obj.content_type.model_class()], obj.object_id))
    return pairs


WATCHED = (*KIND_OF, FindingExcerpt, Excerpt, Consent, TaggedItem)


def _saved(sender, instance, raw=False, **kwargs):
    if raw:
        # A fixture or a restored backup (which holds the log itself): nothing changed. Its
        # many-to-many rows are set right after, on the same instance: skipped too (`_m2m`).
        instance._feed_raw = True
        return
    if sender in WATCHED:
        record(affected(instance))


def _before_save(sender, instance, update_fields=None, raw=False, **kwargs):
    """An initiative moving elsewhere changes the count of the territory it leaves."""
    if (
        sender is Initiative
        and not raw
        and instance.pk
        and (update_fields is None or "territory" in update_fields)
    ):
        instance._feed_was = (
            Initiative.objects.filter(pk=instance.pk).values_list("territory_id", flat=True).first()
        )


def _m2m(sender, instance, action, model, pk_set, **kwargs):
    if not action.startswith("post_") or getattr(instance, "_feed_raw", False):
        return
    pairs = affected(instance) if type(instance) in KIND_OF else []
    if model in KIND_OF and pk_set:
        pairs += [(KIND_OF[model], pk) for pk in pk_set]
        if model is Initiative:  # an initiative added to a PTCE: also its territory's count
            pairs += [
                ("territory", pk) for pk in _ids(Territory.objects.filter(initiatives__in=pk_set))
            ]
    if pairs:
        record(pairs)


def _quotes_changed(sender, finding_ids, **kwargs):
    record(("finding", pk) for pk in finding_ids)


def connect() -> None:
    uid = "publications.changes"
    public_quotes_changed.connect(_quotes_changed, dispatch_uid=f"{uid}.quotes")
    post_save.connect(_saved, dispatch_uid=f"{uid}.save")
    post_delete.connect(_saved, dispatch_uid=f"{uid}.delete")
    pre_save.connect(_before_save, sender=Initiative, dispatch_uid=f"{uid}.before")
    m2m_changed.connect(_m2m, dispatch_uid=f"{uid}.m2m")


def record_everything() -> int:
    """A change for every published object: after what rewrote rows without signals."""
    pairs = []
    for kind, model in KINDS.items():
        if kind == "territory":
            rows = Territory.objects.filter(initiatives__state="published").distinct()
        else:
            rows = model.objects.published()
        pairs += [(kind, pk) for pk in _ids(rows)]
    return record(pairs)


class FeedShredder(BaseShredder):
    """After an erasure, partners fetch every published object again (the sweep rewrote texts
    with queryset updates, which send no signal) and drop the person."""

    identifier = "change-feed"
    order = 99  # last: after the sweeps of every column, which rewrite the texts
    verbose_name = gettext_lazy("Partners' change feed")
    description = gettext_lazy(
        "Partners mirroring the data are told to fetch every published object again and to "
        "delete the person (their id only)."
    )

    def preview(self, subject):
        return [str(self.description)]

    def shred(self, subject):
        count = record_everything()
        if isinstance(subject.person, Person):
            record([(PERSON, subject.person.pk)])
        return [
            ngettext(
                "%(count)d published object to fetch again",
                "%(count)d published objects to fetch again",
                count,
            )
            % {"count": count}
        ]


def changed_since(kind: str, since):
    """The ids of `kind` objects with a change recorded at or after `since` (a datetime)."""
    return Change.objects.filter(kind=kind, at__gte=since).values("object_id")
