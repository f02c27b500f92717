"""What every export's rows are read with: one row per object, themes joined in SQL, values."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Subquery
from taggit.models import TaggedItem

from .aggregates import joined


def _themes(model):
    """Theme names of each row, aggregated in SQL by a correlated subquery (no per-row query)."""
    items = (
        TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id=OuterRef("pk")
        )
        .order_by()
        .values("object_id")
        .annotate(names=joined("tag__name"))
        .values("names")
    )
    return Subquery(items)


def _filtered(filterset):
    """One row per object even when a filter joined a many-valued relation (themes, roles)."""
    queryset = filterset.qs
    if queryset.query.distinct:
        queryset = filterset.queryset.model.objects.filter(pk__in=queryset.values("pk"))
    return queryset


def values(queryset, spec, **annotations):
    keys = [c.key for c in spec.columns if c.key not in annotations and c.name != "url"]
    return queryset.annotate(**annotations).values(*keys, *annotations)
