"""OpenAPI generation (drf-spectacular): the contract's paths, and every error it answers as problem+json.

`problem_responses` documents, once for every operation, the errors the shared machinery answers
(400 and 413/415 for a body, 401 for a bearer token, 403 for staff-only writes, 404 for an id in
the path or a page past the end; 414, 429 and 431 everywhere); views name only their own domain
errors, with `problems`. Both reference the one `Problem` component.
"""

import re
from http import HTTPStatus
from types import SimpleNamespace

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import fields

from luxyhome.api.problem_schema import ERRORS, HEADERS, PROBLEM_SCHEMA

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
SECURITY_SCHEME = "jwtAuth"
SERVER_PAGES = {414, 431}  # a request line or headers over gunicorn's limits

# A string DRF's CharField accepts: no NUL anywhere and, when it trims, something left after trimming.
# \s differs between regex engines (ECMA, Python, Rust) only in \x1c-\x1f, which Python strips.
NO_NUL = r"^[^\x00]*$"
NOT_BLANK = r"^[^\x00]*[^\s\x00\x1c-\x1f][^\x00]*$"


def problems(described: dict[int, str], *examples: dict) -> dict:
    """`extend_schema(responses=...)` entries for an operation's own errors: {status: what it means},
    and example bodies ({"status", "code", "detail", and any members of the error's own}).

    `problem_responses` adds the errors every operation of a kind shares.
    """
    return {
        (status, PROBLEM_MEDIA_TYPE): OpenApiResponse(
            PROBLEM_REF,
            description,
            [
                OpenApiExample(example["code"], {"type": "about:blank", "title": HTTPStatus(status).phrase, **example})
                for example in examples
                if example["status"] == status
            ],
        )
        for status, description in described.items()
    }


def contract_paths(endpoints):
    """Document paths as the contract writes them: routes accept an optional trailing slash,
    which drf-spectacular would otherwise print as a required one."""
    return [
        (path.rstrip("/") or path, path_regex, method, callback) for path, path_regex, method, callback in endpoints
    ]


