"""Operations on the directory: publish and withdraw, the only writers of a public model's state."""

import contextlib

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from observatoire import cache as public_cache
from observatoire.publishing import Publishable, State
from territoires.models import Territory
from territoires.scopes import scopes

from .models import Initiative, Pole


class PublicationError(Exception):
    """Raised with a sentence for the person who asked to publish."""


def check_publishable(obj: Publishable) -> None:
    if isinstance(obj, Initiative | Pole) and not obj.summary.strip():
        raise PublicationError(_("A summary is needed before publishing."))
    if isinstance(obj, Initiative) and (obj.latitude is None) != (obj.longitude is None):
        raise PublicationError(_("Give both latitude and longitude, or neither."))


@transaction.atomic
def publish(obj: Publishable, *, by=None) -> Publishable:
    check_publishable(obj)
    if obj.state != State.PUBLISHED:
        obj.state = State.PUBLISHED
        obj.published_at = obj.published_at or timezone.now()
        obj.save(update_fields=["state", "published_at", "updated_at"])
    return obj


@transaction.atomic
def withdraw(obj: Publishable, *, by=None) -> Publishable:
    if obj.state != State.WITHDRAWN:
        obj.state = State.WITHDRAWN
        obj.save(update_fields=["state", "updated_at"])
    return obj


# --- Writing a directory row -------------------------------------------------------------------
# The one path every writer takes (the staff forms, the import, accepted contributions and claim
# holders' edits): the row is validated as a whole, saved in a transaction, and the history records
# who and how ("form", "import:<run id>", "contribution:<id>", "claim:<id>", "merge:<id>",
# "restore:<history id>").

MANY = ("themes", "poles")


@transaction.atomic
def save_entry(obj, changes=None, *, by=None, how="form"):
    """Apply `changes` (field name -> value) to `obj`, check it, save it, and return it.

    Many-to-many fields (`themes` as a list of names, `poles` as rows) are set after the save.
    Raises django.core.exceptions.ValidationError with the fields' messages.
    """
    changes = dict(changes or {})
    many = {name: changes.pop(name) for name in list(changes) if _is_many(obj, name)}
    for name, value in changes.items():
        setattr(obj, name, value)
    if not getattr(obj, "slug", "x"):
        obj.slug = unique_slug(type(obj), str(obj))
    obj.full_clean()
    # Read by django-simple-history when the model keeps a history.
    obj._history_user = by if getattr(by, "is_authenticated", False) else None
    obj._change_reason = how
    obj.save()
    for name, value in many.items():
        if name == "themes":
            obj.themes.set(list(value))
        else:
            getattr(obj, name).set(value)
    return obj


def _is_many(obj, name) -> bool:
    """Themes, PTCEs, calls for interest: set after the row is saved."""
    if name in MANY:
        return True
    try:
        return obj._meta.get_field(name).many_to_many
    except FieldDoesNotExist:
        return False


@transaction.atomic
def edit_entry(obj, changes=None, *, published=None, by=None, how="form"):
    """save_entry, then publish or withdraw as asked (None: leave the state as it is).

    In one transaction: a row that cannot be published (no summary) is not half-saved.
    """
    obj = save_entry(obj, changes, by=by, how=how)
    if published and not obj.is_published:
        publish(obj, by=by)
    elif published is False and obj.is_published:
        withdraw(obj, by=by)
    return obj


@transaction.atomic
def delete_entry(obj, *, by=None, how="form") -> None:
    """Delete a dependent row (a role, a membership); its history keeps who and how."""
    obj._history_user = by if getattr(by, "is_authenticated", False) else None
    obj._change_reason = how
    obj.delete()


@transaction.atomic
def save_memberships(pole, rows, removed=(), *, by=None, how="form"):
    """A PTCE's members as edited: `rows` are (membership, changes), `removed` memberships."""
    for membership in removed:
        if membership.pk:
            delete_entry(membership, by=by, how=how)
    for membership, changes in rows:
        membership.pole = pole
        save_entry(membership, changes, by=by, how=how)


def unique_slug(model, text, *, exclude_pk=None):
    from django.utils.text import slugify

    base = (slugify(text) or "fiche")[:180]
    slug, n = base, 1
    taken = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


# --- Going back, and merging two entries -------------------------------------------------------


def restore(obj, version, *, by=None):
    """Bring `obj` back to an earlier `version` of its history; the restore is a new version."""
    from .history import record_links, restorable

    obj = save_entry(obj, restorable(version), by=by, how=f"restore:{version.history_id}")
    record_links(obj)
    return obj


class MergeError(Exception):
    """Raised with a sentence for the person who asked to merge."""


