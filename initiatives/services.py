"""Operations on the directory: publish and withdraw, the only writers of a public model's state."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from observatoire.publishing import Publishable, State

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
    many = {name: changes.pop(name) for name in MANY if name in changes}
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


def unique_slug(model, text, *, exclude_pk=None):
    from django.utils.text import slugify

    base = (slugify(text) or "fiche")[:180]
    slug, n = base, 1
    taken = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


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
    return created
