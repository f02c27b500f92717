"""OpenAPI description of the FilterSets' query parameters (territoire, theme, annee...)."""

import django_filters
from drf_spectacular.extensions import OpenApiFilterExtension

MANY = (django_filters.MultipleChoiceFilter, django_filters.ModelMultipleChoiceFilter)


def parameter(name, filter_) -> dict:
    described = {
        "name": name,
        "in": "query",
        "required": False,
        "description": str(filter_.label or name),
        "schema": {"type": "string"},
    }
    if isinstance(filter_, MANY):
        described.update(style="form", explode=True)
        described["schema"] = {"type": "array", "items": {"type": "string"}}
    elif isinstance(filter_, django_filters.NumberFilter):
        described["schema"] = {"type": "integer"}
    return described


class LenientFilterExtension(OpenApiFilterExtension):
    target_class = "publications.api.views.Lenient"
    priority = 1

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        filterset_class = getattr(auto_schema.view, "filterset_class", None)
        if filterset_class is None or not auto_schema._is_list_view():
            return []
        return [parameter(name, f) for name, f in filterset_class.base_filters.items()]
