"""`/api/docs/`: the OpenAPI schema as a readable page, served from here (no CDN script)."""

from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "head", "options")


def documentation(request):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = [
        {
            "path": path,
            "method": method.upper(),
            "summary": operation.get("description", "").strip(),
            "parameters": operation.get("parameters", []),
        }
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]
    return render(
        request, "publications/api_docs.html", {"schema": schema, "operations": operations}
    )
