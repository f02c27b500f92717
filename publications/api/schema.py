"""The OpenAPI description, true to every response: the filters' parameters with the values they
take (publications.api.parameters), and every status the API answers with its body."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiFilterExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent

from . import parameters

PARAMETER_ERRORS = {
    "type": "object",
    "description": "Each refused query parameter, with why.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "minProperties": 1,
}
ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
ERRORS = {
    "400": (
        "ParameterErrors",
        PARAMETER_ERRORS,
        _(
            "A query parameter that this endpoint does not take, or whose value cannot be "
            "read: each one named, with why."
        ),
    ),
    "401": ("Error", ERROR, _("The token is unknown or revoked.")),
    "404": (
        "Error",
        ERROR,
        _("No such object, or a filter names something that does not exist (said in `detail`)."),
    ),
    "429": ("Error", ERROR, _("Too many requests: wait the seconds in Retry-After.")),
}
HEADERS = {
    "401": {
        "WWW-Authenticate": {"schema": {"type": "string"}, "description": "Token"},
    },
    "429": {
        "Retry-After": {
            "schema": {"type": "integer", "minimum": 0},
            "description": _("Seconds to wait before the next request."),
        },
    },
}


class ApiSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, (name, schema, description) in ERRORS.items():
            component = ResolvedComponent(
                name=name, type=ResolvedComponent.SCHEMA, schema=schema, object=name
            )
            self.registry.register_on_missing(component)
            responses.setdefault(
                code,
                {
                    "description": str(description),
                    "content": {"application/json": {"schema": component.ref}},
                },
            )
            if code in HEADERS:
                responses[code]["headers"] = {
                    name: {**header, "description": str(header["description"])}
                    for name, header in HEADERS[code].items()
                }
        return responses


class StrictFilterExtension(OpenApiFilterExtension):
    target_class = "publications.api.views.Strict"
    priority = 1

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        filterset_class = getattr(auto_schema.view, "filterset_class", None)
        if filterset_class is None or not auto_schema._is_list_view():
            return []
        return [
            parameters.describe(name, filter_)
            for name, filter_ in parameters.offered(filterset_class).items()
        ] + [parameters.MODIFIED_SINCE_SCHEMA]
