"""What merging two directory entries must carry over, found generically (services.merge runs it).

The directory does not know who points at its rows (findings, events, missions, assessments live in
apps above it), so it asks Django: every foreign key, many-to-many link and generic relation (files,
themes) that points at the merged entry is moved to the survivor. A link the survivor already has
(the same finding, the same theme, the same membership) is the one kept; the merged entry's copy
goes.
"""

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from taggit.managers import TaggableManager

from .models import Merge

# Never chosen field by field: the address, the bookkeeping, publication (its own service).
NOT_CHOSEN = {
    "id",
    "slug",
    "search_vector",
    "source",
    "source_id",
    "state",
    "published_at",
    "created_at",
    "updated_at",
}


def choosable_fields(model) -> list:
    """The fields a person chooses between when merging two entries of `model`."""
    return [
        f
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and f.name not in NOT_CHOSEN
    ]


def _move_row(row, attname, value, *, by, how) -> bool:
    """Point one row at the survivor; False (and the row deleted) when it would duplicate one."""
    setattr(row, attname, value)
    row._history_user, row._change_reason = by, how  # read if the row keeps a history
    try:
        with transaction.atomic():
            row.save()
        return True
    except IntegrityError:
        type(row)._base_manager.filter(pk=row.pk).delete()
        return False


def _move_link(through, pk, attname, value) -> bool:
    try:
        with transaction.atomic():
            through._base_manager.filter(pk=pk).update(**{attname: value})
        return True
    except IntegrityError:
        through._base_manager.filter(pk=pk).delete()
        return False


def carry_over(survivor, other, *, by=None, how="") -> dict:
    """Move everything that points at `other` to `survivor`; returns counts by relation."""
    moved: dict = {}
    for rel in other._meta.related_objects:
        if rel.many_to_many:
            field = rel.field
            through = field.remote_field.through
            if not through._meta.auto_created:
                continue  # a through model of its own: its foreign key is a relation below
            column = field.m2m_reverse_field_name()
            attname = through._meta.get_field(column).attname
            rows = through._base_manager.filter(**{attname: other.pk}).values_list("pk", flat=True)
            count = sum(_move_link(through, pk, attname, survivor.pk) for pk in list(rows))
        else:
            related = rel.related_model
            rows = related._base_manager.filter(**{rel.field.name: other})
            attname = rel.field.attname
            count = sum(_move_row(row, attname, survivor.pk, by=by, how=how) for row in list(rows))
        if count:
            moved[rel.related_model._meta.label] = (
                moved.get(rel.related_model._meta.label, 0) + count
            )
    # The entry's own many-to-many links (an initiative's PTCEs, a PTCE's calls for interest).
    for field in type(other)._meta.many_to_many:
        if isinstance(field, TaggableManager) or not field.remote_field.through._meta.auto_created:
            continue
        getattr(survivor, field.name).add(*getattr(other, field.name).all())
    # Generic relations: the files attached to it, its themes (taggit), anything else so kept.
    content_type = ContentType.objects.get_for_model(type(other))
    for model in apps.get_models():
        for gfk in model._meta.private_fields:
            if not isinstance(gfk, GenericForeignKey):
                continue
            id_field = model._meta.get_field(gfk.fk_field)
            id_attname, new_id = id_field.attname, id_field.to_python(survivor.pk)
            rows = model._base_manager.filter(
                **{gfk.ct_field: content_type, gfk.fk_field: str(other.pk)}
            ).values_list("pk", flat=True)
            count = sum(_move_link(model, pk, id_attname, new_id) for pk in list(rows))
            if count:
                moved[model._meta.label] = moved.get(model._meta.label, 0) + count
    # Entries merged earlier into `other` now answer with the survivor.
    Merge.objects.filter(content_type=content_type, survivor_id=other.pk).update(
        survivor_id=survivor.pk
    )
    return moved


def survivor_url(model, slug) -> str | None:
    """Where an entry merged away under `slug` lives now, or None."""
    content_type = ContentType.objects.get_for_model(model)
    merge = (
        Merge.objects.filter(content_type=content_type, merged_slug=slug)
        .order_by("-merged_at", "-pk")
        .first()
    )
    if merge is None:
        return None
    survivor = model._base_manager.filter(pk=merge.survivor_id).first()
    return (
        survivor.get_absolute_url() if survivor and hasattr(survivor, "get_absolute_url") else None
    )


# --- What the staff merge page reads -----------------------------------------------------------


def find_entry(model, text: str):
    """The entry named by an id, a slug or the address of its profile; None when none is."""
    text = (text or "").strip()
    if not text:
        return None
    if text.isdigit():
        return model._base_manager.filter(pk=int(text)).first()
    slug = [part for part in text.split("?")[0].split("/") if part][-1:]
    return model._base_manager.filter(slug=slug[0]).first() if slug else None


def _shown(obj, field) -> str:
    value = getattr(obj, field.name)
    if value in (None, ""):
        return ""
    if field.choices:
        return str(getattr(obj, f"get_{field.name}_display")())
    if isinstance(value, bool):
        from django.utils.translation import gettext as _

        return _("yes") if value else _("no")
    return str(value)


def compare(first, second) -> list[dict]:
    """The rows of the side-by-side page: each choosable field, both values, the default pick
    (the first entry's value, unless it is empty and the second's is not)."""
    rows = []
    for field in choosable_fields(type(first)):
        a, b = _shown(first, field), _shown(second, field)
        rows.append(
            {
                "name": field.name,
                "label": field.verbose_name,
                "a": a,
                "b": b,
                "same": a == b,
                "pick": "b" if not a and b else "a",
            }
        )
    return rows


def carried(obj) -> list[tuple[str, int]]:
    """What points at an entry, by kind of row, with counts: what a merge will carry over."""
    counts = []
    for rel in obj._meta.related_objects:
        if rel.many_to_many and not rel.field.remote_field.through._meta.auto_created:
            continue
        accessor = rel.get_accessor_name()
        if not accessor or rel.hidden:
            continue
        count = getattr(obj, accessor).count() if not rel.one_to_one else 0
        if count:
            counts.append((str(rel.related_model._meta.verbose_name_plural), count))
    content_type = ContentType.objects.get_for_model(type(obj))
    # Tags are rows of taggit's generic model: named as the entry names them ("themes").
    tag_labels = {
        f.through: f.verbose_name for f in obj._meta.get_fields() if isinstance(f, TaggableManager)
    }
    for model in apps.get_models():
        for gfk in model._meta.private_fields:
            if isinstance(gfk, GenericForeignKey):
                count = model._base_manager.filter(
                    **{gfk.ct_field: content_type, gfk.fk_field: str(obj.pk)}
                ).count()
                if count:
                    label = tag_labels.get(model, model._meta.verbose_name_plural)
                    counts.append((str(label), count))
    return counts