def problem_responses(result, generator, request, public):
    """Postprocessing hook: each operation's error responses as problem+json, including the ones
    every operation of its kind shares; optional sign-in where anonymous visitors get in too."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    schemas = result["components"]["schemas"]
    _blank_folded(schemas)
    responses = result["components"].setdefault("responses", {})
    views = _views_by_operation(generator)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            view = views.get((path, method.upper()))
            if view is not None:
                _document_auth(operation, view, method.upper())
            _require_body_with_required_fields(operation, schemas)
            _document_query(operation)
            for status in sorted(_shared_errors(operation, view, method.upper())):
                operation["responses"].setdefault(str(status), {"description": ""})
            operation["responses"] = dict(sorted(operation["responses"].items()))
            for status, response in operation["responses"].items():
                if status.isdigit() and int(status) >= 400:
                    operation["responses"][status] = _as_problem(int(status), response, responses)
    return result


def _views_by_operation(generator) -> dict:
    views = {}
    for path, _regex, method, callback in generator.endpoints:
        view = generator.create_view(callback, method)
        views[generator.coerce_path(path, method, view), method] = view
    return views


def _passes(view, method: str, user) -> bool:
    request = SimpleNamespace(method=method, user=user, auth=None)
    return all(permission.has_permission(request, view) for permission in view.get_permissions())


_VISITOR = SimpleNamespace(is_authenticated=False, is_staff=False, is_superuser=False, pk=None)
_SHOPPER = SimpleNamespace(is_authenticated=True, is_staff=False, is_superuser=False, pk=1)


def _document_auth(operation: dict, view, method: str) -> None:
    security = operation.get("security", [])
    signs_in = any(SECURITY_SCHEME in requirement for requirement in security)
    if signs_in and _passes(view, method, _VISITOR) and {} not in security:
        security.append({})  # a bearer token is optional here: anyone may read


def _shared_errors(operation: dict, view, method: str) -> set[int]:
    """The errors the shared machinery answers for this operation, whatever the view does."""
    statuses = {414, 429, 431}  # the server's limits on a request's head; every API view is throttled
    parameters = operation.get("parameters", [])
    if operation.get("requestBody"):
        statuses |= {400, 413, 415}
    if any(p["in"] in ("header", "query") and p["name"] != "page" for p in parameters):
        statuses.add(400)  # a parameter with a bad value names it
    if any(p["in"] == "path" for p in parameters) or any(p["name"] == "page" for p in parameters):
        statuses.add(404)  # an unknown id, someone else's, or a page past the end
    security = operation.get("security", [])
    if any(SECURITY_SCHEME in requirement for requirement in security):
        statuses.add(401)  # a missing, expired or logged-out bearer token
        if view is not None and not _passes(view, method, _SHOPPER):
            statuses.add(403)
    return statuses


PAGING = {
    "page": ({"type": "integer", "minimum": 1}, "A page number, from 1. A page past the last is a 404."),
    "page_size": (
        {"type": "integer", "minimum": 1},
        "How many results a page holds: 20 unless given, at most 100 (more counts as 100).",
    ),
}


def _document_query(operation: dict) -> None:
    """Paging parameters' bounds; and every query parameter may be empty, which counts as absent
    (django-filter's filters and DRF's paging read `?in_stock=` as no filter, `?page=` as page 1)."""
    for parameter in operation.get("parameters", []):
        if parameter["in"] != "query":
            continue
        parameter["allowEmptyValue"] = True
        if parameter["name"] in PAGING:
            parameter["schema"], parameter["description"] = PAGING[parameter["name"]]


BLANK = {"type": "string", "maxLength": 0}


def _blank_folded(schema):
    """drf-spectacular offers a blank string as `oneOf: [the field, {maxLength: 0}]`, which refuses ""
    wherever the field takes it too (our CharField patterns do). Fold the blank into the field: its
    pattern alone (a oneOf/anyOf also misleads fuzzers, which negate one branch at a time)."""
    if isinstance(schema, dict):
        one_of = schema.get("oneOf")
        if isinstance(one_of, list) and len(one_of) == 2 and one_of[1] == BLANK:
            field = one_of[0]
            if "format" in field or field.get("minLength", 0) > 0:
                schema["anyOf"] = schema.pop("oneOf")
            else:
                del schema["oneOf"]
                pattern = field.get("pattern")
                if pattern is not None and not re.search(pattern, ""):
                    field = {**field, "pattern": f"{pattern}|^$"}
                schema.update(field)
        for value in schema.values():
            _blank_folded(value)
    elif isinstance(schema, list):
        for value in schema:
            _blank_folded(value)


def _require_body_with_required_fields(operation: dict, schemas: dict) -> None:
    """A body whose schema requires fields is itself required (also where a view names the schema directly)."""
    body = operation.get("requestBody")
    if not body or body.get("required"):
        return
    for content in body.get("content", {}).values():
        ref = content.get("schema", {}).get("$ref", "")
        if schemas.get(ref.rsplit("/", 1)[-1], {}).get("required"):
            body["required"] = True


def _as_problem(status: int, response: dict, responses: dict) -> dict:
    """The response as problem+json: a reference to the shared one unless the operation says more."""
    declared = response.get("content", {}).get(PROBLEM_MEDIA_TYPE, {})
    if status in ERRORS and not response.get("description") and not declared.get("examples"):
        name, meaning, _code, _detail = ERRORS[status]
        responses.setdefault(name, _problem_response(status, meaning, {}))
        return {"$ref": f"#/components/responses/{name}"}
    return _problem_response(status, response.get("description") or f"HTTP {status}.", declared)


def _problem_response(status: int, description: str, declared: dict) -> dict:
    body = {"schema": {"allOf": [PROBLEM_REF, {"type": "object", "properties": {"status": {"enum": [status]}}}]}}
    if declared.get("examples"):
        body["examples"] = declared["examples"]
    elif status in ERRORS:
        _name, _meaning, code, detail = ERRORS[status]
        title = HTTPStatus(status).phrase
        body["example"] = {"type": "about:blank", "title": title, "status": status, "detail": detail, "code": code}
    response = {"description": description, "content": {PROBLEM_MEDIA_TYPE: body}}
    if status in SERVER_PAGES:  # gunicorn refuses such a request itself, before the app: its own HTML page
        response["content"]["text/html"] = {"schema": {"type": "string"}}
    if status in HEADERS:
        response["headers"] = HEADERS[status]
    return response


# Registered when drf-spectacular imports this module for its hooks, before it maps any field.
class StrictCharFieldExtension(OpenApiSerializerFieldExtension):
    """Request strings as DRF's CharField takes them: never a NUL, and not blank once trimmed."""

    target_class = fields.CharField

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if direction == "request" and "pattern" not in schema:
            blank_allowed = self.target.allow_blank or not self.target.trim_whitespace
            schema["pattern"] = NO_NUL if blank_allowed else NOT_BLANK
        return schema