@transaction.atomic
def merge(survivor, other, *, choices=None, by=None):
    """Merge `other` into `survivor` and return the `Merge` record.

    `choices` maps a field name to "survivor" or "other" (unnamed fields keep the survivor's);
    themes and PTCEs are united; roles, memberships, findings, events, files and whatever else
    points at `other` are carried over (merging.carry_over); `other` is deleted and its address
    answers 301 with the survivor's. Both entries' histories say "merge:<id>".
    """
    from django.contrib.contenttypes.models import ContentType

    from .history import record_links
    from .merging import carry_over, choosable_fields
    from .models import Merge

    if type(survivor) is not type(other) or survivor.pk == other.pk:
        raise MergeError(_("Only two different entries of the same kind can be merged."))
    model = type(survivor)
    survivor = model.objects.select_for_update().get(pk=survivor.pk)
    other = model.objects.select_for_update().get(pk=other.pk)
    choices = {k: v for k, v in (choices or {}).items() if v in ("survivor", "other")}
    record = Merge.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        survivor_id=survivor.pk,
        merged_id=other.pk,
        merged_slug=other.slug,
        merged_name=str(other)[:300],
        choices=choices,
        merged_by=by if getattr(by, "is_authenticated", False) else None,
    )
    how = f"merge:{record.pk}"
    changes = {
        f.attname: getattr(other, f.attname)
        for f in choosable_fields(model)
        if choices.get(f.name) == "other"
    }
    if isinstance(survivor, Initiative):
        changes["themes"] = sorted(set(survivor.themes.names()) | set(other.themes.names()))
        changes["poles"] = list({*survivor.poles.all(), *other.poles.all()})
    source = {"source": getattr(other, "source", ""), "source_id": getattr(other, "source_id", "")}
    was_published = getattr(other, "state", None) == State.PUBLISHED
    carry_over(survivor, other, by=by, how=how)
    other._history_user = by if getattr(by, "is_authenticated", False) else None
    other._change_reason = how
    other.delete()
    if source.get("source_id") and not getattr(survivor, "source_id", "x"):
        # A re-import of the merged entry's source updates the survivor.
        survivor.source, survivor.source_id = source["source"], source["source_id"]
    save_entry(survivor, changes, by=by, how=how)
    record_links(survivor)
    if was_published and survivor.state != State.PUBLISHED:
        survivor._change_reason = how
        # Else the survivor stays unpublished: staff see why when they publish it.
        with contextlib.suppress(PublicationError):
            publish(survivor, by=by)
    return record


def create_entries(objs, *, by=None, how="form", themes=None):
    """Create many new rows at once (the import's batches), as save_entry would one by one.

    Each row is checked as save_entry checks it, except what the database's own constraints
    guarantee (unique slug and source id: an IntegrityError then, and the caller retries row by
    row) and its territory (the caller took its id from the database); the rows go in one INSERT
    and their history in another (django-simple-history's bulk_create_with_history, who and how
    as save_entry records them). `themes`: one list of names per row, set in two queries whatever
    their number. Raises ValidationError for the first row that fails its checks.
    """
    from simple_history.utils import bulk_create_with_history
    from taggit.models import Tag, TaggedItem

    if not objs:
        return []
    model = type(objs[0])
    for obj in objs:
        obj.full_clean(exclude=["territory"], validate_unique=False, validate_constraints=False)
    user = by if getattr(by, "is_authenticated", False) else None
    with transaction.atomic():
        created = bulk_create_with_history(
            objs, model, default_user=user, default_change_reason=how
        )
        if themes:
            names = {name for names in themes for name in names}
            tags = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
            for name in sorted(names - set(tags)):
                tags[name] = Tag.objects.create(name=name)
            content_type = ContentType.objects.get_for_model(model)
            TaggedItem.objects.bulk_create(
                TaggedItem(object_id=obj.pk, content_type=content_type, tag=tags[name])
                for obj, names in zip(created, themes, strict=True)
                for name in sorted(set(names))
            )
    # Bulk inserts send no signal: the lists and counts of this model, and when some rows are
    # public already, the panels that pick among all published rows (observatoire.cache).
    touched = [public_cache.tag(model), "taggit.taggeditem"]
    public = [obj for obj in created if getattr(obj, "state", None) == State.PUBLISHED]
    if public:
        touched.append(f"published:{public_cache.tag(model)}")
        places = {getattr(obj, "territory_id", None) for obj in public} - {None}
        rows = Territory.objects.filter(pk__in=places).values_list("path", "epci__code")
        touched += [name for path, epci in rows for name in scopes(path, epci)]
    public_cache.touch(*touched)
    return created
