"""A plain, server-rendered page that documents the API from its OpenAPI schema.

Swagger UI and Redoc load their scripts from a CDN, which the strict CSP and the offline
embedded mode forbid; this page needs neither.
"""

from functools import lru_cache

from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_safe
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


@lru_cache(maxsize=8)
def _schema(language: str) -> dict:
    # Labels and help texts are translated: one schema per language, made once per process.
    with translation.override(language):
        return SchemaGenerator().get_schema(request=None, public=True)


def _resolve(schema: dict, node: dict) -> dict:
    ref = node.get("$ref")
    if not ref:
        return node
    found = schema
    for part in ref.removeprefix("#/").split("/"):
        found = found[part]
    return found


def _fields(schema: dict, operation: dict) -> list[dict]:
    content = operation.get("responses", {}).get("200", {}).get("content", {})
    body = _resolve(schema, content.get("application/json", {}).get("schema", {}))
    if "results" in body.get("properties", {}):
        body = _resolve(schema, body["properties"]["results"].get("items", {}))
    fields = []
    for name, prop in body.get("properties", {}).items():
        prop = _resolve(schema, prop)
        for combined in ("allOf", "oneOf", "anyOf"):
            if combined in prop:
                options = [_resolve(schema, option) for option in prop[combined]]
                prop = {**next((o for o in options if o.get("enum")), options[0]), **prop}
        kind = prop.get("type") or ("object" if "properties" in prop else "")
        if prop.get("enum"):
            kind = "one of: " + ", ".join(str(value) for value in prop["enum"] if value)
        if kind == "array":
            items = _resolve(schema, prop.get("items", {}))
            kind = f"array of {items.get('type', 'object')}"
        fields.append({"name": name, "type": kind, "description": prop.get("description", "")})
    return fields


def _operations(schema: dict) -> list[dict]:
    operations = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": p.get("in", ""),
                            "description": p.get("description", ""),
                            "required": p.get("required", False),
                        }
                        for p in (_resolve(schema, p) for p in operation.get("parameters", []))
                    ],
                    "fields": _fields(schema, operation),
                }
            )
    return operations


@require_safe
def docs(request):
    """Document every endpoint of the API, its parameters and the fields it returns."""
    schema = _schema(translation.get_language())
    return render(
        request,
        "api/docs.html",
        {"info": schema.get("info", {}), "operations": _operations(schema)},
    )
