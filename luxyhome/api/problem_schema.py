"""The OpenAPI description of our errors: the RFC 9457 `Problem` component (luxyhome.api.exceptions
builds the bodies), and what each status every operation may answer means."""

SHORTAGE = {
    "type": "object",
    "properties": {
        "product_id": {"type": "integer"},
        "name": {"type": "string"},
        "requested": {"type": "integer", "description": "The quantity asked for."},
        "available": {"type": "integer", "description": "How many can be had now; 0 for an archived product."},
    },
    "required": ["product_id", "name", "requested", "available"],
}
ORDER_STATUSES = ["pending", "paid", "shipped", "delivered", "cancelled"]

PROBLEM_SCHEMA = {
    "type": "object",
    "description": (
        "An RFC 9457 problem details object, answered with `Content-Type: application/problem+json` "
        "for every error. `code` is a stable machine-readable word; some errors add members of their own."
    ),
    "properties": {
        "type": {"type": "string", "description": "Always `about:blank`: `title` is the HTTP status phrase."},
        "title": {"type": "string", "description": "The HTTP status phrase, e.g. `Conflict`."},
        "status": {"type": "integer", "minimum": 400, "maximum": 599, "description": "The HTTP status code."},
        "detail": {"type": "string", "description": "What went wrong, for people."},
        "code": {
            "type": "string",
            "pattern": r"^[a-z][a-z0-9_]*$",
            "description": (
                "What went wrong, for programs: `validation_error`, `parse_error`, `not_authenticated`, "
                "`authentication_failed`, `token_not_valid`, `invalid_credentials`, `permission_denied`, "
                "`not_found`, `insufficient_stock`, `cart_empty`, `too_many_pending_orders`, "
                "`invalid_status_transition`, `idempotency_key_in_use`, `idempotency_key_reused`, `payload_too_large`, "
                "`unsupported_media_type`, `throttled`, ..."
            ),
        },
        "errors": {
            "type": "object",
            "description": (
                "`validation_error` only: the messages for each invalid field, nested fields as "
                "`parent.child`, errors about the whole body under `non_field_errors`."
            ),
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
        "shortages": {
            "type": "array",
            "description": "`insufficient_stock` only: every product there is not enough of.",
            "items": SHORTAGE,
        },
        "current_status": {
            "type": "string",
            "enum": ORDER_STATUSES,
            "description": "`invalid_status_transition` only: the order's status.",
        },
        "requested_status": {
            "type": "string",
            "enum": ORDER_STATUSES,
            "description": "`invalid_status_transition` only: the status asked for.",
        },
    },
    "required": ["type", "title", "status", "detail", "code"],
}

# The errors operations share: status -> (response component, what it means, an example's code and detail).
# 409 and 422 mean something different on each operation that answers them, which says so itself.
ERRORS = {
    400: (
        "BadRequest",
        "The request is malformed (`parse_error`) or some fields are invalid (`validation_error`; "
        "`errors` names them).",
        "validation_error",
        "Some fields are invalid.",
    ),
    401: (
        "Unauthorized",
        "No valid credentials: no bearer token, or one that is malformed, expired or logged out "
        "(`not_authenticated`, `authentication_failed`, `token_not_valid`).",
        "not_authenticated",
        "Authentication credentials were not provided.",
    ),
    403: (
        "Forbidden",
        "Signed in, but not allowed to do this (`permission_denied`): it is for staff with the permission.",
        "permission_denied",
        "You do not have permission to perform this action.",
    ),
    404: ("NotFound", "Not found, or not yours (`not_found`).", "not_found", "Not found."),
    413: (
        "PayloadTooLarge",
        "The request body is too large (`payload_too_large`).",
        "payload_too_large",
        "The request body is too large.",
    ),
    415: (
        "UnsupportedMediaType",
        "The body is not in a media type this operation accepts, or not in UTF-8 (`unsupported_media_type`).",
        "unsupported_media_type",
        'Unsupported media type "text/plain" in request.',
    ),
    414: (
        "URITooLong",
        "The path and query are over the server's limit, 4094 bytes with the method (`uri_too_long`).",
        "uri_too_long",
        "Request Line is too large (8000 > 4094)",
    ),
    429: (
        "Throttled",
        "Too many requests (`throttled`); `Retry-After` says in how many seconds to try again.",
        "throttled",
        "Request was throttled. Expected available in 42 seconds.",
    ),
    431: (
        "HeadersTooLarge",
        "A header, or all of them, over the server's limits (`headers_too_large`).",
        "headers_too_large",
        "Error parsing headers: 'limit request headers fields size'",
    ),
}
HEADERS = {
    401: {
        "WWW-Authenticate": {
            "required": True,
            "schema": {"type": "string"},
            "description": 'The bearer challenge: `Bearer realm="api"`.',
        }
    },
    429: {
        "Retry-After": {
            "required": True,
            "schema": {"type": "integer", "minimum": 0},
            "description": "Seconds to wait before trying again.",
        }
    },
}
