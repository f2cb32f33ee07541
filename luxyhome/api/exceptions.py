"""Problem details (RFC 9457) for every error the API answers, with a stable `code`."""

from http import HTTPStatus

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from luxyhome.api.faults import as_unavailable
from luxyhome.metrics import RATE_LIMITED

PROBLEM_CONTENT_TYPE = "application/problem+json; charset=utf-8"
BEARER_CHALLENGE = 'Bearer realm="api"'


class DomainError(Exception):
    """A business rule said no. Subclasses set a stable `code` and the HTTP `status`."""

    code = "conflict"
    status = 409
    headers: dict[str, str] = {}

    def __init__(self, detail: str, **extra):
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = "The request body is too large."
    default_code = "payload_too_large"


def problem(status: int, code: str, detail: str, **extra) -> dict:
    """The problem+json body; `type` is about:blank, so `title` is the status phrase."""
    return {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
        **extra,
    }


def problem_json_response(status: int, code: str, detail: str) -> JsonResponse:
    """A problem answer for code outside DRF views (middleware, Django's error handlers)."""
    return JsonResponse(problem(status, code, detail), status=status, content_type=PROBLEM_CONTENT_TYPE)


def problem_exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: domain errors and DRF/Django exceptions as problem+json.

    Anything else returns None, so Django logs it and answers 500 through handler500.
    """
    if isinstance(exc, DomainError):
        return Response(
            problem(exc.status, exc.code, exc.detail, **exc.extra),
            status=exc.status,
            headers=exc.headers,
            content_type=PROBLEM_CONTENT_TYPE,
        )
    exc = _as_api_exception(exc)
    if isinstance(exc, exceptions.Throttled):  # the auth rate limits and the DRF throttles alike
        RATE_LIMITED.inc()
    response = exception_handler(exc, context)  # sets WWW-Authenticate and Retry-After
    if response is None:
        return None
    response.data = _problem_for(exc, response.status_code)
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def _as_api_exception(exc):
    if unavailable := as_unavailable(exc):  # the database or media storage is down: 503, not 500
        return unavailable
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge()
    if isinstance(exc, SuspiciousOperation):
        return exceptions.ParseError(str(exc))
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    return exc


def _problem_for(exc: exceptions.APIException, status: int) -> dict:
    if isinstance(exc, exceptions.ValidationError):
        return problem(status, "validation_error", "Some fields are invalid.", errors=_field_errors(exc.detail))
    detail = exc.detail
    if isinstance(detail, dict):  # simplejwt nests its message: {"detail", "code", "messages"}
        return problem(status, str(detail.get("code", exc.default_code)), str(detail.get("detail", exc.default_detail)))
    return problem(status, getattr(detail, "code", None) or exc.default_code, str(detail))


def _field_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """Flatten DRF's nested error detail to {"field" or "parent.child": [messages]}."""
    if isinstance(detail, dict):
        errors = {}
        for field, value in detail.items():
            errors.update(_field_errors(value, f"{prefix}.{field}" if prefix else str(field)))
        return errors
    if isinstance(detail, list) and any(isinstance(item, (dict, list)) for item in detail):
        errors = {}
        for index, item in enumerate(detail):
            errors.update(_field_errors(item, f"{prefix}.{index}" if prefix else str(index)))
        return errors
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix or api_settings.NON_FIELD_ERRORS_KEY: [str(message) for message in messages]}
