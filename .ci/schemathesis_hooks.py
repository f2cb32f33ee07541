"""schemathesis hooks for .ci/schemathesis.

- Real images for the `image` part of product uploads, the API's one `format: binary` field (the
  schema names the part's media types in encoding.image.contentType). They are registered for
  the format, not the media types: schemathesis 4.32.5's coverage phase fills the other required
  form fields with "" when a media type has a strategy, and calls that body valid.
- The `state_dependent_rejection` check: the few operations whose well-formed requests the API
  contract refuses depending on what is stored (schemathesis.toml lets positive data get a 400,
  or a 422 at checkout, there) may refuse them for exactly those reasons, and no other.
- filter_failure drops exactly four kinds of false alarm, each re-checked here: ST302 for a cart
  line a checkout consumed, ST201 for a request that conforms to the schema after all or whose only
  violations are JSON types a multipart body cannot carry, and ST301
  for a product staff deleted: DELETE archives it, staff still read it (the contract), and the
  hook checks that a shopper gets the 404.
"""

import io
import re

import requests
import schemathesis
from hypothesis import strategies as st
from PIL import Image


@st.composite
def _images(draw, image_format: str) -> bytes:
    size = (draw(st.integers(1, 48)), draw(st.integers(1, 48)))
    colour = draw(st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255)))
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=image_format)
    return buffer.getvalue()


schemathesis.openapi.format("binary", st.one_of(_images("JPEG"), _images("PNG"), _images("WEBP")))


def _field_errors(allowed: dict):
    """Accepts a validation_error whose every message is one of `allowed[field]` (message prefixes)."""

    def accepts(problem: dict) -> bool:
        errors = problem.get("errors") or {}
        return (
            problem.get("code") == "validation_error"
            and bool(errors)
            and all(
                field in allowed and all(message.startswith(allowed[field]) for message in messages)
                for field, messages in errors.items()
            )
        )

    return accepts


UNKNOWN_CATEGORY = _field_errors({"category": ("Object with slug=",)})
# operation -> the stored state that may refuse a well-formed request, per the API contract
STATE_DEPENDENT = {
    # a taken email (in any case), or a password Django's validators refuse for what it is like
    "POST /api/auth/register": _field_errors(
        {
            "email": ("A user with this email already exists.",),
            "password": ("This password is too common.", "The password is too similar to the"),
        }
    ),
    # the fuzzer knows no account's password, and makes no token of ours
    "POST /api/auth/password": _field_errors(
        {
            "current_password": ("The current password is not correct.",),
            "new_password": ("This password is too common.", "The password is too similar to the"),
        }
    ),
    "POST /api/auth/password-reset/confirm": lambda problem: problem.get("code") == "invalid_token",
    "POST /api/auth/verify-email": lambda problem: problem.get("code") == "invalid_token",
    # a product that is not for sale (unknown or archived), or more than 99 in the line it adds to
    "POST /api/cart/items": _field_errors(
        {"product_id": ("There is no such product for sale.",), "quantity": ("A cart holds at most 99",)}
    ),
    "POST /api/categories": _field_errors(
        {
            "name": ("category with this name", "A category with this name"),
            "slug": ("category with this slug", "A category with this slug"),
        }
    ),
    # an empty cart; an Idempotency-Key sent before with another cart or address
    "POST /api/orders": lambda problem: problem.get("code") in ("cart_empty", "idempotency_key_reused"),
    "POST /api/products": UNKNOWN_CATEGORY,
    "PUT /api/products/{id}": UNKNOWN_CATEGORY,
    "PATCH /api/products/{id}": UNKNOWN_CATEGORY,
    # no signature the fuzzer makes is Stripe's
    "POST /api/payments/stripe/webhook": lambda problem: problem.get("code") == "invalid_signature",
    # a range checked as a whole (and against today): not a schema's to say
    "GET /api/admin/analytics": _field_errors({"to": ("The range ends before it starts", "A range holds at most")}),
}


@schemathesis.check
def state_dependent_rejection(ctx, response, case):
    """A schema-valid request to an operation of STATE_DEPENDENT is refused (400, or 422 at checkout)
    only for the stored state the contract names."""
    meta = case.meta
    if response.status_code not in (400, 422) or meta is None or not meta.generation.mode.is_positive:
        return None
    accepts = STATE_DEPENDENT.get(f"{case.operation.method.upper()} {case.operation.path}")
    if accepts is None:
        return None  # positive_data_acceptance fails such an answer everywhere else
    problem = response.json()
    if not accepts(problem):
        raise AssertionError(f"Schema-valid request refused for a reason that is not stored state: {problem}")
    return None


# Cart lines the shopper's checkout consumed. ensure_resource_availability (ST302) counts a line as
# gone only after a DELETE of it; a placed order empties the cart too, so a 404 for such a line is the
# contract, not a lost resource. Only those are dropped, and the run's summary counts every drop.
_cart_lines_seen: set[int] = set()
_cart_lines_consumed: set[int] = set()


@schemathesis.hook
def after_call(context, case, response):
    method = case.method.upper()
    if not 200 <= response.status_code < 300 or method not in ("GET", "POST", "PUT", "PATCH"):
        return
    if case.operation.path.startswith("/api/cart"):  # each answers the cart
        _cart_lines_seen.update(item["id"] for item in response.json()["items"])
    elif f"{method} {case.operation.path}" == "POST /api/orders":
        _cart_lines_consumed.update(_cart_lines_seen)


def _types_lost_in_multipart(case, failure) -> bool:
    """A multipart body carries only strings and files: a value the fuzzer made a number, null or a
    list for a string field is sent as its text (or as no part at all), which the field accepts. Such
    a case violates only `type`s, which the wire cannot carry."""
    violated = re.findall(r"violates `(\w+)`", failure.message)
    return case.media_type == "multipart/form-data" and bool(violated) and set(violated) == {"type"}


def _schema_valid_after_all(case) -> bool:
    """Whether a case schemathesis calls negative conforms to the schema as sent: only its body was
    negated, and the body validates. schemathesis 4.32.5's stateful phase merges values a link
    carries into a negative body after generating it, which can undo the one violation while the
    case stays labelled negative (schemathesis issue #2983)."""
    meta = case.meta
    if meta is None or [location.name for location, c in meta.components.items() if c.mode.is_negative] != ["BODY"]:
        return False
    body = case.operation.get_body_for_media_type(case.media_type)
    if body is None or not isinstance(case.body, dict):
        return False
    # a file part is bytes; its schema (format: binary) holds any string
    sent = {name: "" if isinstance(value, bytes | bytearray) else value for name, value in case.body.items()}
    return body.is_valid(sent)


@schemathesis.hook
def filter_failure(context, failure, case, response):
    line = str((case.path_parameters or {}).get("id", ""))
    if failure.code == "ST302":  # a cart line the shopper's checkout consumed
        return not (
            case.operation.path == "/api/cart/items/{id}" and line.isdigit() and int(line) in _cart_lines_consumed
        )
    if failure.code == "ST201":  # "schema-violating request accepted", for a request that violates nothing
        return not (_types_lost_in_multipart(case, failure) or _schema_valid_after_all(case))
    if failure.code == "ST301":  # "deleted resource still available", to staff, as archived products are
        return not (case.operation.path == "/api/products/{id}" and _gone_for_shoppers(response.request.url))
    return True


def _gone_for_shoppers(url: str) -> bool:
    """The same read without the staff token answers 404: the product is archived, hidden from shoppers."""
    return requests.get(url, timeout=10).status_code == 404
