"""A Frictionless Data Package describing every export, so tools can read them typed."""

from django.urls import reverse

from .columns import ExportSpec
from .kinds import SPECS

CSV_TYPES = {"array": "string"}  # arrays are `|`-joined text in CSV


def field(column) -> dict:
    described = {
        "name": column.name,
        "type": CSV_TYPES.get(column.type, column.type),
        "description": str(column.description),
    }
    if column.example:
        described["example"] = column.example
    if column.type == "array":
        described["description"] += " (|)"
    if column.type == "boolean":
        described["trueValues"], described["falseValues"] = ["true"], ["false"]
    return described


def resource(spec: ExportSpec, base: str) -> dict:
    return {
        "name": spec.name,
        "title": str(spec.title),
        "description": str(spec.description),
        "path": base + reverse("publications:export", kwargs={"name": spec.name, "fmt": "csv"}),
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "profile": "tabular-data-resource",
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
        "schema": {
            "fields": [field(column) for column in spec.columns],
            "primaryKey": ["id"],
            "missingValues": [""],
        },
    }


def datapackage(base: str) -> dict:
    return {
        "profile": "tabular-data-package",
        "name": "observatoire-initiatives-cooperatives",
        "title": "Observatoire des initiatives coopératives",
        "licenses": [
            {
                "name": "etalab-2.0",
                "title": "Licence Ouverte 2.0",
                "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            }
        ],
        "homepage": base + reverse("publications:dictionary"),
        # Not a Data Package property (extra ones are allowed): where harvesters find the same
        # datasets described in DCAT-AP (publications/catalogue.py).
        "catalogue": [
            {
                "title": "DCAT-AP (Turtle)",
                "path": base + reverse("publications:catalogue-ttl"),
                "mediatype": "text/turtle",
            },
            {
                "title": "DCAT-AP (JSON-LD)",
                "path": base + reverse("publications:catalogue-jsonld"),
                "mediatype": "application/ld+json",
            },
        ],
        "resources": [resource(spec, base) for spec in SPECS.values()],
    }
